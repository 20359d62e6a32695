// The backup archive container: a self-describing, versioned file that seals a node's payload
// (node/backup/payload.ts) under a key derived from a passphrase.
//
// Layout (version 1; integers big-endian):
//   offset size
//   0      8    magic "STV3BKUP"
//   8      1    version = 1
//   9      1    passphrase source: 1 = the store passphrase, 2 = a separate backup passphrase
//               (informational: it chooses the hint of BACKUP_BAD_PASSPHRASE, nothing else)
//   10     1    kdf = 1 (scrypt)
//   11     1    log2(N)   (1..22)
//   12     1    r         (1..32)
//   13     1    p         (1..16)
//   14     32   salt      (random, the archive's own; never the store's)
//   46     16   key check = HMAC-SHA256(K, "stv3-mpc-backup/v1 key check")[0..16]
//   62     24   nonce     (random)
//   86     4    ciphertext length L (payload length + 16)
//   90     L    XChaCha20-Poly1305(Kenc, nonce, payload, ad = bytes 0..90, the whole header)
//   90+L   32   SHA-256(bytes 0..90+L)
//
//   K    = scrypt(NFKC(passphrase), salt; N, r, p, dkLen 32)
//   Kenc = HKDF-SHA256(K, info "stv3-mpc-backup/v1 payload")
//
// Reading checks, in this order, so each failure has one code:
//   magic, minimum length ............................ BACKUP_CORRUPT
//   version .......................................... BACKUP_VERSION
//   length L, SHA-256 trailer, KDF parameter ranges .. BACKUP_CORRUPT (truncated or altered; no KDF run)
//   key check ........................................ BACKUP_BAD_PASSPHRASE
//   AEAD tag, payload validation ..................... BACKUP_CORRUPT (deliberately altered)
// The trailer is an unkeyed checksum: it only tells accidental damage from a wrong passphrase;
// authenticity comes from the AEAD tag, which also covers the header as associated data. An
// attacker who rewrites the salt and the checksum is, unavoidably, reported as a wrong passphrase.
// The KDF never runs with unvalidated scrypt parameters: a crafted header cannot ask for more than
// 1 GiB (128·N·r) or more than 2^25 block mixes (N·r·p; the default is 2^20).

import { randomBytes } from 'node:crypto'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { wipe } from '../log/secret.ts'
import { DEFAULT_SCRYPT, deriveKey } from '../store/crypto.ts'
import { backupError, corruptArchive } from './errors.ts'

export const ARCHIVE_MAGIC = new TextEncoder().encode('STV3BKUP')
export const ARCHIVE_VERSION = 1
export const SUPPORTED_VERSIONS: readonly number[] = [1]
export const HEADER_BYTES = 90
const TAG_BYTES = 16
const TRAILER_BYTES = 32
const KEY_CHECK_BYTES = 16
const OFF = {
  version: 8,
  source: 9,
  kdf: 10,
  logN: 11,
  r: 12,
  p: 13,
  salt: 14,
  check: 46,
  nonce: 62,
  len: 86,
}
const KDF_SCRYPT = 1
const LABEL_CHECK = new TextEncoder().encode('stv3-mpc-backup/v1 key check')
const LABEL_PAYLOAD = new TextEncoder().encode('stv3-mpc-backup/v1 payload')

export type PassphraseSource = 'store' | 'backup'
const SOURCE_BYTE: Record<PassphraseSource, number> = { store: 1, backup: 2 }

export type ScryptCost = { N: number; r: number; p: number }

export type ArchiveHeader = {
  version: number
  source: PassphraseSource
  scrypt: ScryptCost
  salt: Uint8Array
}

export type SealOptions = {
  /** Which passphrase the operator used (recorded for the wrong-passphrase hint). */
  source: PassphraseSource
  /** scrypt cost (default N = 2^17, r = 8, p = 1; tests use a small N). */
  scrypt?: ScryptCost
}

function validCost(c: ScryptCost): boolean {
  const log2 = Math.log2(c.N)
  const ranges =
    Number.isInteger(log2) && log2 >= 1 && log2 <= 22 && c.r >= 1 && c.r <= 32 && c.p >= 1 && c.p <= 16
  return ranges && 128 * c.N * c.r <= 2 ** 30 && c.N * c.r * c.p <= 2 ** 25
}

/** K from the passphrase, then the payload key and the key check value; K is wiped. */
async function keys(passphrase: Uint8Array, cost: ScryptCost, salt: Uint8Array) {
  const k = await deriveKey(passphrase, { alg: 'scrypt', ...cost, salt, dkLen: 32 })
  const mac = hmac(sha256, k, LABEL_CHECK)
  try {
    return { enc: hkdf(sha256, k, undefined, LABEL_PAYLOAD, 32), check: mac.slice(0, KEY_CHECK_BYTES) }
  } finally {
    wipe(k, mac)
  }
}

