// One hash family for the whole protocol (specs/dkls23.md §1.3): TurboSHAKE256 (RFC 9861) over an
// unambiguous encoding  enc(tag) ‖ enc(part_1) ‖ … ‖ enc(part_k),  enc(x) = u32be(|x|) ‖ x,
// with every tag versioned ("stv3-dkls23/v1/…") and registered once (uniqueness is enforced at load).
// Inputs that fit one sponge block take an allocation-free path over noble's Keccak permutation;
// it computes the same function (a test checks it against noble's turboshake256).

import { keccakP } from '@noble/hashes/sha3.js'
import { turboshake256 } from '@noble/hashes/sha3-addons.js'

const PREFIX = 'stv3-dkls23/v1/'
const RATE = 136
const D = 0x1f

const registry = new Set<string>()

/** A registered, pre-encoded domain tag. */
export type Tag = { readonly name: string; readonly enc: Uint8Array }

export function defineTag(name: string): Tag {
  const full = PREFIX + name
  if (registry.has(full)) throw new Error(`hash tag registered twice: ${full}`)
  registry.add(full)
  const bytes = new TextEncoder().encode(full)
  const enc = new Uint8Array(4 + bytes.length)
  new DataView(enc.buffer).setUint32(0, bytes.length)
  enc.set(bytes, 4)
  return { name: full, enc }
}

export const registeredTags = (): string[] => [...registry]

const state = new Uint32Array(50)
const state8 = new Uint8Array(state.buffer)

function encodedLength(tag: Tag, parts: readonly Uint8Array[]): number {
  let n = tag.enc.length
  for (const p of parts) n += 4 + p.length
  return n
}

/** H(tag, parts) with `dkLen` output bytes, written into `out` at `off`. */
export function hashInto(out: Uint8Array, off: number, dkLen: number, tag: Tag, parts: readonly Uint8Array[]): void {
  const len = encodedLength(tag, parts)
  if (len < RATE && dkLen <= RATE) {
    state.fill(0)
    state8.set(tag.enc, 0)
    let p = tag.enc.length
    for (const part of parts) {
      const n = part.length
      state8[p] = n >>> 24
      state8[p + 1] = (n >>> 16) & 0xff
      state8[p + 2] = (n >>> 8) & 0xff
      state8[p + 3] = n & 0xff
      state8.set(part, p + 4)
      p += 4 + n
    }
    state8[p]! ^= D
    state8[RATE - 1]! ^= 0x80
    keccakP(state, 12)
    out.set(state8.subarray(0, dkLen), off)
    return
  }
  const buf = new Uint8Array(len)
  buf.set(tag.enc, 0)
  let p = tag.enc.length
  const dv = new DataView(buf.buffer)
  for (const part of parts) {
    dv.setUint32(p, part.length)
    buf.set(part, p + 4)
    p += 4 + part.length
  }
  out.set(turboshake256(buf, { dkLen, D }), off)
}

export function hash(tag: Tag, parts: readonly Uint8Array[], dkLen = 32): Uint8Array {
  const out = new Uint8Array(dkLen)
  hashInto(out, 0, dkLen, tag, parts)
  return out
}

/** The reference path (always noble's turboshake256), used by tests to check the fast path. */
export function hashReference(tag: Tag, parts: readonly Uint8Array[], dkLen = 32): Uint8Array {
  const chunks: Uint8Array[] = [tag.enc]
  for (const p of parts) {
    const l = new Uint8Array(4)
    new DataView(l.buffer).setUint32(0, p.length)
    chunks.push(l, p)
  }
  let n = 0
  for (const c of chunks) n += c.length
  const buf = new Uint8Array(n)
  let o = 0
  for (const c of chunks) {
    buf.set(c, o)
    o += c.length
  }
  return turboshake256(buf, { dkLen, D })
}
