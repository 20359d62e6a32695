// The shape every protocol party has: rounds return messages, they never send them (sans-IO).
// `start()` gives the first round's messages; `next(msgs)` takes every message of the current round
// addressed to this party and returns the next round's messages, or the output.
// A step that throws an `invalid` error leaves the state untouched (the caller may drop the
// offending message and retry with a good one); `abort` and `ban` errors end the session.

import type { InMessage, OutMessage } from './codec.ts'
import { ErrorCodes, ProtocolError, usageError } from './errors.ts'

export type StepResult<T> = { messages: OutMessage[]; output?: T }

export interface Party<T> {
  readonly index: number
  /** Round number the party expects next (1-based), or 0 before start. */
  readonly round: number
  readonly done: boolean
  start(): OutMessage[]
  next(msgs: readonly InMessage[]): StepResult<T>
  /** Senders whose messages round `round` needs, when not every other party (resharing). */
  expectedSenders?(round: number): readonly number[]
}

/** Runs a step under the guard: refuses use after the end and records terminal failures. */
export class StepGuard {
  private ended: ProtocolError | 'done' | null = null
  started = false

  run<R>(fn: () => R): R {
    if (this.ended) throw usageError(ErrorCodes.SESSION_FINISHED, 'this session has ended; start a new one')
    try {
      return fn()
    } catch (e) {
      if (e instanceof ProtocolError && e.kind === 'invalid') throw e
      this.ended =
        e instanceof ProtocolError ? e : new ProtocolError(ErrorCodes.OUT_OF_ORDER, 'abort', String(e))
      throw e
    }
  }

  begin(): void {
    if (this.started) throw usageError(ErrorCodes.OUT_OF_ORDER, 'start() called twice')
    this.started = true
  }

  finish(): void {
    this.ended = 'done'
  }

  get finished(): boolean {
    return this.ended !== null
  }
}
