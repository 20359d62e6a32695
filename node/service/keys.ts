// Key views and loading a share for a ceremony (decrypted, parsed, bans applied).

import { publicKeyToAddress } from 'viem/accounts'
import { type KeyShare, parseKeyShare } from '../../protocol/keyshare.ts'
import { Point } from '../../protocol/math/curve.ts'
import { NodeError } from '../errors.ts'
import type { KeyRecord } from '../store/records.ts'
import type { Store } from '../store/store.ts'
import type { KeyView } from './types.ts'

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
export const addressOf = (compressed: Uint8Array): string =>
  publicKeyToAddress(`0x${hex(Point.fromBytes(compressed).toBytes(false))}`)

export function keyView(k: KeyRecord): KeyView {
  return {
    keyId: k.keyId,
    publicKey: `0x${k.publicKey}`,
    address: k.address,
    threshold: k.threshold,
    committee: k.committee,
    epoch: k.epoch,
    status: k.status,
  }
}

export function normalizeKeyId(keyId: string): string {
  const id = keyId.startsWith('0x') ? keyId.slice(2) : keyId
  if (!/^[0-9a-fA-F]{64}$/.test(id))
    throw new NodeError('KEY_ID_INVALID', 'a key id is 32 bytes of hex', { status: 400 })
  return id.toLowerCase()
}

export async function getKeyRecord(store: Store, keyId: string): Promise<KeyRecord> {
  const rec = await store.keys.get(normalizeKeyId(keyId))
  if (!rec)
    throw new NodeError('KEY_NOT_FOUND', 'no such key on this node', { status: 404, details: { keyId } })
  return rec
}

/** Decrypt and parse this node's share of `rec` at its epoch, with the persisted bans applied. */
export async function loadShare(store: Store, rec: KeyRecord): Promise<KeyShare> {
  const secret = await store.shares.get(rec.keyId, rec.epoch)
  if (!secret)
    throw new NodeError('SHARE_MISSING', 'this node holds no share of the key at its epoch', { status: 409 })
  let share: KeyShare
  try {
    share = parseKeyShare(secret.expose())
  } finally {
    secret.dispose()
  }
  const banned = await store.bans.bannedPeers(rec.keyId)
  rec.committee.forEach((peer, k) => {
    if (banned.has(peer)) share.banned.add(k + 1)
  })
  return share
}
