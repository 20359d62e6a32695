// Test helpers (not used by the node): real key shares from an in-process DKG stored in a home.

import { type KeyShare, serializeKeyShare } from '../../protocol/keyshare.ts'
import { runDkg } from '../../simulations/inprocess/ceremony.ts'
import { seededRng } from '../../simulations/seeded-rng.ts'
import { homePaths, IDENTITY_RECORD } from '../config/index.ts'
import { useFastCurve } from '../crypto/fast-curve.ts'
import { addressOf, hex } from '../service/keys.ts'
import type { KeyRecord, KeyStatus } from '../store/records.ts'
import { Store } from '../store/store.ts'

/** Shares of an n-party, threshold-t key from a seeded in-process DKG. */
export function dkgShares(seed: string, n = 3, t = 2): Map<number, KeyShare> {
  useFastCurve()
  return runDkg(seededRng(seed), n, t).shares
}

export function recordOf(
  share: KeyShare,
  committee: string[],
  over: { epoch?: number; status?: KeyStatus } = {},
): KeyRecord {
  return {
    keyId: hex(share.keyId),
    publicKey: hex(share.publicKey),
    address: addressOf(share.publicKey),
    threshold: share.t,
    committee,
    epoch: over.epoch ?? share.epoch,
    status: over.status ?? 'active',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
  }
}

/** Stores `share` (re-serialized at `epoch`) and its record in the home's store, as the node does. */
export async function storeShare(
  home: string,
  passphrase: string,
  share: KeyShare,
  committee: string[],
  over: { epoch?: number; status?: KeyStatus } = {},
): Promise<{ record: KeyRecord; bytes: Uint8Array }> {
  const epoch = over.epoch ?? share.epoch
  const bytes = serializeKeyShare({ ...share, epoch })
  const record = recordOf(share, committee, { ...over, epoch })
  const store = await Store.open({ path: homePaths(home).db, passphrase })
  try {
    await store.tx().putShare(record.keyId, epoch, bytes).putKey(record).commit()
  } finally {
    await store.close()
  }
  return { record, bytes }
}

/** Reads a home's keys, shares at their epochs, bans and identity key, for comparisons. */
export async function snapshotHome(home: string, passphrase: string) {
  const store = await Store.open({ path: homePaths(home).db, passphrase })
  try {
    const keys = await store.keys.list()
    const shares: Record<string, string> = {}
    const epochs: Record<string, number[]> = {}
    const bans: Record<string, unknown> = {}
    for (const k of keys) {
      const s = await store.shares.get(k.keyId, k.epoch)
      shares[k.keyId] = s === undefined ? '' : Buffer.from(s.expose()).toString('hex')
      s?.dispose()
      epochs[k.keyId] = await store.shares.epochs(k.keyId)
      bans[k.keyId] = (await store.bans.get(k.keyId)).entries
    }
    const identity = await store.secrets.get(IDENTITY_RECORD)
    return { keys, shares, epochs, bans, identity: identity === undefined ? '' : hex(identity) }
  } finally {
    await store.close()
  }
}
