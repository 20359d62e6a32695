export type RateLimit = {
  /** Window length in milliseconds. */
  windowMs: number
  /** Frames accepted from one peer per window. */
  maxMessages: number
  /** Bytes accepted from one peer per window. */
  maxBytes: number
}

/**
 * DKLs23 with a few parties sends tens of frames per ceremony round, up to ~100 KB each in key
 * generation; these defaults leave room for several concurrent ceremonies.
 */
export const DEFAULT_RATE_LIMIT: Readonly<RateLimit> = Object.freeze({
  windowMs: 1000,
  maxMessages: 2000,
  maxBytes: 64 << 20,
})

type Window = { start: number; messages: number; bytes: number; dropped: number }

/** Fixed-window per-peer inbound limiter. `admit` says whether a frame may be delivered. */
export class PeerRateLimiter {
  readonly #windows = new Map<string, Window>()

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts the frame; false when it exceeds the peer's budget for the current window. */
  admit(peerId: string, bytes: number): { ok: boolean; firstDropInWindow: boolean } {
    const t = this.now()
    let w = this.#windows.get(peerId)
    if (w === undefined || t - w.start >= this.limit.windowMs) {
      w = { start: t, messages: 0, bytes: 0, dropped: 0 }
      this.#windows.set(peerId, w)
    }
    if (w.messages + 1 > this.limit.maxMessages || w.bytes + bytes > this.limit.maxBytes) {
      w.dropped++
      return { ok: false, firstDropInWindow: w.dropped === 1 }
    }
    w.messages++
    w.bytes += bytes
    return { ok: true, firstDropInWindow: false }
  }

  forget(peerId: string): void {
    this.#windows.delete(peerId)
  }
}
