// A deterministic discrete-event scheduler: events run in order of simulated time, ties in the order
// they were scheduled. Simulated time never depends on the wall clock, so a seed fixes every event.

type Event = { at: number; seq: number; run: () => void; cancelled: boolean }

export type Timer = { cancel(): void }

export class Scheduler {
  /** Simulated milliseconds since the run began. */
  now = 0
  private readonly heap: Event[] = []
  private seq = 0
  executed = 0

  at(time: number, run: () => void): Timer {
    const e: Event = { at: Math.max(time, this.now), seq: this.seq++, run, cancelled: false }
    this.push(e)
    return {
      cancel: () => {
        e.cancelled = true
      },
    }
  }

  after(delayMs: number, run: () => void): Timer {
    return this.at(this.now + delayMs, run)
  }

  get pending(): number {
    return this.heap.length
  }

  /** Run the next event; false when none is left. A cancelled event does not advance the clock. */
  step(): boolean {
    let e = this.pop()
    while (e?.cancelled) e = this.pop()
    if (!e) return false
    this.now = e.at
    this.executed++
    e.run()
    return true
  }

  private push(e: Event): void {
    const h = this.heap
    h.push(e)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!before(h[i]!, h[p]!)) break
      ;[h[i], h[p]] = [h[p]!, h[i]!]
      i = p
    }
  }

  private pop(): Event | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (h.length > 0 && last) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && before(h[l]!, h[m]!)) m = l
        if (r < h.length && before(h[r]!, h[m]!)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m]!, h[i]!]
        i = m
      }
    }
    return top
  }
}

const before = (a: Event, b: Event) => a.at < b.at || (a.at === b.at && a.seq < b.seq)
