// `npm run bench:node` — the signer node as deployed: three `mpc-node start` processes on loopback,
// a 2-of-3 key from a DKG through the API, then signing latency (p50/p95) and throughput at
// concurrency 1, 4 and 16, each node's peak RSS, and, for comparison, the in-process signing time
// of the same protocol on this machine at the same moment. A script, not a test.
//   --json              one JSON object on stdout, nothing else
//   --requests N        requests per concurrency level (default 48; 24 with --quick)
//   --quick             fewer requests
//   --log-level LEVEL   the nodes' log level (default info, as in production)
//   --cpu-prof DIR      run each node with --cpu-prof, profiles written to DIR on exit
//   --no-reference      skip the in-process reference measurement
//   --levels 1,4,16     concurrency levels to run (default 1,4,16)
// Requests rotate over the nodes as coordinators, each with the next node as co-signer.

import '../../node/runtime/polyfill.ts'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { useFastCurve } from '../../node/crypto/fast-curve.ts'
import type { KeyView, SignatureView } from '../../node/service/types.ts'
import { DkgParty } from '../../protocol/dkg/party.ts'
import type { KeyShare } from '../../protocol/keyshare.ts'
import { cryptoRng, randomBytes } from '../../protocol/rng.ts'
import { SignParty } from '../../protocol/sign/party.ts'
import { createHomes } from '../../test/support/cluster.ts'
import { call, NodeProcess } from '../../test/support/node-process.ts'
import { runParties } from '../inprocess/driver.ts'

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    requests: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    'cpu-prof': { type: 'string' },
    'no-reference': { type: 'boolean', default: false },
    levels: { type: 'string', default: '1,4,16' },
  },
})
const REQUESTS = Number(opts.requests ?? (opts.quick ? 24 : 48))
const LEVELS = opts.levels.split(',').map(Number)
const say = (...a: unknown[]) => {
  if (!opts.json) console.log(...a)
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!
}
const r1 = (x: number) => Math.round(x * 10) / 10

type Level = {
  concurrency: number
  requests: number
  failed: number
  p50Ms: number
  p95Ms: number
  maxMs: number
  throughputPerSec: number
  /** CPU (user + system) of all three node processes per successful signature. */
  cpuMsPerSignature: number
}

/** Peak VmRSS seen by a 100 ms sampler, per process. */
class RssSampler {
  readonly peakKiB = new Map<NodeProcess, number>()
  #timer: NodeJS.Timeout | undefined
  constructor(readonly nodes: NodeProcess[]) {}
  start(): void {
    this.#timer = setInterval(() => this.sample(), 100)
  }
  sample(): void {
    for (const n of this.nodes) {
      if (!n.running) continue
      try {
        const { rssKiB } = n.memory()
        this.peakKiB.set(n, Math.max(this.peakKiB.get(n) ?? 0, rssKiB))
      } catch {
        // exited between the check and the read
      }
    }
  }
  stop(): void {
    clearInterval(this.#timer)
  }
}

let nonce = 0
function transaction() {
  return {
    chainId: 31337,
    nonce: nonce++,
    to: '0x000000000000000000000000000000000000dEaD',
    value: '1000',
    gas: '21000',
    maxFeePerGas: '1000000000',
    maxPriorityFeePerGas: '1000000',
  }
}

async function signOnce(
  nodes: NodeProcess[],
  keyId: string,
  i: number,
): Promise<{ ms: number; ok: boolean }> {
  const via = nodes[i % nodes.length]!
  const other = nodes[(i + 1) % nodes.length]!
  const t0 = performance.now()
  const r = await call<SignatureView>(via.api, 'POST', `/v1/keys/${keyId}/signatures`, {
    transaction: transaction(),
    signers: [via.peerId, other.peerId],
  })
  return { ms: performance.now() - t0, ok: r.status === 200 }
}

async function level(nodes: NodeProcess[], keyId: string, concurrency: number, requests: number) {
  const latencies: number[] = []
  let failed = 0
  let next = 0
  const cpu0 = nodes.reduce((a, n) => a + n.cpuMs(), 0)
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++
        const r = await signOnce(nodes, keyId, i)
        if (r.ok) latencies.push(r.ms)
        else failed++
      }
    }),
  )
  const wall = performance.now() - t0
  const cpu = nodes.reduce((a, n) => a + n.cpuMs(), 0) - cpu0
  const out: Level = {
    concurrency,
    requests,
    failed,
    p50Ms: r1(pct(latencies, 50)),
    p95Ms: r1(pct(latencies, 95)),
    maxMs: r1(Math.max(...latencies)),
    throughputPerSec: r1((latencies.length * 1000) / wall),
    cpuMsPerSignature: r1(cpu / Math.max(1, latencies.length)),
  }
  return out
}

