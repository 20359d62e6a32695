// Judging a key ceremony (DKG, refresh, resharing) with the node's role and policy
// (node/policy/ceremony.ts): a recovery node joins only recovery and resharing ceremonies, and
// every kind must be allowed by `ceremonies.<kind>`. The ask and the decision are audited first.
import type { Proposal } from '../../../proto/types.ts'
import { canonicalHash } from '../../identity/canonical.ts'
import { type CeremonyKind, evaluateCeremony } from '../../policy/index.ts'
import type { Admission } from '../../sessions/types.ts'
import { AUDIT_REFUSAL, type GateContext, hexOf, nodeDidOf, record, refusal } from './context.ts'

export async function judgeCeremony(
  g: GateContext,
  p: Proposal,
  fromPeer: string,
): Promise<Admission | null> {
  const sessionId = hexOf(p.sessionNonce)
  const policy = g.policies.current()
  const decision = evaluateCeremony(policy, {
    kind: p.kind as CeremonyKind,
    nodeRole: g.config.role,
    nowMs: g.clock(),
    sessionId,
    keyId: p.kind === 'dkg' ? undefined : hexOf(p.keyId),
  })
  const asked = await record(g, 'request', {
    requestHash: sessionId,
    requester: nodeDidOf(fromPeer) ?? fromPeer,
    keyId: p.kind === 'dkg' ? 'new' : hexOf(p.keyId),
    op: p.kind,
    jti: sessionId,
    contentHash: canonicalHash({
      kind: p.kind,
      committee: p.committee,
      threshold: p.threshold,
      newCommittee: p.newCommittee,
      newThreshold: p.newThreshold,
    }),
  })
  const decided =
    asked &&
    (await record(g, 'decision', {
      requestHash: sessionId,
      decision: decision.decision,
      policyHash: decision.policyHash,
      firedRules: decision.firedRules,
      reasons: decision.reasons.map((r) => ({ ruleId: r.ruleId, code: r.code })),
      node: g.selfPeerId,
    }))
  if (!decided) return AUDIT_REFUSAL
  if (decision.decision === 'allow') return null
  g.incidents.report(
    { kind: 'denial', severity: 'medium', code: decision.reasons[0]?.code ?? 'POLICY_DENIED' },
    { kind: p.kind, session: sessionId.slice(0, 16), reasons: decision.reasons.map((r) => r.code) },
    'refused a ceremony',
  )
  return refusal(decision.reasons)
}
