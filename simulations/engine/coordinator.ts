// The coordinator's signer-set policy. A fresh signature gets a random set of t nodes; after a failed
// attempt the nodes that stalled it or were named in it are suspected, and suspicion (decaying with
// a half-life: short for stalls, long for blame) pushes them to the back of the line. A set never pairs two nodes one of which has
// banned the other: such a session would be refused at once (BANNED_PARTY).

import type { SeededRng } from '../seeded-rng.ts'
import { shuffled } from './random.ts'

/** Suspicion added per failed attempt. */
export const SUSPICION = {
  /** Named as the culprit of an abort or of a refused message. */
  named: 4,
  /** Missing when the attempt timed out (crashed, cut off, or its message was lost). */
  stalled: 2,
  /** In a set that failed without anyone named, and did not report the failure itself. */
  unattributed: 1,
} as const

export class Coordinator {
  /** Stalls fade fast (a node back up, a lost message); blame fades slowly. */
  private readonly scores = {
    stall: new Map<number, { value: number; at: number }>(),
    blame: new Map<number, { value: number; at: number }>(),
  }

  constructor(
    private readonly n: number,
    private readonly t: number,
    private readonly rng: SeededRng,
    /** Half-life of blame; stalls fade with a fifth of it. */
    private readonly halfLifeMs: number,
  ) {}

  suspect(node: number, weight: number, now: number, kind: 'stall' | 'blame' = 'blame'): void {
    this.scores[kind].set(node, { value: this.part(kind, node, now) + weight, at: now })
  }

  scoreOf(node: number, now: number): number {
    return this.part('stall', node, now) + this.part('blame', node, now)
  }

  private part(kind: 'stall' | 'blame', node: number, now: number): number {
    const s = this.scores[kind].get(node)
    if (!s) return 0
    const half = kind === 'stall' ? this.halfLifeMs / 5 : this.halfLifeMs
    return s.value * 0.5 ** ((now - s.at) / half)
  }

  /**
   * t signers, least suspected first (ties at random), no banned pair; null when no such set exists.
   * A depth-first search in order of preference: the first set found is the most preferred one in
   * lexicographic order (a greedy pick could stop at a node that excludes every other).
   */
  select(now: number, banned: (a: number, b: number) => boolean): number[] | null {
    const everyone = Array.from({ length: this.n }, (_, k) => k + 1)
    const order = shuffled(this.rng, everyone)
      .map((i) => ({ i, s: Math.round(this.scoreOf(i, now) * 1000) }))
      .sort((a, b) => a.s - b.s)
      .map((x) => x.i)
    const chosen: number[] = []
    let budget = 100_000
    const search = (from: number): boolean => {
      if (chosen.length === this.t) return true
      for (let k = from; k <= order.length - (this.t - chosen.length); k++) {
        if (--budget < 0) return false
        const i = order[k]!
        if (chosen.some((j) => banned(i, j) || banned(j, i))) continue
        chosen.push(i)
        if (search(k + 1)) return true
        chosen.pop()
      }
      return false
    }
    return search(0) ? chosen.sort((a, b) => a - b) : null
  }
}
