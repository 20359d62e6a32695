// Whole ceremonies in one process on a seeded RNG: the building blocks of tests, the benchmark and
// the in-process simulator. Each party of each run draws from its own fork of the seed.

import { toHex } from '../../protocol/bytes.ts'
import { DkgParty } from '../../protocol/dkg/party.ts'
import { type KeyShare, parseKeyShare, serializeKeyShare } from '../../protocol/keyshare.ts'
import { type Signature, SignParty } from '../../protocol/sign/party.ts'
import type { SeededRng } from '../seeded-rng.ts'
import { type RunOptions, type RunStats, runParties } from './driver.ts'

export type DkgRun = { shares: Map<number, KeyShare>; stats: RunStats }

export function runDkg(rng: SeededRng, n: number, t: number, opts: RunOptions = {}): DkgRun {
  const context = rng.fill(new Uint8Array(32))
  const run = toHex(context)
  const parties = Array.from(
    { length: n },
    (_, k) => new DkgParty({ index: k + 1, n, t, context, rng: rng.fork(`dkg/${run}/${k + 1}`) }),
  )
  const { outputs, stats } = runParties(parties, opts)
  return { shares: outputs, stats }
}

export type SignRun = { signatures: Map<number, Signature>; stats: RunStats }

export function runSign(
  rng: SeededRng,
  shares: ReadonlyMap<number, KeyShare>,
  signers: readonly number[],
  digest: Uint8Array,
  opts: RunOptions & { path?: readonly number[] } = {},
): SignRun {
  const context = rng.fill(new Uint8Array(32))
  const run = toHex(context)
  const parties = signers.map(
    (i) =>
      new SignParty({
        share: shares.get(i)!,
        signers,
        digest,
        context,
        path: opts.path,
        rng: rng.fork(`sign/${run}/${i}`),
      }),
  )
  const { outputs, stats } = runParties(parties, opts)
  return { signatures: outputs, stats }
}

/** Independent copies of key shares (fresh ban sets), via the serialized format. */
export function cloneShares(shares: ReadonlyMap<number, KeyShare>): Map<number, KeyShare> {
  return new Map([...shares].map(([i, s]) => [i, parseKeyShare(serializeKeyShare(s))]))
}
