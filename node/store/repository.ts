import { NodeError } from '../errors.ts'
import { corrupt, seal, unseal } from './crypto.ts'
import type { Codec } from './records.ts'

/** A sublevel of the root database holding sealed records. */
export type Sublevel = {
  readonly prefix: string
  get(key: string): Promise<Uint8Array | undefined>
  keys(options: { gte?: string; lt?: string }): AsyncIterable<string>
}

/** One operation of an atomic batch, applied through the root database. */
export type BatchOp =
  | { type: 'put'; sublevel: Sublevel; key: string; value: Uint8Array }
  | { type: 'del'; sublevel: Sublevel; key: string }

/** What a repository needs from the store: the record key and the atomic writer. */
export type StoreCore = {
  recordKey(): Uint8Array
  write(ops: BatchOp[]): Promise<void>
}

/**
 * A typed repository of encrypted records in one sublevel. Every value is sealed with the record
 * kind and id as associated data and validated by its codec on the way in and out.
 */
export class Repository<T> {
  constructor(
    protected readonly core: StoreCore,
    readonly kind: string,
    protected readonly db: Sublevel,
    protected readonly codec: Codec<T>,
    /** The id a record must be stored under, when the record names it (keyId, sessionId). */
    protected readonly idOf?: (value: T) => string,
  ) {}

  putOp(id: string, value: T): BatchOp {
    const plain = this.codec.encode(value)
    if (this.idOf !== undefined && this.idOf(value) !== id) {
      throw new NodeError('STORE_RECORD_INVALID', `${this.kind} record stored under another id`, {
        details: { kind: this.kind, field: 'id' },
        status: 400,
      })
    }
    const op: BatchOp = {
      type: 'put',
      sublevel: this.db,
      key: id,
      value: seal(this.core.recordKey(), this.kind, id, plain),
    }
    return op
  }

  delOp(id: string): BatchOp {
    return { type: 'del', sublevel: this.db, key: id }
  }

  async put(id: string, value: T): Promise<void> {
    await this.core.write([this.putOp(id, value)])
  }

  async delete(id: string): Promise<void> {
    await this.core.write([this.delOp(id)])
  }

  async get(id: string): Promise<T | undefined> {
    const key = this.core.recordKey()
    const sealed = await this.db.get(id)
    if (sealed === undefined) return undefined
    const plain = unseal(key, this.kind, id, sealed)
    try {
      return this.codec.decode(plain)
    } catch (cause) {
      if (cause instanceof NodeError && cause.code === 'STORE_CORRUPT') throw cause
      throw corrupt(this.kind, id, 'record does not validate', cause)
    }
  }

  /** Ids in [gte, lt), in key order. */
  async ids(range: { gte?: string; lt?: string } = {}): Promise<string[]> {
    this.core.recordKey()
    const out: string[] = []
    for await (const k of this.db.keys(range)) out.push(k)
    return out
  }

  async list(range: { gte?: string; lt?: string } = {}): Promise<T[]> {
    const out: T[] = []
    for (const id of await this.ids(range)) {
      const v = await this.get(id)
      if (v !== undefined) out.push(v)
    }
    return out
  }
}
