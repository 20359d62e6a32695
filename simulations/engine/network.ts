// The simulated network: one-way latency (fixed part, exponential jitter, serialization time),
// FIFO links, and the message faults of --faults (drop, delay, reorder, duplicate, partition).
// Every random draw comes from the run's `net` stream in event order.

import type { NetworkModel } from '../config.ts'
import type { FaultPlan } from '../faults/spec.ts'
import type { SeededRng } from '../seeded-rng.ts'
import { chance, exponential, unit } from './random.ts'
import type { Scheduler } from './scheduler.ts'

/** A protocol message on the wire, tagged with the session it belongs to (the transport's framing). */
export type Envelope = { session: number; from: number; to: number; payload: Uint8Array; sentAt: number }

export type NetworkCounters = {
  deliveries: number
  bytesDelivered: number
  dropped: number
  delayed: number
  reordered: number
  duplicated: number
  partitioned: number
  /** Latency of each delivery (simulated ms), for percentiles. */
  latencies: number[]
}

export type NetworkEnv = {
  /**
   * The partition (its spec) that separates a and b now, or null. 0 is the coordinator, outside every
   * partition.
   */
  cut(a: number, b: number): string | null
  /** Hand an envelope to its recipient (which may be down). */
  arrive(e: Envelope): void
  /** Note that a fault touched a session (for the faults table): a message fault's kind or a partition's spec. */
  touch(session: number, fault: string): void
}

export class Network {
  readonly counters: NetworkCounters = {
    deliveries: 0,
    bytesDelivered: 0,
    dropped: 0,
    delayed: 0,
    reordered: 0,
    duplicated: 0,
    partitioned: 0,
    latencies: [],
  }
  private readonly lastArrival = new Map<string, number>()

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: SeededRng,
    private readonly model: NetworkModel,
    private readonly faults: FaultPlan | null,
    private readonly env: NetworkEnv,
  ) {}

  /** One-way latency of a message of `bytes` bytes, without faults. */
  latency(bytes: number): number {
    const m = this.model
    return m.latencyMs + exponential(this.rng, m.jitterMs) + (bytes * 8) / (m.bandwidthMbit * 1000)
  }

  send(e: Envelope): void {
    const f = this.faults
    const s = this.sched
    const cut = this.env.cut(e.from, e.to)
    if (cut) {
      this.counters.partitioned++
      this.env.touch(e.session, cut)
      return
    }
    if (f && chance(this.rng, f.drop)) {
      this.counters.dropped++
      this.env.touch(e.session, 'drop')
      return
    }
    let t = s.now + this.latency(e.payload.length)
    if (f?.delay && chance(this.rng, f.delay.p)) {
      t += unit(this.rng) * f.delay.maxMs
      this.counters.delayed++
      this.env.touch(e.session, 'delay')
    }
    const link = `${e.from}>${e.to}`
    if (f && chance(this.rng, f.reorder)) {
      // Out of FIFO order: may be overtaken by later messages on the same link.
      t += unit(this.rng) * 2 * (this.model.latencyMs + this.model.jitterMs)
      this.counters.reordered++
      this.env.touch(e.session, 'reorder')
    } else {
      t = Math.max(t, (this.lastArrival.get(link) ?? 0) + 0.001)
      this.lastArrival.set(link, t)
    }
    this.schedule(e, t)
    if (f && chance(this.rng, f.duplicate)) {
      this.counters.duplicated++
      this.env.touch(e.session, 'duplicate')
      this.schedule(e, t + unit(this.rng) * (this.model.latencyMs + this.model.jitterMs))
    }
  }

  /** A control message (session start, abort notice): latency and partitions apply, message faults do not. */
  control(from: number, to: number, run: () => void): void {
    const t = this.sched.now + this.latency(64)
    this.sched.at(t, () => {
      if (this.env.cut(from, to) !== null) return
      run()
    })
  }

  private schedule(e: Envelope, t: number): void {
    this.sched.at(t, () => {
      const cut = this.env.cut(e.from, e.to)
      if (cut) {
        this.counters.partitioned++
        this.env.touch(e.session, cut)
        return
      }
      this.counters.deliveries++
      this.counters.bytesDelivered += e.payload.length
      this.counters.latencies.push(this.sched.now - e.sentAt)
      this.env.arrive(e)
    })
  }
}
