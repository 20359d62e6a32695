// Small statistics over samples: nearest-rank percentiles and a summary of a distribution.

export type Dist = { count: number; mean: number; p50: number; p95: number; p99: number; max: number }

export const r3 = (x: number): number => Math.round(x * 1000) / 1000

/** Nearest-rank percentile of sorted samples (0 when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[k]!
}

export function dist(samples: readonly number[]): Dist {
  const s = [...samples].sort((a, b) => a - b)
  const mean = s.length === 0 ? 0 : s.reduce((a, b) => a + b, 0) / s.length
  return {
    count: s.length,
    mean: r3(mean),
    p50: r3(percentile(s, 50)),
    p95: r3(percentile(s, 95)),
    p99: r3(percentile(s, 99)),
    max: r3(s.at(-1) ?? 0),
  }
}

export const sum = (xs: Iterable<number>): number => {
  let t = 0
  for (const x of xs) t += x
  return t
}
