// What a backup takes from an open store, and how a restore puts it back.
//
// Taken: every key record whose status is `active` or `frozen`, with its bans and its share at
// the record's epoch; the libp2p identity key. Left out, on purpose:
//   - presignatures (never: a restored presignature could be used a second time);
//   - shares at any other epoch: older ones are retired, newer ones belong to a refresh or reshare
//     that is not confirmed yet (two-phase: the record's epoch moves only at confirmation), so a
//     backup taken during a refresh holds the confirmed epoch. Back up again after every refresh
//     or reshare: the old archive's shares are then refused by the peers (EPOCH_RETIRED);
//   - `pending` key records (a DKG whose confirmation did not arrive; the node never activates them
//     after a restart, so they would come back as dead records) and `retired` ones (no usable share);
//   - ceremony records (the audit trail has its own retention).
//
// Restore writes the archive's records and shares exactly as they were: it never rewrites an epoch,
// so a share from a retired epoch stays at that epoch and its peers refuse any proposal naming it
// (node/service/admission.ts, EPOCH_RETIRED). It never deletes: shares the store holds at other
// epochs stay where they are.

import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { IDENTITY_RECORD, loadIdentity } from '../config/identity.ts'
import type { NodeConfig } from '../config/index.ts'
import { wipe } from '../log/secret.ts'
import type { BanEntry, KeyRecord, KeyStatus } from '../store/records.ts'
import type { Store } from '../store/store.ts'
import { backupError, corruptArchive } from './errors.ts'
import { type BackupKey, type BackupPayload, shareMatches } from './payload.ts'

export type Skipped = { keyId: string; status: KeyStatus }

const BACKED_UP: readonly KeyStatus[] = ['active', 'frozen']

/** Reads the keys and the identity out of `store`. Secrets in the result are fresh buffers: wipe them. */
export async function collectBackup(
  store: Store,
  config: NodeConfig,
  extra: { policy?: string; now?: number } = {},
): Promise<{ payload: BackupPayload; skipped: Skipped[] }> {
  const identity = await loadIdentity(store)
  const identityBytes = await store.secrets.get(IDENTITY_RECORD)
  if (identity === undefined || identityBytes === undefined) {
    throw backupError('BACKUP_HOME_INCOMPLETE', 'the store holds no node identity', {
      hints: ['initialise the home (mpc-node init) before backing it up'],
    })
  }
  const keys: BackupKey[] = []
  const skipped: Skipped[] = []
  try {
    for (const record of await store.keys.list()) {
      if (!BACKED_UP.includes(record.status)) {
        skipped.push({ keyId: record.keyId, status: record.status })
        continue
      }
      const secret = await store.shares.get(record.keyId, record.epoch)
      if (secret === undefined) {
        throw backupError('BACKUP_SHARE_MISSING', 'a key has no share at its epoch', {
          details: { keyId: record.keyId, epoch: record.epoch },
          hints: ['the store is inconsistent; no archive was written'],
        })
      }
      const share = secret.expose()
      keys.push({ record, bans: (await store.bans.get(record.keyId)).entries, share })
      if (!shareMatches(share, record)) {
        throw backupError('BACKUP_SHARE_MISMATCH', 'a stored share names another key or epoch', {
          details: { keyId: record.keyId, epoch: record.epoch },
          hints: ['the store is inconsistent; no archive was written'],
        })
      }
    }
  } catch (e) {
    wipe(identityBytes, ...keys.map((k) => k.share))
    throw e
  }
  const payload: BackupPayload = {
    createdAt: extra.now ?? Date.now(),
    peerId: identity.peerId,
    identity: identityBytes,
    config,
    ...(extra.policy === undefined ? {} : { policy: extra.policy }),
    keys,
  }
  return { payload, skipped }
}

export type RestoredKey = {
  keyId: string
  epoch: number
  /** added: new here; replaced: the store had an older epoch; forced: the store had a newer epoch
   *  (--force); share-only: same epoch, the stored record (its status) was kept. */
  action: 'added' | 'replaced' | 'forced' | 'share-only'
}

