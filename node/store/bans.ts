import { NodeError } from '../errors.ts'
import { type BanEntry, type BanRecord, banCodec, hexId } from './records.ts'
import { type BatchOp, Repository, type StoreCore, type Sublevel } from './repository.ts'

/**
 * Persistent bans (threats.md #7): a ban-class failure is terminal for that counterparty on that
 * key. Entries are only ever added; a refresh or reshare that removes the party creates a new key
 * epoch, and lifting a ban is an explicit operator action (`clear`).
 */
export class BanRepository {
  readonly #repo: Repository<BanRecord>
  #lock: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly core: StoreCore,
    db: Sublevel,
  ) {
    this.#repo = new Repository(core, 'bans', db, banCodec)
  }

  async get(keyId: Uint8Array | string): Promise<BanRecord> {
    const k = hexId(keyId)
    return (await this.#repo.get(k)) ?? { keyId: k, entries: [] }
  }

  async bannedPeers(keyId: Uint8Array | string): Promise<Set<string>> {
    return new Set((await this.get(keyId)).entries.map((e) => e.peerId))
  }

  async isBanned(keyId: Uint8Array | string, peerId: string): Promise<boolean> {
    return (await this.bannedPeers(keyId)).has(peerId)
  }

  /** Throws PEER_BANNED when any of `peerIds` is banned on the key. */
  async assertNotBanned(keyId: Uint8Array | string, peerIds: Iterable<string>): Promise<void> {
    const banned = await this.bannedPeers(keyId)
    const hit = [...peerIds].filter((p) => banned.has(p))
    if (hit.length > 0) {
      throw new NodeError('PEER_BANNED', 'a committee member is banned on this key', {
        details: { keyId: hexId(keyId), peers: hit },
        hints: ['refuse the ceremony', 'refresh or reshare the key without the banned party'],
        status: 403,
      })
    }
  }

  /** Adds a ban durably (single synced write). Idempotent per (peerId, code, sessionId). */
  add(keyId: Uint8Array | string, entry: BanEntry): Promise<BanRecord> {
    return this.#serial(async () => {
      const rec = await this.get(keyId)
      const dup = rec.entries.some(
        (e) => e.peerId === entry.peerId && e.code === entry.code && e.sessionId === entry.sessionId,
      )
      if (!dup) rec.entries.push({ ...entry })
      await this.core.write([this.#repo.putOp(rec.keyId, rec)])
      return rec
    })
  }

  /** Operator action: lift every ban on a key. */
  clear(keyId: Uint8Array | string): Promise<void> {
    return this.#serial(() => this.core.write([this.#repo.delOp(hexId(keyId))]))
  }

  /** For atomic batches that also touch other records: the op that stores `rec` as is. */
  putOp(rec: BanRecord): BatchOp {
    return this.#repo.putOp(hexId(rec.keyId), rec)
  }

  #serial<R>(f: () => Promise<R>): Promise<R> {
    const run = this.#lock.then(f, f)
    this.#lock = run.catch(() => undefined)
    return run
  }
}
