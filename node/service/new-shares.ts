// New shares between "this node holds one" and "every participant holds one" (two-phase: a key or
// epoch becomes active only on the coordinator's commit, or on evidence of it: a proposal at the new
// epoch). Each pending share is written with a marker in one batch, and markers are reloaded at
// start, so a restart before the commit does not strand a node. Old epochs and their presignatures
// are erased on the switch (threats.md #12).

import type { Proposal } from '../../proto/types.ts'
import type { KeyShare } from '../../protocol/keyshare.ts'
import { serializeKeyShare } from '../../protocol/keyshare.ts'
import type { ReshareOutput } from '../../protocol/reshare/party.ts'
import type { Logger } from '../log/index.ts'
import type { CeremonyRecord, KeyRecord } from '../store/records.ts'
import type { Store } from '../store/store.ts'
import { addressOf, hex } from './keys.ts'
import type { PresignaturePool } from './presign-pool.ts'

type PendingEpoch = { keyId: string; epoch: number; committee: string[]; threshold: number; leaving: boolean }

export type NewSharesComponents = {
  store: Store
  logger: Logger
  selfPeerId: string
  presignatures(): PresignaturePool
}

export class NewShares {
  readonly #store: Store
  readonly #logger: Logger
  readonly #self: string
  readonly #presignatures: () => PresignaturePool
  readonly #pendingDkg = new Map<string, string>()
  readonly #pendingEpochs = new Map<string, PendingEpoch>()

  constructor(c: NewSharesComponents) {
    this.#store = c.store
    this.#logger = c.logger
    this.#self = c.selfPeerId
    this.#presignatures = c.presignatures
  }