/** Seals `payload` (left untouched; the caller wipes it) into archive bytes. */
export async function sealArchive(
  payload: Uint8Array,
  passphrase: Uint8Array,
  options: SealOptions,
): Promise<Uint8Array> {
  const cost = options.scrypt ?? DEFAULT_SCRYPT
  if (!validCost(cost)) throw new RangeError('scrypt cost out of range')
  const salt = Uint8Array.from(randomBytes(32))
  const nonce = Uint8Array.from(randomBytes(24))
  const { enc, check } = await keys(passphrase, cost, salt)
  const ctLen = payload.length + TAG_BYTES
  const out = new Uint8Array(HEADER_BYTES + ctLen + TRAILER_BYTES)
  const dv = new DataView(out.buffer)
  out.set(ARCHIVE_MAGIC, 0)
  out[OFF.version] = ARCHIVE_VERSION
  out[OFF.source] = SOURCE_BYTE[options.source]
  out[OFF.kdf] = KDF_SCRYPT
  out[OFF.logN] = Math.log2(cost.N)
  out[OFF.r] = cost.r
  out[OFF.p] = cost.p
  out.set(salt, OFF.salt)
  out.set(check, OFF.check)
  out.set(nonce, OFF.nonce)
  dv.setUint32(OFF.len, ctLen)
  const header = out.subarray(0, HEADER_BYTES)
  try {
    out.set(xchacha20poly1305(enc, nonce, header).encrypt(payload), HEADER_BYTES)
  } finally {
    wipe(enc, check)
  }
  out.set(sha256(out.subarray(0, HEADER_BYTES + ctLen)), HEADER_BYTES + ctLen)
  return out
}

/** The header fields, after the magic, version, length and checksum checks (no passphrase needed). */
export function readArchiveHeader(bytes: Uint8Array): ArchiveHeader {
  if (bytes.length < OFF.version + 1 || !ARCHIVE_MAGIC.every((b, i) => bytes[i] === b)) {
    throw corruptArchive('not an mpc-node backup archive (bad magic)')
  }
  const version = bytes[OFF.version]!
  if (!SUPPORTED_VERSIONS.includes(version)) {
    throw backupError('BACKUP_VERSION', `unsupported backup archive version ${version}`, {
      details: { version, supported: SUPPORTED_VERSIONS },
      hints: [
        'the archive was written by a newer mpc-node (or its version byte is damaged); upgrade to restore it',
      ],
    })
  }
  if (bytes.length < HEADER_BYTES + TAG_BYTES + TRAILER_BYTES) throw corruptArchive('truncated header')
  const ctLen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(OFF.len)
  if (ctLen < TAG_BYTES || bytes.length !== HEADER_BYTES + ctLen + TRAILER_BYTES) {
    throw corruptArchive(bytes.length < HEADER_BYTES + ctLen + TRAILER_BYTES ? 'truncated' : 'trailing bytes')
  }
  const body = bytes.subarray(0, HEADER_BYTES + ctLen)
  if (!equal(sha256(body), bytes.subarray(HEADER_BYTES + ctLen))) throw corruptArchive('checksum mismatch')
  const sourceByte = bytes[OFF.source]
  const source: PassphraseSource | undefined =
    sourceByte === 1 ? 'store' : sourceByte === 2 ? 'backup' : undefined
  const scrypt = { N: 2 ** bytes[OFF.logN]!, r: bytes[OFF.r]!, p: bytes[OFF.p]! }
  if (source === undefined) throw corruptArchive('unknown passphrase source')
  if (bytes[OFF.kdf] !== KDF_SCRYPT || !validCost(scrypt)) throw corruptArchive('unsupported kdf parameters')
  return { version, source, scrypt, salt: bytes.slice(OFF.salt, OFF.salt + 32) }
}

/** Opens archive bytes; returns the payload (the caller wipes it). */
export async function openArchive(bytes: Uint8Array, passphrase: Uint8Array): Promise<Uint8Array> {
  const h = readArchiveHeader(bytes)
  const { enc, check } = await keys(passphrase, h.scrypt, h.salt)
  try {
    if (!equal(check, bytes.subarray(OFF.check, OFF.check + KEY_CHECK_BYTES))) {
      throw backupError('BACKUP_BAD_PASSPHRASE', 'wrong backup passphrase', {
        details: { passphrase: h.source },
        hints:
          h.source === 'backup'
            ? ['this archive was sealed with a separate backup passphrase: set MPC_NODE_BACKUP_PASSPHRASE']
            : [
                'this archive was sealed with the store passphrase the node had when the backup was taken',
                'if that differs from the current one, pass it as MPC_NODE_BACKUP_PASSPHRASE',
              ],
        status: 401,
      })
    }
    const ctLen = bytes.length - HEADER_BYTES - TRAILER_BYTES
    try {
      return xchacha20poly1305(
        enc,
        bytes.subarray(OFF.nonce, OFF.nonce + 24),
        bytes.subarray(0, HEADER_BYTES),
      ).decrypt(bytes.subarray(HEADER_BYTES, HEADER_BYTES + ctLen))
    } catch (cause) {
      throw corruptArchive('authentication failed', cause)
    }
  } finally {
    wipe(enc, check)
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let d = 0
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!
  return d === 0
}
