// Replay protection for request ids (`jti`). A jti is remembered until its token expires
// (plus clock skew); afterwards the token is refused as expired anyway.

export type ReplayStore = {
  has(jti: string): boolean | Promise<boolean>
  /**
   * Remembers `jti` until `expSeconds`. May return false when the jti was already present
   * (an atomic check-and-set): the request is then refused as a replay.
   */
  add(jti: string, expSeconds: number): undefined | boolean | Promise<undefined | boolean>
}

/** In-memory replay store (tests, single-process nodes). Prunes expired ids as it goes. */
export class MemoryReplayStore implements ReplayStore {
  readonly #seen = new Map<string, number>()
  readonly #clock: () => number
  readonly #skewSeconds: number

  constructor(opts: { clock?: () => number; skewSeconds?: number } = {}) {
    this.#clock = opts.clock ?? Date.now
    this.#skewSeconds = opts.skewSeconds ?? 60
  }

  has(jti: string): boolean {
    return this.#seen.has(jti)
  }

  add(jti: string, expSeconds: number): boolean {
    if (this.#seen.has(jti)) return false
    this.#prune()
    this.#seen.set(jti, expSeconds + this.#skewSeconds)
    return true
  }

  get size(): number {
    return this.#seen.size
  }

  #prune(): void {
    const now = Math.floor(this.#clock() / 1000)
    for (const [jti, until] of this.#seen) if (until < now) this.#seen.delete(jti)
  }
}
