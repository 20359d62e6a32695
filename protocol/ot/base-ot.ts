// Base OT: a batch of 256 random 1-of-2 OTs per ordered pair, in the "verified simplest OT" shape
// (DKLs18 Protocol 7 family, listed in dkls23.md §4.1 [BR]) with the §4.2/§10.3 hardening:
//   sender:   b ← Z_q*, B = b·G, and a Schnorr proof of b bound to the pair's session id;
//   receiver: per index i, choice ω_i, fresh a_i ← Z_q*, A_i = a_i·G + ω_i·B;
//   keys:     k_{i,σ} = H(sid, i, σ, B, A_i, DH_σ) with DH_0 = b·A_i, DH_1 = b·A_i − b·B;
//             the receiver's DH is a_i·B = DH_{ω_i}.
// Every random-oracle call is separated by (sid, index, position); every point is decoded and
// validated; the whole DH transcript is hashed into the key. No point with a publicly computable
// discrete log plays the role of a random point (§10.2): B's discrete log is the sender's secret.
// Why this OT: the sender's fixed secret makes it one variable-base multiplication per OT on each side
// (dkls23.md §4.3 measured 3 multiplications + 3 hash-to-curve per OT for the endemic OT of §4.2).
// SoftSpokenOT only needs endemic security from its base OTs, and the all-but-one OT built on top
// carries its own proof (pprf.ts).

import { ctEqual, u16be } from '../bytes.ts'
import { abortError, ErrorCodes, invalidMessage } from '../errors.ts'
import { defineTag, hash, hashInto } from '../hash.ts'
import { curve, decodePoint, negBytes, randomScalar } from '../math/curve.ts'
import type { Rng } from '../rng.ts'
import * as schnorr from './schnorr.ts'

export const BASE_OTS = 256
const KEY = defineTag('base-ot/key')
const POK = defineTag('base-ot/sender-pok')

export const SENDER_MSG_BYTES = 33 + schnorr.PROOF_BYTES
export const RECEIVER_MSG_BYTES = BASE_OTS * 33

export type SenderState = { b: bigint; B: Uint8Array; bB: Uint8Array }

export function senderStart(rng: Rng, sid: Uint8Array): { state: SenderState; msg: Uint8Array } {
  const b = randomScalar(rng)
  const B = curve().mulG(b)
  const bB = curve().mul(B, b)!
  const proof = schnorr.prove(rng, hash(POK, [sid]), b, B)
  const msg = new Uint8Array(SENDER_MSG_BYTES)
  msg.set(B, 0)
  msg.set(proof, 33)
  return { state: { b, B, bB }, msg }
}

/** Receiver: verify the sender's message, produce the 256 A_i and the chosen keys. */
export function receiverRespond(
  rng: Rng,
  sid: Uint8Array,
  senderMsg: Uint8Array,
  choices: Uint8Array, // 256 bits, bit i = ω_i (little-endian bit order)
  culprit: number,
): { msg: Uint8Array; keys: Uint8Array } {
  if (senderMsg.length !== SENDER_MSG_BYTES)
    throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, 'base OT sender message length', culprit)
  const B = senderMsg.subarray(0, 33)
  decodePoint(B, culprit, 'base OT sender key')
  if (!schnorr.verify(hash(POK, [sid]), B, senderMsg.subarray(33)))
    throw abortError(ErrorCodes.BASE_OT_INVALID, 'base OT sender proof of knowledge does not verify', [
      culprit,
    ])
  const c = curve()
  const msg = new Uint8Array(RECEIVER_MSG_BYTES)
  const keys = new Uint8Array(BASE_OTS * 32)
  for (let i = 0; i < BASE_OTS; i++) {
    const w = (choices[i >>> 3]! >>> (i & 7)) & 1
    let a: bigint
    let A0: Uint8Array
    let A1: Uint8Array | null
    do {
      a = randomScalar(rng)
      A0 = c.mulG(a)
      A1 = c.add(A0, B)
    } while (A1 === null)
    // Select without a branch on ω: copy both candidates through a byte mask.
    const mask = -w & 0xff
    const A = new Uint8Array(33)
    for (let k = 0; k < 33; k++) A[k] = (A0[k]! & ~mask) | (A1[k]! & mask)
    msg.set(A, 33 * i)
    const dh = c.mul(B, a)!
    hashInto(keys, 32 * i, 32, KEY, [sid, u16be(i), new Uint8Array([w]), B, A, dh])
  }
  return { msg, keys }
}

/** Sender: both keys for each index. Output k0 ‖ k1 per index (64 B each). */
export function senderFinish(
  state: SenderState,
  sid: Uint8Array,
  receiverMsg: Uint8Array,
  culprit: number,
): Uint8Array {
  if (receiverMsg.length !== RECEIVER_MSG_BYTES)
    throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, 'base OT receiver message length', culprit)
  const c = curve()
  const minusBB = negBytes(state.bB)
  const out = new Uint8Array(BASE_OTS * 64)
  for (let i = 0; i < BASE_OTS; i++) {
    const A = receiverMsg.subarray(33 * i, 33 * i + 33)
    if (!c.isPoint(A))
      throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, 'base OT receiver point invalid', culprit)
    if (ctEqual(A, state.B))
      throw abortError(ErrorCodes.BASE_OT_INVALID, 'base OT receiver point equals B', [culprit])
    const dh0 = c.mul(A, state.b)
    if (dh0 === null) throw abortError(ErrorCodes.BASE_OT_INVALID, 'degenerate base OT point', [culprit])
    const dh1 = c.add(dh0, minusBB)
    if (dh1 === null) throw abortError(ErrorCodes.BASE_OT_INVALID, 'degenerate base OT point', [culprit])
    const idx = u16be(i)
    hashInto(out, 64 * i, 32, KEY, [sid, idx, new Uint8Array([0]), state.B, A, dh0])
    hashInto(out, 64 * i + 32, 32, KEY, [sid, idx, new Uint8Array([1]), state.B, A, dh1])
  }
  return out
}
