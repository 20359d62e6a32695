// Non-hardened BIP32 derivation on a threshold key (dkls23.md §9): public CKDpub along a path gives
// the total tweak δ = Σ I_L and the derived key PK' = PK + δ·G. Signers add δ/|P| to their additive
// shares; the path is bound into the signing session id.

import { hmac } from '@noble/hashes/hmac.js'
import { ripemd160 } from '@noble/hashes/legacy.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { concatBytes, u32be } from './bytes.ts'
import { ErrorCodes, usageError } from './errors.ts'
import { bytesToBig, G, mod, Point, q } from './math/curve.ts'

export const HARDENED = 0x80000000

export type Derived = {
  path: number[]
  tweak: bigint
  publicKey: Uint8Array
  chainCode: Uint8Array
  parentFingerprint: Uint8Array
  depth: number
}

export function parsePath(path: string): number[] {
  if (path === 'm' || path === '') return []
  const parts = path.split('/')
  if (parts[0] !== 'm') throw usageError(ErrorCodes.DERIVATION_INVALID, 'derivation path must start with m')
  return parts.slice(1).map((p) => {
    if (!/^\d+$/.test(p))
      throw usageError(ErrorCodes.DERIVATION_INVALID, `hardened or malformed path element "${p}"`)
    const n = Number(p)
    if (n >= HARDENED)
      throw usageError(ErrorCodes.DERIVATION_INVALID, 'hardened derivation needs the secret key')
    return n
  })
}

export const formatPath = (path: readonly number[]): string => ['m', ...path.map(String)].join('/')

export function derive(publicKey: Uint8Array, chainCode: Uint8Array, path: readonly number[]): Derived {
  let K = Point.fromBytes(publicKey)
  let c = chainCode
  let tweak = 0n
  let parentFingerprint: Uint8Array = new Uint8Array(4)
  for (const idx of path) {
    if (!Number.isInteger(idx) || idx < 0 || idx >= HARDENED)
      throw usageError(ErrorCodes.DERIVATION_INVALID, 'only non-hardened indices can be derived')
    const kb = K.toBytes(true)
    const I = hmac(sha512, c, concatBytes(kb, u32be(idx)))
    const IL = bytesToBig(I, 0)
    if (IL >= q)
      throw usageError(ErrorCodes.DERIVATION_INVALID, 'invalid child (I_L ≥ q); use the next index')
    const child = IL === 0n ? K : K.add(G.multiply(IL))
    if (child.is0())
      throw usageError(ErrorCodes.DERIVATION_INVALID, 'invalid child (identity); use the next index')
    parentFingerprint = ripemd160(sha256(kb)).subarray(0, 4)
    K = child
    c = I.subarray(32)
    tweak = mod(tweak + IL)
  }
  return {
    path: [...path],
    tweak,
    publicKey: K.toBytes(true),
    chainCode: c,
    parentFingerprint,
    depth: path.length,
  }
}
