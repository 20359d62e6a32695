// Simulated nodes on a simulated network. Each node keeps its key share as stored bytes (parsed on
// start and after a restart), runs any number of sessions, and does what a node's session layer does
// before a round may run: buffer messages by session and round (they may come early, late, twice),
// call `party.next` once a message from every other participant is in, drop a message the round
// refuses as `invalid` and keep waiting, end the session on any other failure. `party.next` is the
// only place compute happens; its wall-clock time is measured, never fed back into simulated time.

import { HEADER_BYTES, type InMessage, type OutMessage } from '../../protocol/codec.ts'
import { isProtocolError } from '../../protocol/errors.ts'
import type { Party } from '../../protocol/party.ts'
import { deliveries } from '../inprocess/driver.ts'
import type { Envelope, Network } from './network.ts'
import type { Scheduler } from './scheduler.ts'

export type Session<T> = {
  id: number
  party: Party<T>
  others: number[]
  everyone: number[]
  buffer: Map<number, Map<number, Uint8Array>>
  startedAt: number
  /** Simulated time at which each round's step returned (index = round). */
  doneAt: number[]
}

export type StepInfo = {
  node: number
  session: number
  round: number
  msgs: readonly InMessage[]
  ms: number
  error?: unknown
}

export type ClusterHooks<T> = {
  /** Is the session still wanted? Messages of other sessions are dropped as stale. */
  live(session: number): boolean
  step(info: StepInfo): void
  output(node: number, session: Session<T>, value: T): void
  failure(node: number, session: Session<T>, round: number, error: unknown): void
  /** Called before a round runs; true crashes the node there. */
  crashHere?(node: number, session: number, round: number): boolean
  crashed?(node: number, sessions: number[]): void
  /** Rewrite an outgoing message (malicious nodes); undefined keeps it. */
  rewrite?(
    node: number,
    session: number,
    to: number,
    round: number,
    payload: Uint8Array,
  ): Uint8Array | undefined
}

export type Counters = {
  bytesSent: Map<number, number>
  bytesReceived: Map<number, number>
  messagesSent: number
  /** Compute per node per round (round 0: start()). */
  compute: Map<number, Map<number, { ms: number; calls: number }>>
  earlyBuffered: number
  duplicatesIgnored: number
  stale: number
  lostToDownNode: number
}

export class SimNode<T> {
  up = true
  readonly sessions = new Map<number, Session<T>>()
  readonly early = new Map<number, Envelope[]>()
  constructor(readonly index: number) {}
}

export class Cluster<T> {
  readonly nodes: SimNode<T>[]
  readonly counters: Counters = {
    bytesSent: new Map(),
    bytesReceived: new Map(),
    messagesSent: 0,
    compute: new Map(),
    earlyBuffered: 0,
    duplicatesIgnored: 0,
    stale: 0,
    lostToDownNode: 0,
  }
  network!: Network

  constructor(
    n: number,
    readonly sched: Scheduler,
    readonly hooks: ClusterHooks<T>,
  ) {
    this.nodes = Array.from({ length: n }, (_, k) => new SimNode<T>(k + 1))
  }

  node(i: number): SimNode<T> {
    return this.nodes[i - 1]!
  }

  /** Start a party on node `at` for `session`; the participants are everyone in the ceremony. */
  open(at: number, session: number, party: Party<T>, everyone: readonly number[]): void {
    const node = this.node(at)
    if (!node.up) return
    const s: Session<T> = {
      id: session,
      party,
      others: everyone.filter((j) => j !== at),
      everyone: [...everyone],
      buffer: new Map(),
      startedAt: this.sched.now,
      doneAt: [],
    }
    node.sessions.set(session, s)
    const t0 = performance.now()
    let out: OutMessage[] | undefined
    let error: unknown
    try {
      out = party.start()
    } catch (e) {
      error = e
    }
    const ms = performance.now() - t0
    this.account(at, 0, ms)
    this.hooks.step({ node: at, session, round: 0, msgs: [], ms, error })
    if (!out) {
      node.sessions.delete(session)
      this.hooks.failure(at, s, 0, error)
      return
    }
    s.doneAt[0] = this.sched.now
    this.send(at, s, out)
    const early = node.early.get(session)
    if (early) {
      node.early.delete(session)
      for (const e of early) this.arrive(e)
    }
  }

