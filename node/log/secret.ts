import { inspect } from 'node:util'
import { NodeError } from '../errors.ts'

export const REDACTED = '[redacted]'

/**
 * A secret value with no printable form: JSON, string conversion and util.inspect all give
 * "[redacted]", so a Secret that slips into a log line, an error or an API response shows nothing.
 * The value sits in a private field (invisible to Object.keys, spread and structured logging) and
 * is only reachable through `expose()`. `dispose()` overwrites byte values and forgets the value.
 */
export class Secret<T = Uint8Array> {
  #value: T | undefined

  constructor(value: T) {
    this.#value = value
  }

  /** The wrapped value. Throws NodeError SECRET_DISPOSED after `dispose()`. */
  expose(): T {
    if (this.#value === undefined) throw new NodeError('SECRET_DISPOSED', 'the secret was disposed')
    return this.#value
  }

  /** Runs `f` on the value and disposes the secret afterwards, even when `f` throws. */
  async use<R>(f: (value: T) => R | Promise<R>): Promise<R> {
    try {
      return await f(this.expose())
    } finally {
      this.dispose()
    }
  }

  get disposed(): boolean {
    return this.#value === undefined
  }

  /** Zeroes byte values and drops the reference. */
  dispose(): void {
    if (this.#value instanceof Uint8Array) this.#value.fill(0)
    this.#value = undefined
  }

  toJSON(): string {
    return REDACTED
  }

  toString(): string {
    return REDACTED
  }

  [Symbol.toPrimitive](): string {
    return REDACTED
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`
  }
}

/** Overwrites byte buffers with zeros (best effort: JS strings and copies made elsewhere cannot be reached). */
export function wipe(...buffers: (Uint8Array | undefined | null)[]): void {
  for (const b of buffers) b?.fill(0)
}
