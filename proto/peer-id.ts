import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'
import { NodeError } from '../node/errors.ts'

// Peer ids travel as the binary identity multihash of an Ed25519 libp2p public key:
// 0x00 (identity) 0x24 (36 bytes) | protobuf PublicKey { Type = Ed25519 (08 01), Data = 32 bytes (12 20 ..) }.
const ED25519_PEER_PREFIX = Uint8Array.of(0x00, 0x24, 0x08, 0x01, 0x12, 0x20)
export const PEER_ID_BYTES = ED25519_PEER_PREFIX.length + 32

/** Binary form of an Ed25519 peer id string; anything else is a `PEER_ID_INVALID` error. */
export function peerIdToBytes(peerId: string): Uint8Array {
  let bytes: Uint8Array
  try {
    const id = peerIdFromString(peerId)
    if (id.type !== 'Ed25519') throw new Error(`unsupported key type ${id.type}`)
    bytes = id.toMultihash().bytes
  } catch (cause) {
    throw new NodeError('PEER_ID_INVALID', 'not an Ed25519 libp2p peer id', {
      details: { peerId: peerId.slice(0, 80) },
      hints: ['peer ids are base58 strings starting with 12D3KooW'],
      cause,
      status: 400,
    })
  }
  return Uint8Array.from(bytes)
}

/** Peer id string of binary Ed25519 peer id bytes, or undefined when the bytes are not one. */
export function peerIdFromBytes(bytes: Uint8Array): string | undefined {
  if (bytes.length !== PEER_ID_BYTES) return undefined
  for (let i = 0; i < ED25519_PEER_PREFIX.length; i++)
    if (bytes[i] !== ED25519_PEER_PREFIX[i]) return undefined
  try {
    return peerIdFromPublicKey(publicKeyFromRaw(bytes.slice(ED25519_PEER_PREFIX.length))).toString()
  } catch {
    return undefined
  }
}