  /** End a session at a node without output (abort notice, attempt over). */
  close(at: number, session: number): boolean {
    const node = this.node(at)
    node.early.delete(session)
    return node.sessions.delete(session)
  }

  crash(at: number): number[] {
    const node = this.node(at)
    const killed = [...node.sessions.keys()]
    node.up = false
    node.sessions.clear()
    node.early.clear()
    this.hooks.crashed?.(at, killed)
    return killed
  }

  restart(at: number): void {
    this.node(at).up = true
  }

  arrive(e: Envelope): void {
    const node = this.node(e.to)
    const c = this.counters
    if (!node.up) {
      c.lostToDownNode++
      return
    }
    c.bytesReceived.set(e.to, (c.bytesReceived.get(e.to) ?? 0) + e.payload.length)
    const s = node.sessions.get(e.session)
    if (!s) {
      if (!this.hooks.live(e.session)) c.stale++
      else {
        // The session has not started here yet (its start is still on the way).
        const list = node.early.get(e.session) ?? []
        list.push(e)
        node.early.set(e.session, list)
        c.earlyBuffered++
      }
      return
    }
    const round = e.payload.length >= HEADER_BYTES ? e.payload[2]! : -1
    if (round < s.party.round) {
      c.stale++
      return
    }
    if (round > s.party.round) c.earlyBuffered++
    let box = s.buffer.get(round)
    if (!box) {
      box = new Map()
      s.buffer.set(round, box)
    }
    if (box.has(e.from)) {
      c.duplicatesIgnored++
      return
    }
    box.set(e.from, e.payload)
    this.run(node, s)
  }

  private run(node: SimNode<T>, s: Session<T>): void {
    for (;;) {
      const round = s.party.round
      const box = s.buffer.get(round)
      if (!box || s.others.some((j) => !box.has(j))) return
      if (this.hooks.crashHere?.(node.index, s.id, round)) {
        this.crash(node.index)
        return
      }
      const msgs: InMessage[] = [...box].map(([from, payload]) => ({ from, payload }))
      const t0 = performance.now()
      let res: ReturnType<Party<T>['next']> | undefined
      let error: unknown
      try {
        res = s.party.next(msgs)
      } catch (e) {
        error = e
      }
      const ms = performance.now() - t0
      this.account(node.index, round, ms)
      this.hooks.step({ node: node.index, session: s.id, round, msgs, ms, error })
      if (!res) {
        if (isProtocolError(error) && error.kind === 'invalid' && error.culprits.length > 0) {
          // The round refused these messages and kept its state: drop them and wait (no resend exists).
          for (const c of error.culprits) box.delete(c)
          continue
        }
        node.sessions.delete(s.id)
        this.hooks.failure(node.index, s, round, error)
        return
      }
      s.buffer.delete(round)
      s.doneAt[round] = this.sched.now
      this.send(node.index, s, res.messages)
      if (res.output !== undefined) {
        node.sessions.delete(s.id)
        this.hooks.output(node.index, s, res.output)
        return
      }
    }
  }

  private send(from: number, s: Session<T>, out: readonly OutMessage[]): void {
    const c = this.counters
    for (const m of out) {
      c.messagesSent++
      c.bytesSent.set(from, (c.bytesSent.get(from) ?? 0) + m.payload.length)
    }
    for (const d of deliveries(out, s.everyone)) {
      const payload = this.hooks.rewrite?.(from, s.id, d.to, d.round, d.payload) ?? d.payload
      this.network.send({ session: s.id, from, to: d.to, payload, sentAt: this.sched.now })
    }
  }

  private account(node: number, round: number, ms: number): void {
    let byRound = this.counters.compute.get(node)
    if (!byRound) {
      byRound = new Map()
      this.counters.compute.set(node, byRound)
    }
    const cur = byRound.get(round) ?? { ms: 0, calls: 0 }
    cur.ms += ms
    cur.calls++
    byRound.set(round, cur)
  }
}
