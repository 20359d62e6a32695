// `npm run bench` — in-process protocol benchmark, all parties of a ceremony in one thread (the way
// the yardstick ../shared/bench/peer-dkls/run.sh measures its library), on the platform CSPRNG and the
// production curve backend. Prints a table; with `-- --json` prints one JSON object.
//   --quick      fewer repetitions
//   --json       machine-readable output only

import '../../node/runtime/polyfill.ts'
import { cpus, totalmem } from 'node:os'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { useFastCurve } from '../../node/crypto/fast-curve.ts'
import { toHex } from '../../protocol/bytes.ts'
import { DkgParty } from '../../protocol/dkg/party.ts'
import { type KeyShare, serializeKeyShare } from '../../protocol/keyshare.ts'
import { cryptoRng, randomBytes } from '../../protocol/rng.ts'
import { SignParty } from '../../protocol/sign/party.ts'
import { runParties } from '../inprocess/driver.ts'
import { extraBenchmarks } from './extras.ts'
import { presignTimes, refreshOnce, reshareOnce } from './lifecycle.ts'

const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')
const json = args.has('--json')
const log = (...a: unknown[]) => {
  if (!json) console.log(...a)
}

const CONFIGS = [
  { t: 2, n: 2 },
  { t: 2, n: 3 },
  { t: 3, n: 5 },
]
const DKG_REPS = quick ? 1 : 3
const SIGN_REPS = quick ? 10 : 30
const WARMUP = 3
const THROUGHPUT_MS = quick ? 3000 : 10000

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const round = (x: number, d = 2) => Number(x.toFixed(d))

function dkg(n: number, t: number) {
  const context = randomBytes(cryptoRng, 32)
  const parties = Array.from(
    { length: n },
    (_, k) => new DkgParty({ index: k + 1, n, t, context, rng: cryptoRng }),
  )
  const t0 = performance.now()
  const { outputs, stats } = runParties(parties)
  return { ms: performance.now() - t0, shares: outputs, bytes: stats.bytesSent }
}

function sign(shares: Map<number, KeyShare>, signers: number[]) {
  const digest = keccak_256(randomBytes(cryptoRng, 64))
  const context = randomBytes(cryptoRng, 32)
  const parties = signers.map(
    (i) => new SignParty({ share: shares.get(i)!, signers, digest, context, rng: cryptoRng }),
  )
  const t0 = performance.now()
  const { outputs, stats } = runParties(parties)
  return { ms: performance.now() - t0, sig: outputs.get(signers[0]!)!, digest, bytes: stats.bytesSent }
}

type ConfigResult = {
  dkgMedianMs: number
  signMedianMs: number
  signBytes: number
  dkgBytes: number
  keyShareBytes: number
}

useFastCurve()
const configs: Record<string, ConfigResult> = {}
const samples: {
  config: string
  publicKey: string
  digest: string
  r: string
  s: string
  yParity: number
}[] = []
const keys = new Map<string, Map<number, KeyShare>>()

for (const { n, t } of CONFIGS) {
  const name = `${t}-of-${n}`
  const dkgTimes: number[] = []
  let last = dkg(n, t)
  dkgTimes.push(last.ms)
  for (let k = 1; k < DKG_REPS; k++) {
    last = dkg(n, t)
    dkgTimes.push(last.ms)
  }
  keys.set(name, last.shares)
  const signers = Array.from({ length: t }, (_, k) => k + 1)
  for (let k = 0; k < WARMUP; k++) sign(last.shares, signers)
  const signTimes: number[] = []
  let bytes = 0
  for (let k = 0; k < SIGN_REPS; k++) {
    const r = sign(last.shares, signers)
    signTimes.push(r.ms)
    bytes = r.bytes
    if (k === 0)
      samples.push({
        config: name,
        publicKey: toHex(last.shares.get(1)!.publicKey),
        digest: toHex(r.digest),
        r: r.sig.r.toString(16).padStart(64, '0'),
        s: r.sig.s.toString(16).padStart(64, '0'),
        yParity: r.sig.recovery,
      })
  }
  configs[name] = {
    dkgMedianMs: round(median(dkgTimes), 1),
    signMedianMs: round(median(signTimes)),
    signBytes: bytes,
    dkgBytes: last.bytes,
    keyShareBytes: serializeKeyShare(last.shares.get(1)!).length,
  }
  log(
    `${name}: DKG ${configs[name].dkgMedianMs} ms (${last.bytes} B), sign ${configs[name].signMedianMs} ms (${bytes} B), key share ${configs[name].keyShareBytes} B`,
  )
}

// Throughput: sequential 2-of-3 signatures for a fixed time, all parties in this thread.
const shares23 = keys.get('2-of-3')!
const t0 = performance.now()
let count = 0
while (performance.now() - t0 < THROUGHPUT_MS) {
  sign(shares23, [1, 2])
  count++
}
const throughput2of3SigsPerSec = round((count * 1000) / (performance.now() - t0))
log(`2-of-3 throughput: ${throughput2of3SigsPerSec} signatures/s (one thread, all parties)`)

// Lifecycle: refresh and resharing, presignatures (issue: key lifecycle).
const lifecycle: Record<string, unknown> = {}
for (const name of ['2-of-3', '3-of-5']) {
  const shares = keys.get(name)!
  const refresh = refreshOnce(shares)
  lifecycle[`refresh${name}Ms`] = round(refresh.ms, 1)
  log(`${name}: refresh ${round(refresh.ms, 1)} ms`)
}
const reshare = reshareOnce(keys.get('2-of-3')!, 5, 3)
lifecycle.reshare2of3to3of5Ms = round(reshare.ms, 1)
log(`reshare 2-of-3 → 3-of-5: ${round(reshare.ms, 1)} ms`)
const reshareBack = reshareOnce(keys.get('3-of-5')!, 3, 2)
lifecycle.reshare3of5to2of3Ms = round(reshareBack.ms, 1)
log(`reshare 3-of-5 → 2-of-3: ${round(reshareBack.ms, 1)} ms`)
const pre = presignTimes(shares23, [1, 2], quick ? 5 : 15)
Object.assign(lifecycle, {
  presign2of3MedianMs: pre.presignMedianMs,
  signWithPresignature2of3MedianMs: pre.signWithPresignatureMedianMs,
})
log(
  `2-of-3 presignature ${pre.presignMedianMs} ms, then signing from it ${pre.signWithPresignatureMedianMs} ms (full signing ${configs['2-of-3']!.signMedianMs} ms)`,
)

const extras = await extraBenchmarks({ quick, log, shares23 })

const out = {
  machine: {
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    totalMemGiB: round(totalmem() / 2 ** 30, 1),
  },
  configs,
  throughput2of3SigsPerSec,
  lifecycle,
  ...extras,
  samples,
}
if (json) console.log(JSON.stringify(out, null, 1))
