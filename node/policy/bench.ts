// Benchmark of the policy path a node runs before computing anything: verify the request JWS
// (ES256K or EdDSA, one KYC credential), gather the context from an in-memory chain view, evaluate.
// `npm run bench` calls `benchPolicy()` and prints the figure; no timing is asserted anywhere.
import { gatherContext, MemorySpendingHistory } from './context.ts'
import { evaluate } from './evaluate.ts'
import { MemoryReplayStore } from './replay.ts'
import {
  FakeChain,
  investor,
  investorKey,
  kycCredential,
  labelSigner,
  NOW_MS,
  RECIPIENT,
  samplePolicy,
  transferRequest,
} from './testkit.ts'
import { verifyRequest } from './verify-request.ts'

export type PolicyBench = { n: number; medianMs: number; p95Ms: number; allowed: number }

/** Runs verify + gatherContext + evaluate over `n` distinct requests; returns timing figures. */
export async function benchPolicyDetailed(
  n = 300,
  requesterKey: 'secp256k1' | 'ed25519' = 'secp256k1',
): Promise<PolicyBench> {
  const requester = requesterKey === 'secp256k1' ? investor : labelSigner('bench-ed25519-investor', 'ed25519')
  const key = { ...investorKey, ownerDid: requester.did }
  const policy = samplePolicy()
  const chain = new FakeChain()
  const history = new MemorySpendingHistory()
  const replay = new MemoryReplayStore({ clock: () => NOW_MS })
  const credential = kycCredential(requester.did)
  const envelopes = Array.from({ length: n + 20 }, (_, i) => ({
    request: transferRequest(RECIPIENT, 1n, { jti: `bench-${i}-${NOW_MS}`, signer: requester }),
    credentials: [credential],
  }))
  const times: number[] = []
  let allowed = 0
  for (let i = 0; i < envelopes.length; i++) {
    const t0 = performance.now()
    const v = await verifyRequest(envelopes[i], { nowMs: NOW_MS, audience: investorKey.keyId, replay })
    if (!v.ok) throw new Error(`bench request refused: ${v.code}`)
    const ctx = await gatherContext(v.request, {
      nowMs: NOW_MS,
      key,
      nodeRole: 'provider',
      chain,
      history,
    })
    const d = evaluate(policy, v.request, ctx)
    const dt = performance.now() - t0
    if (i >= 20) {
      times.push(dt) // the first 20 warm up the JIT
      if (d.decision === 'allow') allowed++
    }
  }
  times.sort((a, b) => a - b)
  return { n, medianMs: times[Math.floor(n / 2)], p95Ms: times[Math.floor(n * 0.95)], allowed }
}

/** Median milliseconds of verify + evaluate per request (ES256K requester). */
export async function benchPolicy(n = 300): Promise<number> {
  return (await benchPolicyDetailed(n)).medianMs
}
