// AuditLog: the node's append-only, hash-chained audit trail over a key-value store (a `level`
// sublevel with `valueEncoding: 'json'`, or anything with the same get/put/iterator shape).
// Keys are the zero-padded seq, so iteration order is chain order. Appends are serialized by a
// promise queue (concurrent appends never fork the chain) and written with `sync: true` before
// `append` resolves: callers await it before releasing a signature share.
import { NodeError } from '../errors.ts'
import type { JsonObject } from '../identity/canonical.ts'
import {
  type AuditData,
  type AuditKind,
  type AuditRecord,
  GENESIS_HASH,
  makeRecord,
  recordLine,
} from './record.ts'
import { sanitizeAuditData } from './redact.ts'

/** The subset of a level (sub)level that the log uses. */
export type AuditKv = {
  get(key: string): Promise<AuditRecord | undefined>
  put(key: string, value: AuditRecord, options?: { sync?: boolean }): Promise<void>
  iterator(options?: {
    gte?: string
    lte?: string
    reverse?: boolean
    limit?: number
  }): AsyncIterable<[string, AuditRecord]>
}

export type AuditLogComponents = { kv: AuditKv; clock?: () => number }

type Head = { seq: number; hash: string; ts: number }

export function seqKey(seq: number): string {
  return seq.toString(10).padStart(16, '0')
}

export class AuditLog {
  readonly #kv: AuditKv
  readonly #clock: () => number
  #head: Head | null | undefined
  #queue: Promise<unknown> = Promise.resolve()

  constructor(components: AuditLogComponents) {
    this.#kv = components.kv
    this.#clock = components.clock ?? Date.now
  }

  /**
   * Appends a record; its data is sanitized first (free text is hashed, see redact.ts).
   * Resolves once the record is durably written. Throws `AUDIT_WRITE_FAILED`.
   */
  append<K extends AuditKind>(kind: K, data: AuditData[K]): Promise<AuditRecord> {
    const run = this.#queue.then(() => this.#append(kind, data as unknown as JsonObject))
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** The latest record's seq and hash (null for an empty log): publish it as an anchor. */
  async head(): Promise<{ seq: number; hash: string } | null> {
    await this.#queue
    const h = await this.#loadHead()
    return h === null ? null : { seq: h.seq, hash: h.hash }
  }

  /** All records in chain order, one JSON line each (no trailing newline). */
  async *export(): AsyncIterable<string> {
    for await (const [, record] of this.#kv.iterator()) yield recordLine(record)
  }

  async #append(kind: AuditKind, data: JsonObject): Promise<AuditRecord> {
    const head = await this.#loadHead()
    const seq = head === null ? 0 : head.seq + 1
    // Timestamps never go backwards along the chain, even if the wall clock does.
    const ts = Math.max(this.#clock(), head?.ts ?? 0)
    const record = makeRecord(seq, ts, kind, sanitizeAuditData(kind, data), head?.hash ?? GENESIS_HASH)
    try {
      await this.#kv.put(seqKey(seq), record, { sync: true })
    } catch (cause) {
      this.#head = undefined // unknown state: re-read before the next append
      throw new NodeError('AUDIT_WRITE_FAILED', 'Audit record could not be written', {
        cause,
        details: { seq, kind },
        hints: ['Do not release any signature share while the audit cannot be written.'],
      })
    }
    this.#head = { seq, hash: record.hash, ts }
    return record
  }

  async #loadHead(): Promise<Head | null> {
    if (this.#head !== undefined) return this.#head
    let head: Head | null = null
    for await (const [, r] of this.#kv.iterator({ reverse: true, limit: 1 }))
      head = { seq: r.seq, hash: r.hash, ts: r.ts }
    this.#head = head
    return head
  }
}
