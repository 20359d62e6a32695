// Correlated OT extension (SoftSpokenOT subspace VOLE, k = 4) with the Fiat–Shamir consistency check
// over GF(2^128): dkls23.md §5.2. One message per signing session and direction, Bob → Alice.
//   ξ = 512 extended OTs (choice bits β), padded with 128 random bits: rows of ℓ' = 640 bits.
//   Bob:   r_{j,y} = PRG(sid, j, y, L_{j,y}); u_j = x̂ ⊕ ⊕_y r_{j,y}; V_{4j+b} = ⊕_{y: b-th bit of y} r_{j,y}
//          D = H(sid, u), χ_m = H(D, m); x = Σ_m x̂[m]·χ_m + x̂[4]; t_i = Σ_m V_i[m]·χ_m + V_i[4]
//   Alice: Q_{4j+b} = ⊕_y [bit b of (Δ_j ⊕ y)]·r_{j,y} ⊕ [bit b of Δ_j]·u_j  (= V_i ⊕ Δ_i·x̂)
//          checks Σ_m Q_i[m]·χ_m + Q_i[4] == t_i ⊕ Δ_i·x for every row, in constant time; a failure
//          bans Bob (§7.5: the check depends on Alice's long-lived Δ).
//   Random OT outputs (W = 3 scalars per OT): Bob v_c = Hrot(sid, c, ψ_c), ψ_c = column c of V;
//   Alice v_{c,0} = Hrot(sid, c, ζ_c), v_{c,1} = Hrot(sid, c, ζ_c ⊕ Δ), ζ_c = column c of Q.

import { u16be } from '../bytes.ts'
import { banError, ErrorCodes, invalidMessage } from '../errors.ts'
import { defineTag, hash, hashInto } from '../hash.ts'
import type { Rng } from '../rng.ts'
import { transposeColumns } from './bits.ts'
import { mulAcc, mulTable } from './gf128.ts'
import { BLOCKS, LEAVES } from './pprf.ts'

export const ROWS = 256
export const XI = 512
const ROW_BYTES = 80
const ROW_WORDS = 20
/** Bytes of one random-OT output: W = 3 scalars of 32 bytes. */
export const ROT_BYTES = 96
export const COTE_MSG_BYTES = BLOCKS * ROW_BYTES + 16 + ROWS * 16

const PRG = defineTag('cote/prg')
const CHI = defineTag('cote/chi')
const ROT = defineTag('cote/rot')

/** r_{j,y} for all blocks and leaves: 1024 rows of 80 bytes. */
function expandLeaves(sid: Uint8Array, leaves: Uint8Array): Uint8Array {
  const r = new Uint8Array(BLOCKS * LEAVES * ROW_BYTES)
  for (let jy = 0; jy < BLOCKS * LEAVES; jy++) {
    hashInto(r, jy * ROW_BYTES, ROW_BYTES, PRG, [sid, u16be(jy), leaves.subarray(32 * jy, 32 * jy + 32)])
  }
  return r
}

function challenges(sid: Uint8Array, u: Uint8Array): Uint32Array[] {
  const d = hash(CHI, [sid, u], 64)
  const w = new Uint32Array(d.buffer, d.byteOffset, 16)
  return [0, 1, 2, 3].map((m) => mulTable(w.subarray(4 * m, 4 * m + 4)))
}

/** Σ_m row[m]·χ_m + row[4] for a 640-bit row at word offset `o`. */
function compress(out: Uint32Array, tables: Uint32Array[], rows: Uint32Array, o: number): void {
  out[0] = rows[o + 16]!
  out[1] = rows[o + 17]!
  out[2] = rows[o + 18]!
  out[3] = rows[o + 19]!
  for (let m = 0; m < 4; m++) mulAcc(out, tables[m]!, rows, o + 4 * m)
}

function rotOutputs(sid: Uint8Array, cols: Uint32Array, flip: Uint32Array | null): Uint8Array {
  const out = new Uint8Array(XI * ROT_BYTES)
  const col = new Uint32Array(8)
  const col8 = new Uint8Array(col.buffer)
  for (let c = 0; c < XI; c++) {
    for (let k = 0; k < 8; k++) col[k] = cols[8 * c + k]! ^ (flip ? flip[k]! : 0)
    hashInto(out, c * ROT_BYTES, ROT_BYTES, ROT, [sid, u16be(c), col8])
  }
  return out
}

export type CoteReceiverOutput = {
  msg: Uint8Array
  /** ξ choice bits (64 bytes, little-endian bit order). */
  beta: Uint8Array
  /** ξ × 96 bytes of random-OT output v_c = v_{c,β_c}. */
  rot: Uint8Array
}

