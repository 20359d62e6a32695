// did:key for secp256k1 and Ed25519 public keys, resolved locally.
// Spec: W3C CCG "The did:key Method v0.7": did:key:<multibase base58btc('z') of
// varint(multicodec) || public key>. Multicodecs: secp256k1-pub 0xe7 (33-byte compressed point),
// ed25519-pub 0xed (32 bytes). Both varints are two bytes ([0xe7, 0x01], [0xed, 0x01]).
// The single verification method of a did:key is `<did>#<method-specific id>`.
import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { base58 } from '@scure/base'
import { NodeError } from '../errors.ts'
import { BoundedCache } from './cache.ts'

export type DidKeyType = 'secp256k1' | 'ed25519'

export type ResolvedDidKey = {
  did: string
  /** DID URL of the single verification method: `did:key:z…#z…`. */
  kid: string
  keyType: DidKeyType
  /** Compressed SEC1 point (33 bytes) for secp256k1, 32 bytes for Ed25519. */
  publicKey: Uint8Array
}

export type DidUrl = { did: string; method: string; id: string; fragment?: string }

const PREFIX: Record<DidKeyType, readonly [number, number]> = {
  secp256k1: [0xe7, 0x01],
  ed25519: [0xed, 0x01],
}
const KEY_LENGTH: Record<DidKeyType, number> = { secp256k1: 33, ed25519: 32 }

// did = "did:" method-name ":" method-specific-id (DID Core §3.1), optional "#fragment".
// Paths and queries are not used by this project and are refused.
const DID_URL =
  /^did:([a-z0-9]+):((?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2}|:)*[A-Za-z0-9._-])(?:#([A-Za-z0-9._~:-]+))?$/

/** Parses `did:method:id` or `did:method:id#fragment`. Throws `DID_MALFORMED`. */
export function parseDidUrl(value: string): DidUrl {
  const m = typeof value === 'string' && value.length <= 512 ? DID_URL.exec(value) : null
  if (m === null) throw new NodeError('DID_MALFORMED', 'Not a DID or DID URL', { status: 400 })
  const out: DidUrl = { did: `did:${m[1]}:${m[2]}`, method: m[1], id: m[2] }
  if (m[3] !== undefined) out.fragment = m[3]
  return out
}

export function isDid(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const m = DID_URL.exec(value)
  return m !== null && m[3] === undefined
}

/** Builds the did:key of a public key (secp256k1 compressed or uncompressed; Ed25519 32 bytes). */
export function didKeyFromPublicKey(keyType: DidKeyType, publicKey: Uint8Array): ResolvedDidKey {
  let key: Uint8Array
  try {
    key =
      keyType === 'secp256k1'
        ? secp256k1.Point.fromBytes(publicKey).toBytes(true)
        : ed25519.Point.fromBytes(publicKey).toBytes()
  } catch (cause) {
    throw new NodeError('DID_KEY_INVALID', `Not a valid ${keyType} public key`, { cause, status: 400 })
  }
  const bytes = new Uint8Array(2 + key.length)
  bytes.set(PREFIX[keyType], 0)
  bytes.set(key, 2)
  const id = `z${base58.encode(bytes)}`
  const did = `did:key:${id}`
  return { did, kid: `${did}#${id}`, keyType, publicKey: key }
}

/**
 * Resolves a did:key (or a DID URL of its verification method) to its public key, locally.
 * Throws `DID_MALFORMED`, `DID_METHOD_UNSUPPORTED` (not did:key) or `DID_UNRESOLVABLE`
 * (unknown multibase/multicodec, wrong length, point not on the curve, or a foreign fragment).
 */
export function resolveDidKey(didOrUrl: string): ResolvedDidKey {
  const hit = resolved.get(didOrUrl) ?? resolved.set(didOrUrl, resolveUncached(didOrUrl))
  return { ...hit, publicKey: hit.publicKey.slice() }
}

// Resolution is a pure function of the string; failures are not cached.
const resolved = new BoundedCache<string, ResolvedDidKey>(4096)

function resolveUncached(didOrUrl: string): ResolvedDidKey {
  const url = parseDidUrl(didOrUrl)
  if (url.method !== 'key') {
    throw new NodeError('DID_METHOD_UNSUPPORTED', `DID method "${url.method}" is not supported`, {
      hints: ['Only did:key (secp256k1 or Ed25519) is resolved by this node.'],
      status: 400,
    })
  }
  if (url.fragment !== undefined && url.fragment !== url.id) throw unresolvable('unknown verification method')
  if (!url.id.startsWith('z')) throw unresolvable('multibase must be base58btc (z)')
  let bytes: Uint8Array
  try {
    bytes = base58.decode(url.id.slice(1))
  } catch {
    throw unresolvable('invalid base58btc')
  }
  const keyType = (Object.keys(PREFIX) as DidKeyType[]).find(
    (t) => bytes[0] === PREFIX[t][0] && bytes[1] === PREFIX[t][1],
  )
  if (keyType === undefined) throw unresolvable('unsupported multicodec')
  const key = bytes.subarray(2)
  if (key.length !== KEY_LENGTH[keyType]) throw unresolvable('wrong public key length')
  const out = (() => {
    try {
      return didKeyFromPublicKey(keyType, key)
    } catch {
      throw unresolvable('public key is not a valid curve point')
    }
  })()
  // Round-trip equality rejects non-canonical encodings of the same key.
  if (out.did !== url.did) throw unresolvable('non-canonical key encoding')
  return out
}

function unresolvable(why: string): NodeError {
  return new NodeError('DID_UNRESOLVABLE', `did:key cannot be resolved: ${why}`, { status: 400 })
}
