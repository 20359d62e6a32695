// The plaintext inside a backup archive, and its canonical encoding. It exists only in memory:
// built, sealed and wiped by backup; opened, validated, written to the store and wiped by restore.
//
//   payload = u32 M ‖ meta (M bytes of canonical JSON) ‖ u32 I ‖ identity (I bytes)
//             ‖ for each meta.keys[k], in order: u32 S_k ‖ share_k (S_k bytes)
//   meta    = { createdAt, peerId, config, policy?, keys: [{ record, bans }] }, keys sorted by keyId
//
// Canonical JSON: object keys sorted, no whitespace, no undefined members, so the same node state
// always gives the same bytes. meta holds only public data (key records, bans, config.json, the
// policy file); the secrets (the libp2p identity key in its protobuf form and the serialized key
// shares of protocol/keyshare.ts) are binary fields that can be zeroed after use.

import { KEYSHARE_MAGIC } from '../../protocol/keyshare.ts'
import { type NodeConfig, validateConfig } from '../config/index.ts'
import { type BanEntry, type KeyRecord, validBans, validKey } from '../store/records.ts'
import { corruptArchive } from './errors.ts'

export type BackupKey = {
  record: KeyRecord
  /** Bans recorded on the key (public; restored so a cheater stays banned). */
  bans: BanEntry[]
  /** The serialized key share at `record.epoch` (secret). */
  share: Uint8Array
}

export type BackupPayload = {
  createdAt: number
  peerId: string
  /** The libp2p Ed25519 private key, protobuf-encoded (secret). */
  identity: Uint8Array
  config: NodeConfig
  /** The policy file named by a relative `config.policy`, when it exists. */
  policy?: string
  keys: BackupKey[]
}

type Meta = {
  createdAt: number
  peerId: string
  config: NodeConfig
  policy?: string
  keys: { record: KeyRecord; bans: BanEntry[] }[]
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>
    const members = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    return `{${members.join(',')}}`
  }
  if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new RangeError('payload numbers are integers')
  return JSON.stringify(v)
}

/** Encodes the payload into one fresh buffer (the caller wipes it). */
export function encodePayload(p: BackupPayload): Uint8Array {
  const keys = [...p.keys].sort((a, b) => (a.record.keyId < b.record.keyId ? -1 : 1))
  const meta: Meta = {
    createdAt: p.createdAt,
    peerId: p.peerId,
    config: validateConfig(p.config),
    ...(p.policy === undefined ? {} : { policy: p.policy }),
    keys: keys.map((k) => ({ record: validKey(k.record), bans: k.bans })),
  }
  const metaBytes = new TextEncoder().encode(canonicalJson(meta))
  const parts = [metaBytes, p.identity, ...keys.map((k) => k.share)]
  const out = new Uint8Array(parts.reduce((n, b) => n + 4 + b.length, 0))
  const dv = new DataView(out.buffer)
  let o = 0
  for (const b of parts) {
    dv.setUint32(o, b.length)
    out.set(b, o + 4)
    o += 4 + b.length
  }
  return out
}

/**
 * Decodes and validates a payload. `identity` and every `share` are views into `bytes`:
 * wiping `bytes` wipes them. Throws BACKUP_CORRUPT.
 */
export function decodePayload(bytes: Uint8Array): BackupPayload {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let o = 0
  const next = (what: string): Uint8Array => {
    if (o + 4 > bytes.length) throw corruptArchive(`payload truncated before ${what}`)
    const n = dv.getUint32(o)
    if (o + 4 + n > bytes.length) throw corruptArchive(`payload truncated in ${what}`)
    const v = bytes.subarray(o + 4, o + 4 + n)
    o += 4 + n
    return v
  }
  let meta: Meta
  try {
    meta = validMeta(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(next('meta'))))
  } catch (cause) {
    throw corruptArchive('payload metadata does not validate', cause)
  }
  const identity = next('identity')
  const keys = meta.keys.map((k, i) => {
    const share = next(`share ${i}`)
    checkShare(share, k.record)
    return { ...k, share }
  })
  if (o !== bytes.length) throw corruptArchive('payload has trailing bytes')
  return {
    createdAt: meta.createdAt,
    peerId: meta.peerId,
    identity,
    config: meta.config,
    ...(meta.policy === undefined ? {} : { policy: meta.policy }),
    keys,
  }
}

function validMeta(v: unknown): Meta {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError('meta: not an object')
  const m = v as Record<string, unknown>
  if (typeof m.createdAt !== 'number' || !Number.isSafeInteger(m.createdAt)) throw new TypeError('createdAt')
  if (typeof m.peerId !== 'string' || !/^[1-9A-HJ-NP-Za-km-z]{32,128}$/.test(m.peerId))
    throw new TypeError('peerId')
  if (m.policy !== undefined && typeof m.policy !== 'string') throw new TypeError('policy')
  if (!Array.isArray(m.keys)) throw new TypeError('keys')
  const keys = m.keys.map((k: unknown) => {
    const o = (typeof k === 'object' && k !== null ? k : {}) as Record<string, unknown>
    const record = validKey(o.record)
    return { record, bans: validBans({ keyId: record.keyId, entries: o.bans }).entries }
  })
  if (new Set(keys.map((k) => k.record.keyId)).size !== keys.length) throw new TypeError('duplicate key')
  return {
    createdAt: m.createdAt,
    peerId: m.peerId,
    config: validateConfig(m.config),
    ...(m.policy === undefined ? {} : { policy: m.policy }),
    keys,
  }
}

// protocol/keyshare.ts, version 1: magic "STV3KS" (0..6) ‖ version (6) ‖ keyId (7..39) ‖ dkgSid
// (39..71) ‖ epoch u32 (71..75) ‖ ... Only these public header fields are read here.
const KS_KEY_ID = 7
const KS_EPOCH = 71

/** The key id (hex) and epoch a serialized key share names, or undefined if it is not one. */
export function shareHeader(share: Uint8Array): { keyId: string; epoch: number } | undefined {
  if (share.length < KS_EPOCH + 4 || !KEYSHARE_MAGIC.every((b, i) => share[i] === b) || share[6] !== 1)
    return undefined
  return {
    keyId: Buffer.from(share.subarray(KS_KEY_ID, KS_KEY_ID + 32)).toString('hex'),
    epoch: new DataView(share.buffer, share.byteOffset, share.byteLength).getUint32(KS_EPOCH),
  }
}

/** A share must name its record's key and epoch (restore never rewrites an epoch). */
export function shareMatches(share: Uint8Array, record: KeyRecord): boolean {
  const h = shareHeader(share)
  return h !== undefined && h.keyId === record.keyId && h.epoch === record.epoch
}

function checkShare(share: Uint8Array, record: KeyRecord): void {
  if (!shareMatches(share, record))
    throw corruptArchive(`share of key ${record.keyId} does not match its record`)
}
