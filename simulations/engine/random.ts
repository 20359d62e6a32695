// Draws from the seeded RNG for the simulator's own decisions (latency, faults, signer sets). Every
// draw comes from a named fork of the run's seed, in event order, so a seed replays the whole run.

import type { Rng } from '../../protocol/rng.ts'

const buf = new Uint8Array(7)

/** A uniform float in [0, 1) with 53 bits of precision. */
export function unit(rng: Rng): number {
  rng.fill(buf)
  let x = buf[0]! & 0x1f
  for (let i = 1; i < 7; i++) x = x * 256 + buf[i]!
  return x / 2 ** 53
}

/** True with probability p. Draws nothing when p is 0 or 1, so an unused fault leaves the stream alone. */
export function chance(rng: Rng, p: number): boolean {
  if (p <= 0) return false
  if (p >= 1) return true
  return unit(rng) < p
}

/** Exponentially distributed with the given mean (0 when the mean is 0). */
export function exponential(rng: Rng, mean: number): number {
  if (mean <= 0) return 0
  return -mean * Math.log(1 - unit(rng))
}

/** A Fisher–Yates shuffle (copy). */
export function shuffled<T>(rng: Rng, xs: readonly T[]): T[] {
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(unit(rng) * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
