// Benchmarks of capabilities beyond DKG and signing, reported by `npm run bench` when present.

import { benchPolicyDetailed } from '../../node/policy/bench.ts'
import type { KeyShare } from '../../protocol/keyshare.ts'

export type ExtraContext = { quick: boolean; log: (...a: unknown[]) => void; shares23: Map<number, KeyShare> }

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d

export async function extraBenchmarks(ctx: ExtraContext): Promise<Record<string, unknown>> {
  // What a node adds before it computes anything for a request: verify the request JWS (ES256K,
  // one KYC credential), gather the context, evaluate the policy (issue 5: under 2 ms at the median).
  const policy = await benchPolicyDetailed(ctx.quick ? 100 : 300)
  const policyEvaluationMedianMs = round(policy.medianMs)
  ctx.log(
    `policy evaluation (verify + context + evaluate): median ${policyEvaluationMedianMs} ms, p95 ${round(policy.p95Ms)} ms over ${policy.n} requests`,
  )
  return { policyEvaluationMedianMs, policyEvaluationP95Ms: round(policy.p95Ms) }
}
