// secp256k1 arithmetic: the scalar field, strict codecs, and a narrow point backend.
// noble-curves is the reference; a faster backend (libsecp256k1 in WASM, injected by node/) can
// serve the hot paths through the same interface (`setCurveBackend`). Points cross the interface as
// 33-byte SEC1 compressed encodings that are always valid and never the identity.

import { secp256k1 } from '@noble/curves/secp256k1.js'
import { ErrorCodes, invalidMessage, type ProtocolError } from '../errors.ts'
import type { Rng } from '../rng.ts'

export const Point = secp256k1.Point
export type Point = InstanceType<typeof secp256k1.Point>
export const Fn = secp256k1.Point.Fn
export const q: bigint = Fn.ORDER
export const G: Point = Point.BASE

export const mod = (a: bigint): bigint => {
  const r = a % q
  return r < 0n ? r + q : r
}
export const inv = (a: bigint): bigint => Fn.inv(mod(a))

/** 32 bytes big-endian at `off` of a DataView → bigint, no reduction (hot loops pass one view). */
export const readBig = (dv: DataView, off: number): bigint =>
  (dv.getBigUint64(off) << 192n) |
  (dv.getBigUint64(off + 8) << 128n) |
  (dv.getBigUint64(off + 16) << 64n) |
  dv.getBigUint64(off + 24)

/** bigint in [0, 2^256) → 32 bytes big-endian at `off` of a DataView. */
export function writeBig(dv: DataView, off: number, x: bigint): void {
  dv.setBigUint64(off + 24, BigInt.asUintN(64, x))
  dv.setBigUint64(off + 16, BigInt.asUintN(64, x >> 64n))
  dv.setBigUint64(off + 8, BigInt.asUintN(64, x >> 128n))
  dv.setBigUint64(off, BigInt.asUintN(64, x >> 192n))
}

export const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength)

/** 32 bytes big-endian → bigint, no reduction. */
export const bytesToBig = (b: Uint8Array, off = 0): bigint => readBig(view(b), off)

/** bigint in [0, 2^256) → 32 bytes big-endian, written at `off`. */
export const bigToBytesInto = (x: bigint, out: Uint8Array, off: number): void => writeBig(view(out), off, x)

export function scalarToBytes(x: bigint): Uint8Array {
  const out = new Uint8Array(32)
  bigToBytesInto(x, out, 0)
  return out
}

/** Strict scalar decoding: values ≥ q are rejected, never reduced. */
export function decodeScalar(b: Uint8Array, culprit?: number, what = 'scalar'): bigint {
  if (b.length !== 32) throw bad(`${what}: expected 32 bytes`, culprit)
  const x = bytesToBig(b)
  if (x >= q) throw bad(`${what}: not below the group order`, culprit)
  return x
}

/** Strict point decoding: on the curve, compressed, never the identity. */
export function decodePoint(b: Uint8Array, culprit?: number, what = 'point'): Point {
  if (b.length !== 33 || (b[0] !== 2 && b[0] !== 3))
    throw bad(`${what}: expected a 33-byte compressed point`, culprit)
  try {
    return Point.fromBytes(b)
  } catch {
    throw bad(`${what}: not a point on secp256k1`, culprit)
  }
}

function bad(message: string, culprit?: number): ProtocolError {
  return invalidMessage(ErrorCodes.MALFORMED_MESSAGE, message, culprit)
}

/** Uniform non-zero scalar by rejection sampling. */
export function randomScalar(rng: Rng): bigint {
  const b = new Uint8Array(32)
  for (;;) {
    rng.fill(b)
    const x = bytesToBig(b)
    if (x > 0n && x < q) {
      b.fill(0)
      return x
    }
  }
}

/** Reduce a 32-byte hash output to a scalar (bias ≈ 2^-128 for secp256k1, dkls23.md §1.2). */
export const reduce32 = (b: Uint8Array, off = 0): bigint => mod(bytesToBig(b, off))

export const pointBytes = (p: Point): Uint8Array => p.toBytes(true)

// ---------------------------------------------------------------- backend

export interface CurveBackend {
  readonly name: string
  /** k·G for 0 < k < q. */
  mulG(k: bigint): Uint8Array
  /** k·P for 0 < k < q and a valid non-identity compressed P; null if the result is the identity. */
  mul(p: Uint8Array, k: bigint): Uint8Array | null
  /** P + Q, or null for the identity. */
  add(p: Uint8Array, q: Uint8Array): Uint8Array | null
  /** A valid 33-byte compressed encoding of a point other than the identity. */
  isPoint(p: Uint8Array): boolean
}

export const nobleBackend: CurveBackend = {
  name: 'noble',
  mulG: (k) => G.multiply(k).toBytes(true),
  mul: (p, k) => {
    const r = Point.fromBytes(p).multiply(k)
    return r.is0() ? null : r.toBytes(true)
  },
  add: (a, b) => {
    const r = Point.fromBytes(a).add(Point.fromBytes(b))
    return r.is0() ? null : r.toBytes(true)
  },
  isPoint: (p) => {
    if (p.length !== 33 || (p[0] !== 2 && p[0] !== 3)) return false
    try {
      Point.fromBytes(p)
      return true
    } catch {
      return false
    }
  },
}

let backend: CurveBackend = nobleBackend

/** Select the point backend for hot paths (node/ injects libsecp256k1-in-WASM). */
export function setCurveBackend(b: CurveBackend): void {
  backend = b
}
export const curve = (): CurveBackend => backend

/** Negate a compressed point (flip the parity byte). */
export function negBytes(p: Uint8Array): Uint8Array {
  const out = p.slice()
  out[0] = p[0] === 2 ? 3 : 2
  return out
}
