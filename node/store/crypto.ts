import { randomBytes, scrypt } from 'node:crypto'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { NodeError } from '../errors.ts'

// At-rest encryption of store records (threats.md #15).
//   key    = scrypt(passphrase, salt; N, r, p) -> 32 bytes, parameters kept in the clear meta record
//   record = FORMAT (1 byte) | nonce (24 random bytes) | XChaCha20-Poly1305(key, nonce, plaintext, ad)
//   ad     = "stv3-mpc-store/v1" | kind | id
// Binding kind and id into the associated data means a ciphertext copied onto another record
// (another key's share, another epoch) fails authentication instead of decrypting.

export const RECORD_FORMAT = 1
const NONCE_BYTES = 24
const AD_PREFIX = 'stv3-mpc-store/v1'

export type KdfParams = { alg: 'scrypt'; N: number; r: number; p: number; salt: Uint8Array; dkLen: 32 }

/** Production cost: about 128 MiB and a few hundred ms per derivation, off the main thread. */
export const DEFAULT_SCRYPT = { N: 1 << 17, r: 8, p: 1 } as const

export function newKdfParams(cost: { N: number; r: number; p: number } = DEFAULT_SCRYPT): KdfParams {
  checkCost(cost)
  return { alg: 'scrypt', ...cost, salt: Uint8Array.from(randomBytes(32)), dkLen: 32 }
}

function checkCost(c: { N: number; r: number; p: number }): void {
  const powerOfTwo = Number.isSafeInteger(c.N) && c.N >= 2 && (c.N & (c.N - 1)) === 0
  if (!powerOfTwo || c.N > 1 << 22 || !(c.r >= 1 && c.r <= 32) || !(c.p >= 1 && c.p <= 16)) {
    throw new NodeError('STORE_CORRUPT', 'scrypt parameters out of range', {
      details: { N: c.N, r: c.r, p: c.p },
    })
  }
}

/** Derives the 32-byte record key. Runs in libuv's thread pool, not on the event loop. */
export async function deriveKey(passphrase: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  checkCost(params)
  const maxmem = 128 * params.N * params.r * params.p + (32 << 20)
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      passphrase,
      params.salt,
      params.dkLen,
      { N: params.N, r: params.r, p: params.p, maxmem },
      (err, k) => (err ? reject(err) : resolve(k)),
    ),
  )
  const out = Uint8Array.from(key)
  key.fill(0)
  return out
}

function associatedData(kind: string, id: string): Uint8Array {
  return new TextEncoder().encode(`${AD_PREFIX}\u0000${kind}\u0000${id}`)
}

export function seal(key: Uint8Array, kind: string, id: string, plaintext: Uint8Array): Uint8Array {
  const nonce = Uint8Array.from(randomBytes(NONCE_BYTES))
  const ct = xchacha20poly1305(key, nonce, associatedData(kind, id)).encrypt(plaintext)
  const out = new Uint8Array(1 + NONCE_BYTES + ct.length)
  out[0] = RECORD_FORMAT
  out.set(nonce, 1)
  out.set(ct, 1 + NONCE_BYTES)
  return out
}

/** Decrypts a sealed record. Throws STORE_CORRUPT when it was tampered with, moved or sealed under another key. */
export function unseal(key: Uint8Array, kind: string, id: string, sealed: Uint8Array): Uint8Array {
  if (sealed.length < 1 + NONCE_BYTES + 16 || sealed[0] !== RECORD_FORMAT) {
    throw corrupt(kind, id, 'unknown record format')
  }
  try {
    return xchacha20poly1305(key, sealed.subarray(1, 1 + NONCE_BYTES), associatedData(kind, id)).decrypt(
      sealed.subarray(1 + NONCE_BYTES),
    )
  } catch (cause) {
    throw corrupt(kind, id, 'authentication failed', cause)
  }
}

export function corrupt(kind: string, id: string, reason: string, cause?: unknown): NodeError {
  return new NodeError('STORE_CORRUPT', `store record ${kind}/${id} is unreadable`, {
    details: { kind, id, reason },
    hints: [
      'the record was modified, moved between keys, or written under another passphrase',
      'restore it from a backup',
    ],
    cause,
  })
}
