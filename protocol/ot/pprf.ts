// All-but-one OT (SoftSpokenOT k = 4) from 256 base OTs, with the sender's proof: dkls23.md §5.1
// (Roy, ePrint 2022/192, Figs. 13–14). 64 blocks of 4 base OTs; in each block the base-OT sender
// ("Bob" of the later RVOLE) knows all 16 leaves of a GGM tree, the base-OT receiver ("Alice") learns
// 15 of them and the punctured index Δ_j, which becomes 4 bits of her correlation Δ.
// Alice's tree walk does not branch on Δ: every node is computed, selections use masks.

import { ctEqual, u16be } from '../bytes.ts'
import { abortError, ErrorCodes, invalidMessage } from '../errors.ts'
import { defineTag, hash, hashInto } from '../hash.ts'
import { BASE_OTS } from './base-ot.ts'

export const BLOCKS = 64
export const LEAVES = 16
export const LEAF_BYTES = 32
/** 3 levels × 2 sides × 32 B, then t̃ (64 B) and s̃ (64 B) per block. */
export const BLOCK_MSG_BYTES = 3 * 2 * 32 + 64 + 64
export const PPRF_MSG_BYTES = BLOCKS * BLOCK_MSG_BYTES
/** Per direction: 64 × 16 leaves of 32 bytes. */
export const LEAVES_BYTES = BLOCKS * LEAVES * LEAF_BYTES

const EXPAND = defineTag('pprf/expand')
const LEAF_PROOF = defineTag('pprf/leaf-proof')
const BLOCK_PROOF = defineTag('pprf/block-proof')

function expand(out: Uint8Array, off: number, sid: Uint8Array, block: number, node: Uint8Array): void {
  hashInto(out, off, 64, EXPAND, [sid, u16be(block), node])
}

/**
 * Sender (knows both keys of every base OT; `keys` = k0 ‖ k1 per index, 64 B each).
 * Returns the message and all leaves (64 × 16 × 32 B).
 */
export function pprfSend(sid: Uint8Array, keys: Uint8Array): { msg: Uint8Array; leaves: Uint8Array } {
  const msg = new Uint8Array(PPRF_MSG_BYTES)
  const leaves = new Uint8Array(LEAVES_BYTES)
  let nodes = new Uint8Array(16 * 32)
  let next = new Uint8Array(16 * 32)
  const pis = new Uint8Array(LEAVES * 64)
  for (let j = 0; j < BLOCKS; j++) {
    const mo = j * BLOCK_MSG_BYTES
    nodes.set(keys.subarray(64 * 4 * j, 64 * 4 * j + 64), 0) // N[0] = k0, N[1] = k1 of base OT 4j
    let width = 2
    for (let h = 1; h <= 3; h++) {
      const k0 = keys.subarray(64 * (4 * j + h), 64 * (4 * j + h) + 32)
      const k1 = keys.subarray(64 * (4 * j + h) + 32, 64 * (4 * j + h) + 64)
      for (let y = 0; y < width; y++) expand(next, 64 * y, sid, j, nodes.subarray(32 * y, 32 * y + 32))
      const t0 = msg.subarray(mo + (h - 1) * 64, mo + (h - 1) * 64 + 32)
      const t1 = msg.subarray(mo + (h - 1) * 64 + 32, mo + (h - 1) * 64 + 64)
      t0.set(k0)
      t1.set(k1)
      for (let y = 0; y < width; y++) {
        for (let b = 0; b < 32; b++) {
          t0[b]! ^= next[64 * y + b]!
          t1[b]! ^= next[64 * y + 32 + b]!
        }
      }
      ;[nodes, next] = [next, nodes]
      width *= 2
    }
    leaves.set(nodes.subarray(0, 16 * 32), j * 16 * 32)
    const tt = msg.subarray(mo + 192, mo + 256)
    for (let y = 0; y < LEAVES; y++) {
      hashInto(pis, 64 * y, 64, LEAF_PROOF, [sid, u16be(j), nodes.subarray(32 * y, 32 * y + 32)])
      for (let b = 0; b < 64; b++) tt[b]! ^= pis[64 * y + b]!
    }
    msg.set(hash(BLOCK_PROOF, [sid, u16be(j), pis], 64), mo + 256)
  }
  return { msg, leaves }
}

