// Two-party random vector OLE, Protocol 5.2 of the paper as written out in dkls23.md §6
// (ℓ = 2 inputs for Alice, ρ = 1 check column, ξ = 512): Bob gets a random scalar b = ⟨g, β⟩,
// Alice inputs (a_1, a_2); Alice gets c_k, Bob gets d_k with c_k + d_k = a_k·b.
// Bob's first message is the OT-extension message (cote.ts); Alice answers with the correction
// matrix ã, η and μ; Bob's μ check bans Alice on failure.

import { ctEqual } from '../bytes.ts'
import { banError, ErrorCodes, invalidMessage } from '../errors.ts'
import { defineTag, hash } from '../hash.ts'
import { bytesToBig, mod, q, randomScalar, readBig, reduce32, view, writeBig } from '../math/curve.ts'
import type { Rng } from '../rng.ts'
import { COTE_MSG_BYTES, coteReceive, coteSend, ROT_BYTES, XI } from './cote.ts'

const GADGET = defineTag('rvole/gadget')
const THETA = defineTag('rvole/theta')
const MU = defineTag('rvole/mu')

export const RVOLE_BOB_MSG_BYTES = COTE_MSG_BYTES
export const RVOLE_ALICE_MSG_BYTES = XI * 3 * 32 + 32 + 64

/** Public gadget vector g ∈ Z_q^ξ derived from the pairwise session id. */
export function gadget(pairSid: Uint8Array): bigint[] {
  const raw = hash(GADGET, [pairSid], XI * 32)
  const g = new Array<bigint>(XI)
  const dv = view(raw)
  for (let c = 0; c < XI; c++) g[c] = readBig(dv, 32 * c) % q
  return g
}

export type BobState = { beta: Uint8Array; rot: Uint8Array; g: bigint[]; b: bigint }

/** Bob, message 1: the OT-extension message; his random scalar b = ⟨g, β⟩. */
export function bobStart(
  rng: Rng,
  pairSid: Uint8Array,
  leaves: Uint8Array,
): { state: BobState; msg: Uint8Array } {
  const { msg, beta, rot } = coteReceive(rng, pairSid, leaves)
  const g = gadget(pairSid)
  let b = 0n
  for (let c = 0; c < XI; c++) b += g[c]! * BigInt((beta[c >>> 3]! >>> (c & 7)) & 1)
  return { state: { beta, rot, g, b: mod(b) }, msg }
}

/** Alice, message 2, on Bob's message: her shares c_1, c_2 and the correction message. */
export function aliceRespond(
  rng: Rng,
  pairSid: Uint8Array,
  leaves: Uint8Array,
  delta: Uint8Array,
  bobMsg: Uint8Array,
  a1: bigint,
  a2: bigint,
  bob: number,
): { c1: bigint; c2: bigint; msg: Uint8Array } {
  const { rot0, rot1 } = coteSend(pairSid, leaves, delta, bobMsg, bob)
  const g = gadget(pairSid)
  const ahat = randomScalar(rng)
  const msg = new Uint8Array(RVOLE_ALICE_MSG_BYTES)
  const alpha0 = new Array<bigint>(XI * 3)
  let s1 = 0n
  let s2 = 0n
  const ins = [a1, a2, ahat]
  const v0 = view(rot0)
  const v1 = view(rot1)
  const vm = view(msg)
  for (let c = 0; c < XI; c++) {
    for (let k = 0; k < 3; k++) {
      const o = c * ROT_BYTES + 32 * k
      const x0 = readBig(v0, o) % q
      const x1 = readBig(v1, o) % q
      alpha0[3 * c + k] = x0
      writeBig(vm, 32 * (3 * c + k), mod(x0 - x1 + ins[k]!))
    }
    s1 += g[c]! * alpha0[3 * c]!
    s2 += g[c]! * alpha0[3 * c + 1]!
  }
  const atilde = msg.subarray(0, XI * 96)
  const [t1, t2] = theta(pairSid, atilde)
  const eta = mod(ahat + t1 * a1 + t2 * a2)
  writeBig(vm, XI * 96, eta)
  const buf = new Uint8Array(XI * 32)
  const vb = view(buf)
  for (let c = 0; c < XI; c++) {
    writeBig(vb, 32 * c, (alpha0[3 * c + 2]! + t1 * alpha0[3 * c]! + t2 * alpha0[3 * c + 1]!) % q)
  }
  msg.set(hash(MU, [pairSid, buf], 64), XI * 96 + 32)
  rot0.fill(0)
  rot1.fill(0)
  return { c1: mod(-s1), c2: mod(-s2), msg }
}

function theta(pairSid: Uint8Array, atilde: Uint8Array): [bigint, bigint] {
  const h = hash(THETA, [pairSid, atilde], 64)
  return [reduce32(h, 0), reduce32(h, 32)]
}

/** Bob, on Alice's message: the μ check (ban Alice on failure) and his shares d_1, d_2. */
export function bobFinish(
  state: BobState,
  pairSid: Uint8Array,
  aliceMsg: Uint8Array,
  alice: number,
): { d1: bigint; d2: bigint } {
  if (aliceMsg.length !== RVOLE_ALICE_MSG_BYTES)
    throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, 'RVOLE message length', alice)
  const atilde = aliceMsg.subarray(0, XI * 96)
  const eta = bytesToBig(aliceMsg, XI * 96)
  const mu = aliceMsg.subarray(XI * 96 + 32)
  const [t1, t2] = theta(pairSid, atilde)
  const { g, beta, rot } = state
  const buf = new Uint8Array(XI * 32)
  const vb = view(buf)
  const vr = view(rot)
  const va = view(atilde)
  let d1 = 0n
  let d2 = 0n
  for (let c = 0; c < XI; c++) {
    const bc = BigInt((beta[c >>> 3]! >>> (c & 7)) & 1)
    const o = c * 96
    const delta0 = (readBig(vr, o) % q) + bc * readBig(va, o)
    const delta1 = (readBig(vr, o + 32) % q) + bc * readBig(va, o + 32)
    const delta2 = (readBig(vr, o + 64) % q) + bc * readBig(va, o + 64)
    writeBig(vb, 32 * c, mod(delta2 + t1 * delta0 + t2 * delta1 - bc * eta))
    d1 += g[c]! * delta0
    d2 += g[c]! * delta1
  }
  const ok = ctEqual(hash(MU, [pairSid, buf], 64), mu)
  if (!ok) throw banError(ErrorCodes.RVOLE_CHECK, alice, 'RVOLE μ check failed')
  return { d1: mod(d1), d2: mod(d2) }
}

/** Strict check that every scalar in Alice's message is below q (run before bobFinish). */
export function validateAliceMsg(aliceMsg: Uint8Array, alice: number): void {
  if (aliceMsg.length !== RVOLE_ALICE_MSG_BYTES)
    throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, 'RVOLE message length', alice)
  const dv = view(aliceMsg)
  for (let o = 0; o < XI * 96 + 32; o += 32) {
    if (readBig(dv, o) >= q)
      throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, 'RVOLE scalar not below q', alice)
  }
}
