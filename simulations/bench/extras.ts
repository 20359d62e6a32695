// Benchmarks of capabilities beyond DKG and signing, reported by `npm run bench` when present.

import type { KeyShare } from '../../protocol/keyshare.ts'

export type ExtraContext = { quick: boolean; log: (...a: unknown[]) => void; shares23: Map<number, KeyShare> }

export async function extraBenchmarks(_ctx: ExtraContext): Promise<Record<string, unknown>> {
  return {}
}
