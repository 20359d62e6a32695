// Lifecycle timings for `npm run bench`: refresh and resharing, and signing from a presignature
// (one round) against a full signing, all parties in one thread.

import { keccak_256 } from '@noble/hashes/sha3.js'
import type { KeyShare } from '../../protocol/keyshare.ts'
import type { ReshareMember } from '../../protocol/reshare/party.ts'
import { cryptoRng, randomBytes } from '../../protocol/rng.ts'
import type { Presignature } from '../../protocol/sign/party.ts'
import { FinishParty, PresignParty } from '../../protocol/sign/presign.ts'
import { runParties } from '../inprocess/driver.ts'
import { runResharing } from '../inprocess/reshare.ts'

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

/** Refresh: every member deals to the same committee (t-of-n → t-of-n, next epoch). */
export function refreshOnce(shares: Map<number, KeyShare>): { ms: number; shares: Map<number, KeyShare> } {
  const any = shares.values().next().value!
  const roster: ReshareMember[] = [...shares.keys()].map((i) => ({ id: i, oldIndex: i, newIndex: i }))
  return reshareWith(shares, roster, any.n, any.t)
}

/** Resharing t-of-n → t′-of-n′ with the first t old members dealing and staying. */
export function reshareOnce(
  shares: Map<number, KeyShare>,
  newN: number,
  newT: number,
): { ms: number; shares: Map<number, KeyShare> } {
  const any = shares.values().next().value!
  const roster: ReshareMember[] = []
  for (let j = 1; j <= newN; j++)
    roster.push(j <= any.t ? { id: j, oldIndex: j, newIndex: j } : { id: j, newIndex: j })
  return reshareWith(shares, roster, newN, newT)
}

function reshareWith(shares: Map<number, KeyShare>, roster: ReshareMember[], newN: number, newT: number) {
  const t0 = performance.now()
  const { shares: next } = runResharing(
    shares,
    roster,
    newN,
    newT,
    randomBytes(cryptoRng, 32),
    () => cryptoRng,
  )
  return { ms: performance.now() - t0, shares: next }
}

export function presignTimes(shares: Map<number, KeyShare>, signers: number[], reps: number) {
  const presign: number[] = []
  const finish: number[] = []
  for (let k = 0; k < reps; k++) {
    const context = randomBytes(cryptoRng, 32)
    let t0 = performance.now()
    const { outputs } = runParties<Presignature>(
      signers.map((i) => new PresignParty({ share: shares.get(i)!, signers, context, rng: cryptoRng })),
    )
    presign.push(performance.now() - t0)
    const digest = keccak_256(randomBytes(cryptoRng, 32))
    t0 = performance.now()
    runParties(signers.map((i) => new FinishParty({ presignature: outputs.get(i)!, digest })))
    finish.push(performance.now() - t0)
  }
  return {
    presignMedianMs: Number(median(presign).toFixed(2)),
    signWithPresignatureMedianMs: Number(median(finish).toFixed(2)),
  }
}
