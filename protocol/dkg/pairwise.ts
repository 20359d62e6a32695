// The pairwise setup every new key share needs (dkls23.md §3.3–3.4), shared by key generation and
// resharing: a zero-share seed per pair, and per ordered pair a batch of base OTs followed by the
// all-but-one OT, so that each party ends with Alice- and Bob-side OT state toward every peer.
//   round A: zero-seed contribution + base-OT sender message (this party as future Bob)
//   round B: base-OT receiver message (this party as future Alice)
//   round C: all-but-one OT message (this party as Bob)
//   finish : all-but-one OT receive (this party as Alice); the proof blames the sender.

import { wipe } from '../bytes.ts'
import { defineTag, hash } from '../hash.ts'
import type { PeerState } from '../keyshare.ts'
import * as baseOt from '../ot/base-ot.ts'
import { pprfReceive, pprfSend } from '../ot/pprf.ts'
import type { Rng } from '../rng.ts'

const T_ZERO = defineTag('setup/zero-seed')
const T_OT_SID = defineTag('setup/base-ot-sid')
const T_PPRF_SID = defineTag('setup/pprf-sid')

const b1 = (n: number) => new Uint8Array([n])
export const baseOtSid = (sid: Uint8Array, alice: number, bob: number) =>
  hash(T_OT_SID, [sid, b1(alice), b1(bob)])
export const pprfSid = (sid: Uint8Array, alice: number, bob: number) =>
  hash(T_PPRF_SID, [sid, b1(alice), b1(bob)])

export class PairwiseSetup {
  readonly #sid: Uint8Array
  readonly #self: number
  readonly #rng: Rng
  readonly #zeroOut = new Map<number, Uint8Array>()
  readonly #otSend = new Map<number, baseOt.SenderState>()
  readonly #choices = new Map<number, Uint8Array>()
  readonly #keys = new Map<number, Uint8Array>()
  readonly #peers = new Map<number, Partial<PeerState>>()

  constructor(sid: Uint8Array, self: number, rng: Rng) {
    this.#sid = sid
    this.#self = self
    this.#rng = rng
  }

  /** Round A toward peer j. */
  roundA(j: number): { zero: Uint8Array; otSender: Uint8Array } {
    const zero = this.#rng.fill(new Uint8Array(32))
    this.#zeroOut.set(j, zero)
    const ot = baseOt.senderStart(this.#rng, baseOtSid(this.#sid, j, this.#self))
    this.#otSend.set(j, ot.state)
    return { zero, otSender: ot.msg }
  }

  /** Round B toward peer j, on j's round-A values. */
  roundB(j: number, zeroFromJ: Uint8Array, otSenderFromJ: Uint8Array): Uint8Array {
    const [lo, hi] = this.#self < j ? [this.#self, j] : [j, this.#self]
    const mine = this.#zeroOut.get(j)!
    const parts = this.#self < j ? [mine, zeroFromJ] : [zeroFromJ, mine]
    this.#peers.set(j, { zeroSeed: hash(T_ZERO, [this.#sid, b1(lo), b1(hi), ...parts]) })
    const choices = this.#rng.fill(new Uint8Array(32))
    const { msg, keys } = baseOt.receiverRespond(
      this.#rng,
      baseOtSid(this.#sid, this.#self, j),
      otSenderFromJ,
      choices,
      j,
    )
    this.#choices.set(j, choices)
    this.#keys.set(j, keys)
    return msg
  }

  /** Round C toward peer j, on j's round-B message. */
  roundC(j: number, otReceiverFromJ: Uint8Array): Uint8Array {
    const keys = baseOt.senderFinish(
      this.#otSend.get(j)!,
      baseOtSid(this.#sid, j, this.#self),
      otReceiverFromJ,
      j,
    )
    const { msg, leaves } = pprfSend(pprfSid(this.#sid, j, this.#self), keys)
    wipe(keys)
    this.#otSend.delete(j)
    this.#peers.get(j)!.bobLeaves = leaves
    return msg
  }

  /** Finish toward peer j, on j's round-C message. */
  finish(j: number, pprfFromJ: Uint8Array): void {
    const { delta, leaves } = pprfReceive(
      pprfSid(this.#sid, this.#self, j),
      this.#keys.get(j)!,
      this.#choices.get(j)!,
      pprfFromJ,
      j,
    )
    wipe(this.#keys.get(j), this.#choices.get(j))
    this.#keys.delete(j)
    this.#choices.delete(j)
    const p = this.#peers.get(j)!
    p.aliceDelta = delta
    p.aliceLeaves = leaves
  }

  peers(): Map<number, PeerState> {
    return new Map([...this.#peers].map(([j, p]) => [j, p as PeerState]))
  }
}
