import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { NodeError } from '../errors.ts'
import type { Store } from '../store/store.ts'

// The node's libp2p identity: an Ed25519 key generated on first start and kept in the encrypted
// store (protobuf form, sealed like every other record), so the peer id survives restarts.

export const IDENTITY_RECORD = 'libp2p-identity'

export type Identity = { privateKey: PrivateKey; peerId: string }

export async function loadIdentity(store: Store): Promise<Identity | undefined> {
  const bytes = await store.secrets.get(IDENTITY_RECORD)
  if (bytes === undefined) return undefined
  try {
    // A copy: the decoded key may alias its input, which is zeroed below.
    const privateKey = privateKeyFromProtobuf(Uint8Array.from(bytes))
    if (privateKey.type !== 'Ed25519') throw new Error('not Ed25519')
    return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString() }
  } catch (cause) {
    throw new NodeError('STORE_CORRUPT', 'stored node identity is unreadable', { cause })
  } finally {
    bytes.fill(0)
  }
}

/** The stored identity, or a new Ed25519 one persisted with a synced write. */
export async function loadOrCreateIdentity(store: Store): Promise<Identity> {
  const existing = await loadIdentity(store)
  if (existing !== undefined) return existing
  const privateKey = await generateKeyPair('Ed25519')
  const bytes = privateKeyToProtobuf(privateKey)
  try {
    await store.secrets.put(IDENTITY_RECORD, bytes)
  } finally {
    bytes.fill(0)
  }
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString() }
}
