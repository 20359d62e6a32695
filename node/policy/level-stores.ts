// Durable replay store and spending history over a `level` sublevel (or any KV of this shape).
// One process owns a database folder (LevelDB's LOCK), so serializing in-process is enough to
// make the replay check-and-set atomic.
import type { SpendEntry, SpendingHistory } from './context.ts'
import type { ReplayStore } from './replay.ts'

export type Kv<V> = {
  get(key: string): Promise<V | undefined>
  put(key: string, value: V): Promise<void>
  del(key: string): Promise<void>
  iterator(options?: { gte?: string; lt?: string }): AsyncIterable<[string, V]>
}

/** jti -> expiry (seconds). Expired ids are pruned by `prune`. */
export class LevelReplayStore implements ReplayStore {
  readonly #kv: Kv<number>
  #queue: Promise<unknown> = Promise.resolve()

  constructor(kv: Kv<number>) {
    this.#kv = kv
  }

  async has(jti: string): Promise<boolean> {
    return (await this.#kv.get(jti)) !== undefined
  }

  add(jti: string, expSeconds: number): Promise<boolean> {
    const run = this.#queue.then(async () => {
      if ((await this.#kv.get(jti)) !== undefined) return false
      await this.#kv.put(jti, expSeconds)
      return true
    })
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** Deletes ids whose tokens expired before `beforeSeconds`; returns how many. */
  async prune(beforeSeconds: number): Promise<number> {
    let n = 0
    for await (const [jti, exp] of this.#kv.iterator()) {
      if (exp < beforeSeconds) {
        await this.#kv.del(jti)
        n++
      }
    }
    return n
  }
}

const SEP = '\u0000'
const prefix = (keyId: string, token: string) => `${keyId}${SEP}${token}${SEP}`
const timeKey = (ms: number) => ms.toString(10).padStart(15, '0')

/** Keys `keyId \0 token \0 atMs \0 requestHash` -> amount (decimal string). */
export class LevelSpendingHistory implements SpendingHistory {
  readonly #kv: Kv<string>

  constructor(kv: Kv<string>) {
    this.#kv = kv
  }

  async spentSince(keyId: string, token: string, sinceMs: number): Promise<bigint> {
    const p = prefix(keyId, token)
    let sum = 0n
    for await (const [, amount] of this.#kv.iterator({ gte: p + timeKey(sinceMs + 1), lt: `${p}\uffff` })) {
      sum += BigInt(amount)
    }
    return sum
  }

  async record(e: SpendEntry): Promise<void> {
    await this.#kv.put(
      `${prefix(e.keyId, e.token)}${timeKey(e.atMs)}${SEP}${e.requestHash}`,
      e.amount.toString(10),
    )
  }

  /** Deletes entries older than `beforeMs` (they no longer count in any 24 h window). */
  async prune(keyId: string, token: string, beforeMs: number): Promise<void> {
    const p = prefix(keyId, token)
    for await (const [k] of this.#kv.iterator({ gte: p, lt: p + timeKey(beforeMs) })) await this.#kv.del(k)
  }
}