  /** A DKG finished here: share, pending record and marker in one batch; active at the commit. */
  async keyGenerated(p: Proposal, share: KeyShare): Promise<void> {
    const keyId = hex(share.keyId)
    const now = Date.now()
    const rec: KeyRecord = {
      keyId,
      publicKey: hex(share.publicKey),
      address: addressOf(share.publicKey),
      threshold: p.threshold,
      committee: p.committee,
      epoch: 0,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
    }
    const bytes = serializeKeyShare(share)
    try {
      // One atomic, synced batch: the share and its record land together or not at all.
      await this.#store
        .tx()
        .putShare(keyId, 0, bytes)
        .putKey(rec)
        .putCeremony(pendingRecord(p, 'dkg', keyId, 0, p.committee, p.committee.indexOf(this.#self) + 1, ''))
        .commit()
    } finally {
      bytes.fill(0)
      share.secretShare.fill(0)
    }
    this.#pendingDkg.set(hex(p.sessionNonce), keyId)
  }

  /** A refresh or resharing finished here: the new share stays pending until the commit. */
  async reshared(p: Proposal, out: ReshareOutput): Promise<void> {
    const keyId = hex(p.keyId)
    const newCommittee = p.kind === 'refresh' ? p.committee : p.newCommittee
    const newT = p.kind === 'refresh' ? p.threshold : p.newThreshold
    const epoch = p.epoch + 1
    const marker = pendingRecord(
      p,
      p.kind === 'refresh' ? 'refresh' : 'reshare',
      keyId,
      epoch,
      newCommittee,
      out.share?.index ?? 255,
      `${newT.toString(16).padStart(2, '0')}${out.share ? '00' : '01'}`,
    )
    if (!out.share) await this.#store.tx().putCeremony(marker).commit()
    if (out.share) {
      const bytes = serializeKeyShare(out.share)
      try {
        const tx = this.#store.tx().putShare(keyId, epoch, bytes).putCeremony(marker)
        // A member that joins has no record yet: it stays pending until the commit.
        if (!(await this.#store.keys.get(keyId))) {
          const now = Date.now()
          tx.putKey({
            keyId,
            publicKey: hex(out.share.publicKey),
            address: addressOf(out.share.publicKey),
            threshold: newT,
            committee: newCommittee,
            epoch,
            status: 'pending',
            createdAt: now,
            updatedAt: now,
          })
        }
        await tx.commit()
      } finally {
        bytes.fill(0)
        out.share.secretShare.fill(0)
      }
    }
    this.#pendingEpochs.set(hex(p.sessionNonce), {
      keyId,
      epoch,
      committee: newCommittee,
      threshold: newT,
      leaving: !out.share,
    })
  }

  /** The coordinator confirmed that every party holds its share of a new key. */
  async activateKey(nonce: string): Promise<void> {
    const keyId = this.#pendingDkg.get(nonce)
    if (!keyId) return
    this.#pendingDkg.delete(nonce)
    const rec = await this.#store.keys.get(keyId)
    const tx = this.#store.tx()
    const marker = await this.#store.ceremonies.get(nonce)
    if (marker) tx.putCeremony({ ...marker, status: 'completed', updatedAt: Date.now() })
    if (rec?.status === 'pending') tx.putKey({ ...rec, status: 'active', updatedAt: Date.now() })
    await tx.commit()
  }

  /** Switch a key to its committed new epoch and erase the old shares (threats.md #12). */
  async applyEpoch(nonce: string): Promise<void> {
    const pending = this.#pendingEpochs.get(nonce)
    if (!pending) return
    this.#pendingEpochs.delete(nonce)
    const rec = await this.#store.keys.get(pending.keyId)
    if (!rec) return
    const tx = this.#store.tx()
    if (pending.leaving) {
      tx.putKey({ ...rec, status: 'retired', updatedAt: Date.now() })
    } else {
      tx.putKey({
        ...rec,
        epoch: pending.epoch,
        committee: pending.committee,
        threshold: pending.threshold,
        status: 'active',
        updatedAt: Date.now(),
      })
    }
    // Presignatures of the old epoch are useless; old epochs are erased once the new one is active
    // everywhere (threats.md #12).
    await this.#presignatures().dropKey(pending.keyId, tx)
    for (const e of await this.#store.shares.epochs(pending.keyId))
      if (e < pending.epoch) tx.deleteShare(pending.keyId, e)
    const marker = await this.#store.ceremonies.get(nonce)
    if (marker) tx.putCeremony({ ...marker, status: 'completed', updatedAt: Date.now() })
    if (pending.leaving)
      for (const e of await this.#store.shares.epochs(pending.keyId))
        if (e >= pending.epoch) tx.deleteShare(pending.keyId, e)
    await tx.commit()
    this.#logger.info(
      { keyId: pending.keyId, epoch: pending.epoch, leaving: pending.leaving },
      'new epoch committed',
    )
  }

  /**
   * A proposal at a newer epoch than ours, for a key whose new share we hold pending, is evidence that
   * the coordinator committed (its commit message may still be in flight): apply it first.
   */
  async catchUp(p: Proposal): Promise<void> {
    if (p.kind === 'dkg') return
    for (const [nonce, keyId] of this.#pendingDkg) if (keyId === hex(p.keyId)) await this.activateKey(nonce)
    for (const [nonce, pend] of this.#pendingEpochs)
      if (pend.keyId === hex(p.keyId) && p.epoch >= pend.epoch) await this.applyEpoch(nonce)
  }

  /** Markers of commits this node had not seen before a restart. */
  async reload(): Promise<void> {
    for (const c of await this.#store.ceremonies.list()) {
      if (c.status !== 'running') continue
      if (c.kind === 'dkg') this.#pendingDkg.set(c.sessionId, c.keyId)
      else if (c.output && c.output.length === 4)
        this.#pendingEpochs.set(c.sessionId, {
          keyId: c.keyId,
          epoch: c.epoch,
          committee: c.committee,
          threshold: Number.parseInt(c.output.slice(0, 2), 16),
          leaving: c.output.slice(2) === '01',
        })
    }
  }
}

/** A ceremony whose commit this node has not seen yet (kept with the pending share, in one batch). */
function pendingRecord(
  p: Proposal,
  kind: CeremonyRecord['kind'],
  keyId: string,
  epoch: number,
  committee: string[],
  slot: number,
  output: string,
): CeremonyRecord {
  const now = Date.now()
  return {
    sessionId: hex(p.sessionNonce),
    kind,
    keyId,
    status: 'running',
    committee,
    slot,
    epoch,
    createdAt: now,
    updatedAt: now,
    output,
  }
}