export type RestoreReport = {
  peerId: string
  identity: 'added' | 'unchanged' | 'replaced'
  keys: RestoredKey[]
}

/** The peer id of a protobuf-encoded identity key (read from a copy, which is wiped). */
export function identityPeerId(bytes: Uint8Array): string {
  const copy = Uint8Array.from(bytes)
  try {
    const key = privateKeyFromProtobuf(copy)
    if (key.type !== 'Ed25519') throw new Error('not Ed25519')
    return peerIdFromPrivateKey(key).toString()
  } catch (cause) {
    throw corruptArchive('the node identity key is unreadable', cause)
  } finally {
    wipe(copy)
  }
}

/**
 * Writes the payload's identity, key records, shares and bans to `store` in one atomic batch, after
 * every check passed (nothing is written when one fails). RESTORE_EPOCH_OLDER,
 * RESTORE_IDENTITY_MISMATCH unless `force`.
 */
export async function applyRestore(
  store: Store,
  payload: BackupPayload,
  options: { force?: boolean } = {},
): Promise<RestoreReport> {
  const force = options.force === true
  if (identityPeerId(payload.identity) !== payload.peerId) {
    throw corruptArchive('the node identity key does not match the archived peer id')
  }
  const stored = await loadIdentity(store)
  const identity =
    stored === undefined ? 'added' : stored.peerId === payload.peerId ? 'unchanged' : 'replaced'
  if (identity === 'replaced' && !force && (await store.keys.ids()).length > 0) {
    throw backupError(
      'RESTORE_IDENTITY_MISMATCH',
      'this home belongs to another node identity and holds keys',
      {
        details: { stored: stored?.peerId, archive: payload.peerId },
        hints: ['restore into an empty home, or pass --force to replace the identity (its keys stay)'],
      },
    )
  }

  const existing = new Map<string, KeyRecord>()
  for (const k of payload.keys) {
    const rec = await store.keys.get(k.record.keyId)
    if (rec !== undefined) existing.set(rec.keyId, rec)
  }
  const newer = payload.keys
    .map((k) => ({
      keyId: k.record.keyId,
      archive: k.record.epoch,
      stored: existing.get(k.record.keyId)?.epoch,
    }))
    .filter((c) => c.stored !== undefined && c.stored > c.archive)
  if (newer.length > 0 && !force) {
    throw backupError('RESTORE_EPOCH_OLDER', 'the store holds a newer epoch of a key than the archive', {
      details: { keys: newer },
      hints: [
        'the archive predates a refresh or reshare: its shares are retired and peers refuse them',
        'pass --force only if the newer epoch was never confirmed',
      ],
    })
  }

  const tx = store.tx()
  const keys: RestoredKey[] = []
  for (const k of payload.keys) {
    const { record } = k
    const old = existing.get(record.keyId)
    tx.putShare(record.keyId, record.epoch, k.share)
    let action: RestoredKey['action']
    if (old !== undefined && old.epoch === record.epoch && old.status !== 'pending') action = 'share-only'
    else {
      tx.putKey(record)
      action = old === undefined ? 'added' : old.epoch > record.epoch ? 'forced' : 'replaced'
    }
    keys.push({ keyId: record.keyId, epoch: record.epoch, action })
    const bans = await store.bans.get(record.keyId)
    const merged = mergeBans(bans.entries, k.bans)
    if (merged.length > bans.entries.length)
      tx.add(store.bans.putOp({ keyId: record.keyId, entries: merged }))
  }
  if (identity !== 'unchanged') tx.add(store.secrets.putOp(IDENTITY_RECORD, payload.identity))
  await tx.commit()
  return { peerId: payload.peerId, identity, keys }
}

const sameBan = (a: BanEntry, b: BanEntry) =>
  a.peerId === b.peerId && a.code === b.code && a.sessionId === b.sessionId

/** Bans only grow: the stored entries plus the archived ones not already there. */
function mergeBans(stored: BanEntry[], archived: BanEntry[]): BanEntry[] {
  return [...stored, ...archived.filter((a) => !stored.some((s) => sameBan(s, a)))]
}
