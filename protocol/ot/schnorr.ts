// Schnorr proof of knowledge of a discrete log, Fiat–Shamir with a full-width challenge bound to a
// context (session id, prover index, coefficient index): dkls23.md §3.1, TSSHOCK lesson (§10.6).
// A proof is T (33 B) ‖ z (32 B).

import { defineTag, hash } from '../hash.ts'
import {
  curve,
  decodePoint,
  Fn,
  G,
  mod,
  type Point,
  randomScalar,
  reduce32,
  scalarToBytes,
} from '../math/curve.ts'
import type { Rng } from '../rng.ts'

const SCHNORR = defineTag('schnorr-pok')
export const PROOF_BYTES = 65

function challenge(ctx: Uint8Array, y: Uint8Array, t: Uint8Array): bigint {
  return reduce32(hash(SCHNORR, [ctx, y, t]))
}

export function prove(rng: Rng, ctx: Uint8Array, x: bigint, y: Uint8Array): Uint8Array {
  const k = randomScalar(rng)
  const t = curve().mulG(k)
  const e = challenge(ctx, y, t)
  const z = mod(k + e * x)
  const out = new Uint8Array(PROOF_BYTES)
  out.set(t, 0)
  out.set(scalarToBytes(z), 33)
  return out
}

/** Verify z·G == T + e·Y. Inputs are already-decoded (valid) values; returns false on any mismatch. */
export function verify(ctx: Uint8Array, y: Uint8Array, proof: Uint8Array): boolean {
  if (proof.length !== PROOF_BYTES) return false
  let T: Point
  let Y: Point
  try {
    T = decodePoint(proof.subarray(0, 33))
    Y = decodePoint(y)
  } catch {
    return false
  }
  const zb = proof.subarray(33)
  let z = 0n
  for (const b of zb) z = (z << 8n) | BigInt(b)
  if (z >= Fn.ORDER || z === 0n) return false
  const e = challenge(ctx, y, proof.subarray(0, 33))
  const lhs = G.multiply(z)
  const rhs = T.add(Y.multiplyUnsafe(e))
  return lhs.equals(rhs)
}
