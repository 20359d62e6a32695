// Builders for the records the node writes around a request: what was asked (by whom, for which
// key, with a hash of the decoded content, never the content) and what the policy decided.
import { canonicalHash } from '../identity/canonical.ts'
import type { Decision } from '../policy/types.ts'
import type { VerifiedRequest } from '../policy/verify-request.ts'
import type { AuditData } from './record.ts'

export function requestEntry(request: VerifiedRequest): AuditData['request'] {
  const { transaction, message, call } = request.claims
  return {
    requestHash: request.hash,
    requester: request.requester,
    keyId: request.claims.aud,
    op: request.claims.op,
    jti: request.claims.jti,
    contentHash: canonicalHash({ transaction, message, call: request.call ?? call }),
  }
}

export function decisionEntry(requestHash: string, decision: Decision, node?: string): AuditData['decision'] {
  const entry: AuditData['decision'] = {
    requestHash,
    decision: decision.decision,
    policyHash: decision.policyHash,
    firedRules: decision.firedRules,
    reasons: decision.reasons.map((r) => ({ ruleId: r.ruleId, code: r.code })),
  }
  if (node !== undefined) entry.node = node
  return entry
}
