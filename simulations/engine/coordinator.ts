// The coordinator's signer-set policy. A fresh signature gets a random set of t nodes; after a failed
// attempt the nodes that stalled it or were named in it are suspected, and suspicion (decaying with
// a half-life) pushes them to the back of the line. A set never pairs two nodes one of which has
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
  private readonly score = new Map<number, { value: number; at: number }>()

  constructor(
    private readonly n: number,
    private readonly t: number,
    private readonly rng: SeededRng,
    private readonly halfLifeMs: number,
  ) {}

  suspect(node: number, weight: number, now: number): void {
    this.score.set(node, { value: this.scoreOf(node, now) + weight, at: now })
  }

  scoreOf(node: number, now: number): number {
    const s = this.score.get(node)
    if (!s) return 0
    return s.value * 0.5 ** ((now - s.at) / this.halfLifeMs)
  }

  /** t signers, least suspected first (ties at random), no banned pair; null when no such set exists. */
  select(now: number, banned: (a: number, b: number) => boolean): number[] | null {
    const everyone = Array.from({ length: this.n }, (_, k) => k + 1)
    const order = shuffled(this.rng, everyone)
      .map((i) => ({ i, s: Math.round(this.scoreOf(i, now) * 1000) }))
      .sort((a, b) => a.s - b.s)
    const chosen: number[] = []
    for (const { i } of order) {
      if (chosen.length === this.t) break
      if (chosen.some((j) => banned(i, j) || banned(j, i))) continue
      chosen.push(i)
    }
    return chosen.length === this.t ? chosen.sort((a, b) => a - b) : null
  }
}