/**
 * Receiver (knows one key per base OT: `keys` 256 × 32 B, `choices` 256 bits).
 * Returns Δ (256 bits: bit 4j+b = bit b of the punctured index of block j) and the 64 × 16 leaves
 * with the punctured leaf zeroed. A failed proof aborts the key generation, blaming the sender.
 */
export function pprfReceive(
  sid: Uint8Array,
  keys: Uint8Array,
  choices: Uint8Array,
  msg: Uint8Array,
  culprit: number,
): { delta: Uint8Array; leaves: Uint8Array } {
  if (msg.length !== PPRF_MSG_BYTES)
    throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, 'PPRF message length', culprit)
  if (keys.length !== BASE_OTS * 32) throw new Error('pprfReceive: keys length')
  const delta = new Uint8Array(32)
  const leaves = new Uint8Array(LEAVES_BYTES)
  let nodes = new Uint8Array(16 * 32)
  let next = new Uint8Array(16 * 32)
  const pis = new Uint8Array(LEAVES * 64)
  const bit = (i: number) => (choices[i >>> 3]! >>> (i & 7)) & 1
  let ok = 1
  for (let j = 0; j < BLOCKS; j++) {
    const mo = j * BLOCK_MSG_BYTES
    const c0 = bit(4 * j)
    // Level 1: N[c0] known, the other node unknown (kept as zeros).
    nodes.fill(0)
    const m0 = -c0 & 0xff
    const kk = keys.subarray(32 * 4 * j, 32 * 4 * j + 32)
    for (let b = 0; b < 32; b++) {
      nodes[b] = kk[b]! & ~m0
      nodes[32 + b] = kk[b]! & m0
    }
    let missing = 1 - c0
    let width = 2
    for (let h = 1; h <= 3; h++) {
      const c = bit(4 * j + h)
      const kc = keys.subarray(32 * (4 * j + h), 32 * (4 * j + h) + 32)
      const tc = msg.subarray(mo + (h - 1) * 64 + 32 * c, mo + (h - 1) * 64 + 32 * c + 32)
      next.fill(0)
      // Expand every node (the missing one too, and discard it by mask) so the work is uniform.
      const acc = new Uint8Array(32)
      acc.set(tc)
      for (let b = 0; b < 32; b++) acc[b]! ^= kc[b]!
      for (let y = 0; y < width; y++) {
        expand(next, 64 * y, sid, j, nodes.subarray(32 * y, 32 * y + 32))
        const keep = -(y !== missing ? 1 : 0) & 0xff
        for (let b = 0; b < 64; b++) next[64 * y + b]! &= keep
        for (let b = 0; b < 32; b++) acc[b]! ^= next[64 * y + 32 * c + b]!
      }
      // The child on side c of the missing node is recovered; the other child stays unknown.
      const target = 2 * missing + c
      for (let y = 0; y < 2 * width; y++) {
        const sel = -(y === target ? 1 : 0) & 0xff
        for (let b = 0; b < 32; b++) next[32 * y + b]! |= acc[b]! & sel
      }
      missing = 2 * missing + (1 - c)
      ;[nodes, next] = [next, nodes]
      width *= 2
    }
    // Proof: π for every known leaf; the punctured one from t̃.
    const tt = msg.subarray(mo + 192, mo + 256)
    const piStar = tt.slice()
    for (let y = 0; y < LEAVES; y++) {
      hashInto(pis, 64 * y, 64, LEAF_PROOF, [sid, u16be(j), nodes.subarray(32 * y, 32 * y + 32)])
      const keep = -(y !== missing ? 1 : 0) & 0xff
      for (let b = 0; b < 64; b++) piStar[b]! ^= pis[64 * y + b]! & keep
    }
    for (let y = 0; y < LEAVES; y++) {
      const sel = -(y === missing ? 1 : 0) & 0xff
      for (let b = 0; b < 64; b++) pis[64 * y + b] = (pis[64 * y + b]! & ~sel) | (piStar[b]! & sel)
    }
    const s = hash(BLOCK_PROOF, [sid, u16be(j), pis], 64)
    ok &= ctEqual(s, msg.subarray(mo + 256, mo + 320)) ? 1 : 0
    leaves.set(nodes, j * 16 * 32)
    // Δ_j = punctured index; bit b of Δ_j is bit 4j+b of Δ.
    delta[j >>> 1]! |= (missing & 0xf) << (4 * (j & 1))
  }
  if (!ok) throw abortError(ErrorCodes.PPRF_CHECK, 'all-but-one OT proof does not verify', [culprit])
  return { delta, leaves }
}
