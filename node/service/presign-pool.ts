// Presignature pools (dkls23.md §7.6; threats.md #6): per key and signer set, filled on request and
// topped up in the background. Each node keeps its part of a presignature encrypted in the store under
// `presig/<keyId>/<id>`; using one deletes it (synced) before any message of the final round can leave
// the node, so a presignature is used at most once, also across restarts. Backups never include them.

import type { Presignature } from '../../protocol/sign/party.ts'
import { parsePresignature, serializePresignature } from '../../protocol/sign/presign.ts'
import type { NodeError } from '../errors.ts'
import type { Logger } from '../log/index.ts'
import type { KeyRecord } from '../store/records.ts'
import type { Store, Transaction } from '../store/store.ts'
import { hex } from './keys.ts'

const recordId = (keyId: string, id: string) => `presig/${keyId}/${id}`
const poolKey = (keyId: string, signers: readonly number[]) => `${keyId}|${signers.join(',')}`

export type PresignaturePoolComponents = {
  store: Store
  logger: Logger
  /** Run one presigning ceremony for `rec` with `signers`; resolves to the presignature id. */
  presign(rec: KeyRecord, signers: number[]): Promise<Uint8Array>
}

export class PresignaturePool {
  readonly #c: PresignaturePoolComponents
  readonly #pools = new Map<string, string[]>()
  readonly #targets = new Map<string, number>()
  readonly #refilling = new Set<string>()
  readonly #consuming = new Set<string>()
  #stopping = false

  constructor(components: PresignaturePoolComponents) {
    this.#c = components
  }

  #pool(keyId: string, signers: readonly number[]): string[] {
    const k = poolKey(keyId, signers)
    let p = this.#pools.get(k)
    if (!p) {
      p = []
      this.#pools.set(k, p)
    }
    return p
  }

  available(keyId: string, signers: readonly number[]): number {
    return this.#pool(keyId, signers).length
  }

  /** This node's part of a new presignature (the engine's hook). */
  async save(pre: Presignature): Promise<void> {
    const bytes = serializePresignature(pre)
    try {
      await this.#c.store.secrets.put(recordId(hex(pre.keyId), hex(pre.sessionId)), bytes)
    } finally {
      bytes.fill(0)
    }
  }

  /** Take this node's part of presignature `id` out of the store, atomically and once. */
  async consume(keyId: string, id: string): Promise<Presignature | undefined> {
    const rid = recordId(keyId, id)
    if (this.#consuming.has(rid)) return undefined
    this.#consuming.add(rid)
    try {
      const bytes = await this.#c.store.secrets.get(rid)
      if (!bytes) return undefined
      // Deleted (synced) before any message of the final round can leave this node.
      await this.#c.store.write([this.#c.store.secrets.delOp(rid)])
      try {
        return parsePresignature(bytes)
      } finally {
        bytes.fill(0)
      }
    } finally {
      this.#consuming.delete(rid)
    }
  }

  /** Fill the pool to `count` now, and keep it there in the background afterwards. */
  async fill(rec: KeyRecord, signers: number[], count: number): Promise<number> {
    this.#targets.set(poolKey(rec.keyId, signers), count)
    let created = 0
    while (this.available(rec.keyId, signers) < count) {
      await this.#presignOnce(rec, signers)
      created++
    }
    return created
  }

  /** An id to sign with (the caller falls back to all rounds if a co-signer no longer holds it). */
  take(rec: KeyRecord, signers: number[]): string | undefined {
    const id = this.#pool(rec.keyId, signers).shift()
    if (id !== undefined) this.#refill(rec, signers)
    return id
  }

  /** A key moved to a new epoch: its presignatures are useless. Adds the deletions to `tx`. */
  async dropKey(keyId: string, tx: Transaction): Promise<void> {
    const ids = await this.#c.store.secrets.ids({ gte: `presig/${keyId}/`, lt: `presig/${keyId}0` })
    for (const id of ids) tx.add(this.#c.store.secrets.delOp(id))
    for (const [k] of this.#pools) if (k.startsWith(`${keyId}|`)) this.#pools.delete(k)
  }

  /** After a restart: the stored presignatures of active keys go back into their pools. */
  async reload(): Promise<void> {
    const { store, logger } = this.#c
    for (const id of await store.secrets.ids({ gte: 'presig/', lt: 'presig0' })) {
      const [, keyId, sid] = id.split('/')
      const bytes = await store.secrets.get(id)
      if (!bytes || !keyId || !sid) continue
      try {
        const pre = parsePresignature(bytes)
        const rec = await store.keys.get(keyId)
        if (rec?.status === 'active' && rec.epoch === pre.epoch && pre.path.length === 0)
          this.#pool(keyId, pre.signers).push(sid)
      } catch {
        logger.warn({ keyId }, 'unreadable presignature record ignored')
      } finally {
        bytes.fill(0)
      }
    }
  }

  stop(): void {
    this.#stopping = true
  }

  async #presignOnce(rec: KeyRecord, signers: number[]): Promise<string> {
    const id = hex(await this.#c.presign(rec, signers))
    this.#pool(rec.keyId, signers).push(id)
    return id
  }

  /** Top the pool up in the background, one presignature at a time. */
  #refill(rec: KeyRecord, signers: number[]): void {
    const k = poolKey(rec.keyId, signers)
    const target = this.#targets.get(k) ?? 0
    if (this.#stopping || this.#refilling.has(k) || this.available(rec.keyId, signers) >= target) return
    this.#refilling.add(k)
    void this.#presignOnce(rec, signers)
      .catch((e) =>
        this.#c.logger.warn(
          { keyId: rec.keyId, code: (e as NodeError).code },
          'background presigning failed',
        ),
      )
      .finally(() => {
        this.#refilling.delete(k)
        if (!this.#stopping) setTimeout(() => this.#refill(rec, signers), 50).unref()
      })
  }
}