/** Bob (OT-extension receiver): all 16 leaves of every block are known. */
export function coteReceive(rng: Rng, sid: Uint8Array, leaves: Uint8Array): CoteReceiverOutput {
  const xhat = new Uint32Array(ROW_WORDS)
  rng.fill(new Uint8Array(xhat.buffer))
  const r = new Uint32Array(expandLeaves(sid, leaves).buffer)
  const msg = new Uint8Array(COTE_MSG_BYTES)
  const u = new Uint32Array(msg.buffer, 0, BLOCKS * ROW_WORDS)
  const V = new Uint32Array(ROWS * ROW_WORDS)
  for (let j = 0; j < BLOCKS; j++) {
    const uo = j * ROW_WORDS
    for (let w = 0; w < ROW_WORDS; w++) u[uo + w] = xhat[w]!
    for (let y = 0; y < LEAVES; y++) {
      const ro = (j * LEAVES + y) * ROW_WORDS
      for (let w = 0; w < ROW_WORDS; w++) u[uo + w]! ^= r[ro + w]!
      for (let b = 0; b < 4; b++) {
        if (((y >>> b) & 1) === 0) continue // public index pattern, not secret
        const vo = (4 * j + b) * ROW_WORDS
        for (let w = 0; w < ROW_WORDS; w++) V[vo + w]! ^= r[ro + w]!
      }
    }
  }
  const uBytes = msg.subarray(0, BLOCKS * ROW_BYTES)
  const tables = challenges(sid, uBytes)
  const x = new Uint32Array(msg.buffer, BLOCKS * ROW_BYTES, 4)
  compress(x, tables, xhat, 0)
  const t = new Uint32Array(msg.buffer, BLOCKS * ROW_BYTES + 16, ROWS * 4)
  const acc = new Uint32Array(4)
  for (let i = 0; i < ROWS; i++) {
    compress(acc, tables, V, i * ROW_WORDS)
    t.set(acc, 4 * i)
  }
  const cols = transposeColumns(V, ROWS, ROW_WORDS, XI)
  const rot = rotOutputs(sid, cols, null)
  const beta = new Uint8Array(xhat.buffer.slice(0, XI / 8))
  r.fill(0)
  V.fill(0)
  cols.fill(0)
  xhat.fill(0)
  return { msg, beta, rot }
}

export type CoteSenderOutput = {
  /** ξ × 96 bytes: v_{c,0}. */
  rot0: Uint8Array
  /** ξ × 96 bytes: v_{c,1}. */
  rot1: Uint8Array
}

/**
 * Alice (OT-extension sender): leaves with the punctured one zeroed and Δ (256 bits). Runs the
 * consistency check before anything else; a failure is a ban of Bob (`culprit`).
 */
export function coteSend(
  sid: Uint8Array,
  leaves: Uint8Array,
  delta: Uint8Array,
  msg: Uint8Array,
  culprit: number,
): CoteSenderOutput {
  if (msg.length !== COTE_MSG_BYTES)
    throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, 'OT-extension message length', culprit)
  const m32 = new Uint32Array(msg.slice().buffer)
  const u = m32.subarray(0, BLOCKS * ROW_WORDS)
  const x = m32.subarray(BLOCKS * ROW_WORDS, BLOCKS * ROW_WORDS + 4)
  const t = m32.subarray(BLOCKS * ROW_WORDS + 4)
  const r = new Uint32Array(expandLeaves(sid, leaves).buffer)
  const Q = new Uint32Array(ROWS * ROW_WORDS)
  for (let j = 0; j < BLOCKS; j++) {
    const dj = (delta[j >>> 1]! >>> (4 * (j & 1))) & 0xf
    const uo = j * ROW_WORDS
    for (let b = 0; b < 4; b++) {
      const qo = (4 * j + b) * ROW_WORDS
      const mu = -((dj >>> b) & 1)
      for (let w = 0; w < ROW_WORDS; w++) Q[qo + w] = u[uo + w]! & mu
      for (let y = 0; y < LEAVES; y++) {
        const m = -(((dj ^ y) >>> b) & 1)
        const ro = (j * LEAVES + y) * ROW_WORDS
        for (let w = 0; w < ROW_WORDS; w++) Q[qo + w]! ^= r[ro + w]! & m
      }
    }
  }
  const tables = challenges(sid, msg.subarray(0, BLOCKS * ROW_BYTES))
  const acc = new Uint32Array(4)
  let diff = 0
  for (let i = 0; i < ROWS; i++) {
    compress(acc, tables, Q, i * ROW_WORDS)
    const di = -((delta[i >>> 3]! >>> (i & 7)) & 1)
    for (let k = 0; k < 4; k++) diff |= acc[k]! ^ t[4 * i + k]! ^ (x[k]! & di)
  }
  if (diff !== 0) {
    r.fill(0)
    Q.fill(0)
    throw banError(ErrorCodes.COTE_CHECK, culprit, 'OT-extension consistency check failed')
  }
  const cols = transposeColumns(Q, ROWS, ROW_WORDS, XI)
  const d32 = new Uint32Array(delta.slice().buffer)
  const rot0 = rotOutputs(sid, cols, null)
  const rot1 = rotOutputs(sid, cols, d32)
  r.fill(0)
  Q.fill(0)
  cols.fill(0)
  d32.fill(0)
  return { rot0, rot1 }
}
