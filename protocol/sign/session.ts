// Signing-session setup shared by the rounds: signer-set checks (TOB-SILA-15), the session id
// (dkls23.md §1.4), pairwise sub-session ids, zero shares (§3.3) and the additive key share (§7.1).

import { concatBytes, u32be } from '../bytes.ts'
import { ErrorCodes, ProtocolError, usageError } from '../errors.ts'
import { defineTag, hash } from '../hash.ts'
import type { KeyShare } from '../keyshare.ts'
import { bytesToBig, inv, mod, reduce32 } from '../math/curve.ts'
import { lagrangeAtZero } from '../math/poly.ts'

const T_SID = defineTag('sign/sid')
const T_PAIR = defineTag('sign/pair')
const T_ZERO = defineTag('sign/zero-share')

/** Validate a signer set against the key share; returns it sorted. */
export function checkSigners(share: KeyShare, signers: readonly number[]): number[] {
  const sorted = [...signers].sort((a, b) => a - b)
  for (let k = 1; k < sorted.length; k++)
    if (sorted[k] === sorted[k - 1])
      throw usageError(ErrorCodes.DUPLICATE_PARTY, `party ${sorted[k]} listed twice`)
  for (const j of sorted)
    if (!Number.isInteger(j) || j < 1 || j > share.n)
      throw usageError(ErrorCodes.UNKNOWN_PARTY, `party ${j} is not in the committee 1..${share.n}`)
  if (sorted.length < share.t)
    throw usageError(ErrorCodes.SIGNER_SET_TOO_SMALL, `${sorted.length} signers, the threshold is ${share.t}`)
  if (!sorted.includes(share.index))
    throw usageError(ErrorCodes.UNKNOWN_PARTY, 'this party is not in the signer set')
  for (const j of sorted)
    if (share.banned.has(j))
      throw new ProtocolError(ErrorCodes.BANNED_PARTY, 'usage', `party ${j} is banned on this key`, [j])
  return sorted
}

export function signSessionId(args: {
  share: KeyShare
  signers: readonly number[]
  path: readonly number[]
  digest: Uint8Array | null
  context: Uint8Array
  contributions: readonly Uint8Array[]
}): Uint8Array {
  const { share } = args
  const path = concatBytes(...args.path.map(u32be))
  const digest = args.digest ? concatBytes(new Uint8Array([1]), args.digest) : new Uint8Array([0])
  return hash(T_SID, [
    share.keyId,
    share.dkgSid,
    u32be(share.epoch),
    new Uint8Array(args.signers),
    path,
    digest,
    args.context,
    ...args.contributions,
  ])
}

export const pairSid = (sid: Uint8Array, alice: number, bob: number): Uint8Array =>
  hash(T_PAIR, [sid, new Uint8Array([alice, bob])])

/** ζ_i = Σ_{j∈P∖i} ±PRF(z_ij, sid), with + when i < j: the ζ of a signer set sum to zero. */
export function zeroShare(share: KeyShare, signers: readonly number[], sid: Uint8Array): bigint {
  let z = 0n
  for (const j of signers) {
    if (j === share.index) continue
    const v = reduce32(hash(T_ZERO, [share.peers.get(j)!.zeroSeed, sid]))
    z += share.index < j ? v : -v
  }
  return mod(z)
}

/** sk_i = λ_i·s_i + ζ_i + δ/|P|, so that Σ sk_i = sk + δ (the derived key's secret). */
export function additiveShare(
  share: KeyShare,
  signers: readonly number[],
  zeta: bigint,
  tweak: bigint,
): bigint {
  const lambda = lagrangeAtZero(signers, share.index)
  const s = bytesToBig(share.secretShare)
  return mod(lambda * s + zeta + tweak * inv(BigInt(signers.length)))
}