/** The same 2-of-3 signing with both parties in this thread (what `npm run bench` reports). */
function inProcessReference(reps: number): { signMedianMs: number; cpuMsPerSignature: number } {
  useFastCurve()
  const context = randomBytes(cryptoRng, 32)
  const parties = [1, 2, 3].map((index) => new DkgParty({ index, n: 3, t: 2, context, rng: cryptoRng }))
  const shares = runParties(parties).outputs as Map<number, KeyShare>
  const times: number[] = []
  let cpu = 0
  for (let k = 0; k < reps + 3; k++) {
    const digest = keccak_256(randomBytes(cryptoRng, 64))
    const ctx = randomBytes(cryptoRng, 32)
    const signers = [1, 2]
    const ps = signers.map(
      (i) => new SignParty({ share: shares.get(i)!, signers, digest, context: ctx, rng: cryptoRng }),
    )
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    runParties(ps)
    const c = process.cpuUsage(c0)
    if (k >= 3) {
      times.push(performance.now() - t0)
      cpu += (c.user + c.system) / 1000
    }
  }
  return { signMedianMs: r1(pct(times, 50)), cpuMsPerSignature: r1(cpu / reps) }
}

async function main(): Promise<void> {
  const loadAverageBefore = loadavg().map(r1)
  const root = await mkdtemp(join(tmpdir(), 'mpc-bench-node-'))
  const profDir = opts['cpu-prof'] === undefined ? undefined : resolve(opts['cpu-prof'])
  if (profDir) await mkdir(profDir, { recursive: true })
  const homes = await createHomes(
    ['a', 'b', 'c'].map((s) => ({ name: `provider-${s}`, role: 'provider' as const })),
    root,
  )
  const nodes = homes.map(
    (h) =>
      new NodeProcess({
        home: h.home,
        logLevel: opts['log-level'],
        nodeArgs: profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [],
      }),
  )
  const sampler = new RssSampler(nodes)
  try {
    say('starting three node processes…')
    await Promise.all(nodes.map((n) => n.start()))
    sampler.start()
    const t0 = performance.now()
    const created = await call<KeyView>(nodes[0]!.api, 'POST', '/v1/keys', {
      committee: nodes.map((n) => n.peerId),
      threshold: 2,
    })
    if (created.status !== 201) throw new Error(`DKG failed: ${created.text}`)
    const dkgMs = r1(performance.now() - t0)
    say(`2-of-3 DKG over the API: ${dkgMs} ms (key ${created.body.address})`)
    const keyId = created.body.keyId
    for (let i = 0; i < 6; i++) await signOnce(nodes, keyId, i)

    const levels: Level[] = []
    for (const c of LEVELS) {
      const l = await level(nodes, keyId, c, Math.max(REQUESTS, c * 3))
      levels.push(l)
      say(
        `concurrency ${String(c).padStart(2)}: p50 ${l.p50Ms} ms, p95 ${l.p95Ms} ms, ${l.throughputPerSec} sig/s, ${l.cpuMsPerSignature} ms CPU/sig (${l.requests} requests, ${l.failed} failed)`,
      )
    }
    sampler.sample()
    sampler.stop()
    const memory = nodes.map((n) => {
      const { hwmKiB, rssKiB } = n.memory()
      return {
        node: n.opts.home.split('/').pop()!,
        pid: n.pid,
        vmHwmMiB: r1(hwmKiB / 1024),
        peakSampledRssMiB: r1((sampler.peakKiB.get(n) ?? 0) / 1024),
        rssNowMiB: r1(rssKiB / 1024),
      }
    })
    const reference = opts['no-reference'] ? undefined : inProcessReference(opts.quick ? 8 : 16)
    const c1 = levels.find((l) => l.concurrency === 1) ?? levels[0]!
    const c16 = levels.find((l) => l.concurrency === 16)
    const busiest = c16 ?? levels.at(-1)!
    const result = {
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        node: process.version,
        loadAverageBefore,
        loadAverageAfter: loadavg().map(r1),
      },
      config: { t: 2, n: 3, requestsPerLevel: REQUESTS, logLevel: opts['log-level'] },
      dkgMs,
      levels,
      memory,
      reference,
      aims: {
        p50AtConcurrency1Ms: c1.p50Ms,
        p50WithinTwiceInProcess: reference ? c1.p50Ms <= 2 * reference.signMedianMs : undefined,
        throughputAtConcurrency16: c16?.throughputPerSec,
        atLeast8PerSecAt16: c16 === undefined ? undefined : c16.throughputPerSec >= 8,
        /** What the CPU cost allows if the nodes had every CPU of the machine to themselves. */
        cpuBoundCeilingPerSec: r1((cpus().length * 1000) / busiest.cpuMsPerSignature),
      },
      cpuProfiles: profDir,
    }
    if (opts.json) {
      console.log(JSON.stringify(result))
    } else {
      console.log(
        '\n| concurrency | requests | failed | p50 ms | p95 ms | max ms | sig/s | CPU ms/sig (3 nodes) |',
      )
      console.log('|---:|---:|---:|---:|---:|---:|---:|---:|')
      for (const l of levels)
        console.log(
          `| ${l.concurrency} | ${l.requests} | ${l.failed} | ${l.p50Ms} | ${l.p95Ms} | ${l.maxMs} | ${l.throughputPerSec} | ${l.cpuMsPerSignature} |`,
        )
      console.log('\n| node | pid | VmHWM MiB | peak sampled RSS MiB | RSS now MiB |')
      console.log('|---|---:|---:|---:|---:|')
      for (const m of memory)
        console.log(`| ${m.node} | ${m.pid} | ${m.vmHwmMiB} | ${m.peakSampledRssMiB} | ${m.rssNowMiB} |`)
      console.log(
        `\nload average (1/5/15 min) before ${loadAverageBefore.join(' ')}, after ${result.machine.loadAverageAfter.join(' ')} on ${result.machine.cpus} CPUs`,
      )
      if (reference)
        console.log(
          `\nin-process 2-of-3 signing (both parties, one thread, now): ${reference.signMedianMs} ms median, ${reference.cpuMsPerSignature} ms CPU`,
        )
      console.log(
        `aim: p50 at concurrency 1 within 2× in-process: ${result.aims.p50WithinTwiceInProcess ?? 'n/a'}; ≥ 8 sig/s at 16: ${result.aims.atLeast8PerSecAt16 ?? 'n/a'} (CPU-bound ceiling on ${cpus().length} idle CPUs: ${result.aims.cpuBoundCeilingPerSec} sig/s)`,
      )
      if (profDir) console.log(`CPU profiles (written when the nodes stop): ${profDir}`)
    }
  } finally {
    sampler.stop()
    await Promise.all(nodes.map((n) => n.stop()))
    await rm(root, { recursive: true, force: true })
  }
}

await main()
