// Drives one protocol party from authenticated envelopes: buffers early rounds, refuses overwrites
// and late messages, steps the party when every expected message of its round is there, and drops a
// message the protocol calls invalid while it keeps waiting for a good one (TOB-SILA-14).

import type { OutMessage } from '../../protocol/codec.ts'
import { isProtocolError } from '../../protocol/errors.ts'
import type { Party } from '../../protocol/party.ts'

export type RunnerEvents<T> = {
  send(messages: OutMessage[]): void
  done(output: T): void
  fail(error: unknown): void
  /** A message was dropped (late, duplicate or invalid); `from` is the sender slot. */
  dropped(from: number, round: number, reason: string): void
}

export class RoundRunner<T> {
  readonly #party: Party<T>
  readonly #expected: number[]
  readonly #events: RunnerEvents<T>
  readonly #buffer = new Map<number, Map<number, Uint8Array>>()
  #finished = false

  constructor(party: Party<T>, otherSlots: number[], events: RunnerEvents<T>) {
    this.#party = party
    this.#expected = otherSlots
    this.#events = events
  }

  get round(): number {
    return this.#party.round
  }

  get finished(): boolean {
    return this.#finished
  }

  start(): void {
    try {
      this.#events.send(this.#party.start())
    } catch (e) {
      this.#fail(e)
      return
    }
    this.#pump()
  }

  #expectedFor(round: number): readonly number[] {
    return this.#party.expectedSenders?.(round) ?? this.#expected
  }

  admit(from: number, round: number, payload: Uint8Array): void {
    if (this.#finished) return this.#events.dropped(from, round, 'session already finished')
    if (!this.#expectedFor(round).includes(from))
      return this.#events.dropped(from, round, 'sender is not expected in this round')
    if (round < this.#party.round) return this.#events.dropped(from, round, 'late message for a past round')
    let slotMap = this.#buffer.get(round)
    if (!slotMap) {
      slotMap = new Map()
      this.#buffer.set(round, slotMap)
    }
    if (slotMap.has(from))
      return this.#events.dropped(from, round, 'second message for the same round (no overwrite)')
    slotMap.set(from, payload)
    this.#pump()
  }

  /** Ends the session from outside (timeout, peer abort, ban elsewhere). */
  cancel(): void {
    this.#finished = true
    this.#buffer.clear()
  }

  #pump(): void {
    while (!this.#finished) {
      const round = this.#party.round
      const msgs = this.#buffer.get(round)
      if (!msgs || msgs.size < this.#expectedFor(round).length) return
      let res: ReturnType<Party<T>['next']>
      try {
        res = this.#party.next([...msgs].map(([from, payload]) => ({ from, payload })))
      } catch (e) {
        if (
          isProtocolError(e) &&
          e.kind === 'invalid' &&
          e.culprits.length === 1 &&
          msgs.has(e.culprits[0]!)
        ) {
          msgs.delete(e.culprits[0]!)
          this.#events.dropped(e.culprits[0]!, round, `${e.code}: ${e.message}`)
          continue
        }
        this.#fail(e)
        return
      }
      this.#buffer.delete(round)
      if (res.messages.length > 0) this.#events.send(res.messages)
      if (res.output !== undefined) {
        this.#finished = true
        this.#buffer.clear()
        this.#events.done(res.output)
        return
      }
    }
  }

  #fail(e: unknown): void {
    this.#finished = true
    this.#buffer.clear()
    this.#events.fail(e)
  }
}
