// One hash family for the whole protocol (specs/dkls23.md §1.3): TurboSHAKE256 (RFC 9861) over an
// unambiguous encoding  enc(tag) ‖ enc(part_1) ‖ … ‖ enc(part_k),  enc(x) = u32be(|x|) ‖ x,
// with every tag versioned ("stv3-dkls23/v1/…") and registered once (uniqueness is enforced at load).
// Inputs that fit one sponge block take an allocation-free path over noble's Keccak permutation;
// it computes the same function (tests check it against noble's turboshake256 and keccakP).

import { turboshake256 } from '@noble/hashes/sha3-addons.js'
import { keccakP1600 } from './keccak.ts'

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
export function hashInto(
  out: Uint8Array,
  off: number,
  dkLen: number,
  tag: Tag,
  parts: readonly Uint8Array[],
): void {
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
    keccakP1600(state, 12)
    out.set(state8.subarray(0, dkLen), off)
    return
  }
  const sponge = new Sponge()
  sponge.absorb(tag.enc)
  const l = new Uint8Array(4)
  for (const part of parts) {
    new DataView(l.buffer).setUint32(0, part.length)
    sponge.absorb(l)
    sponge.absorb(part)
  }
  sponge.squeeze(out.subarray(off, off + dkLen))
}

/** TurboSHAKE256 sponge (rate 136, 12 rounds, domain byte D) over keccakP1600. */
class Sponge {
  private readonly s = new Uint32Array(50)
  private readonly s8 = new Uint8Array(this.s.buffer)
  private pos = 0

  absorb(data: Uint8Array): void {
    let i = 0
    while (i < data.length) {
      const n = Math.min(RATE - this.pos, data.length - i)
      for (let k = 0; k < n; k++) this.s8[this.pos + k]! ^= data[i + k]!
      this.pos += n
      i += n
      if (this.pos === RATE) {
        keccakP1600(this.s, 12)
        this.pos = 0
      }
    }
  }

  squeeze(out: Uint8Array): void {
    this.s8[this.pos]! ^= D
    this.s8[RATE - 1]! ^= 0x80
    keccakP1600(this.s, 12)
    let o = 0
    for (;;) {
      const n = Math.min(RATE, out.length - o)
      out.set(this.s8.subarray(0, n), o)
      o += n
      if (o >= out.length) return
      keccakP1600(this.s, 12)
    }
  }
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
