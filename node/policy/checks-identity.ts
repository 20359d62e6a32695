// Rule checks about who: the requester, credentials about the requester or a recipient, and
// approval quorums. Pure functions of (policy, request, context).
import { judgeCredential } from '../identity/credential.ts'
import type { VerifiedApproval } from './approval.ts'
import type { EvaluationContext } from './context.ts'
import type { ApprovalRule, Policy, PolicyRule, Reason } from './types.ts'
import type { VerifiedRequest } from './verify-request.ts'

const SKEW_SECONDS = 60

export function checkRequester(rule: PolicyRule, request: VerifiedRequest, ctx: EvaluationContext): Reason[] {
  const who = request.requester
  const ok = rule.requesters.some(
    (r) => r === '*' || r === who || (r === 'key-owner' && ctx.key.ownerDid === who),
  )
  return ok
    ? []
    : [{ ruleId: rule.id, code: 'REQUESTER_UNKNOWN', message: 'requester is not allowed by this rule' }]
}

/** A credential of `type` about `subject`, from an issuer trusted for that type, valid and not revoked. */
export function checkCredential(
  policy: Policy,
  request: VerifiedRequest,
  ctx: EvaluationContext,
  ruleId: string,
  subject: string | undefined,
  type: string,
  whose: 'requester' | 'recipient',
): Reason | undefined {
  const candidates =
    subject === undefined
      ? []
      : request.credentials.filter((c) => c.subject === subject && c.types.includes(type))
  if (candidates.length === 0) {
    const invalid = request.rejected.some((r) => r.kind === 'credential')
    return {
      ruleId,
      code: invalid ? 'CREDENTIAL_INVALID' : 'CREDENTIAL_MISSING',
      message: invalid
        ? `no valid ${type} credential about the ${whose} (a presented credential failed verification)`
        : `no ${type} credential about the ${whose}`,
    }
  }
  let first: Reason | undefined
  for (const c of candidates) {
    const j = judgeCredential(c, type, {
      nowMs: ctx.nowMs,
      trustedIssuers: policy.document.trustedIssuers ?? [],
      revoked: policy.revoked,
    })
    if (j.ok) return undefined
    first ??= { ruleId, code: j.code, message: `${whose} ${type}: ${j.message}` }
  }
  return first
}

export function checkRequesterCredentials(
  policy: Policy,
  rule: PolicyRule,
  request: VerifiedRequest,
  ctx: EvaluationContext,
): Reason[] {
  const out: Reason[] = []
  for (const type of rule.requesterCredentials ?? []) {
    const r = checkCredential(policy, request, ctx, rule.id, request.requester, type, 'requester')
    if (r !== undefined) out.push(r)
  }
  return out
}

/**
 * Distinct operator DIDs holding `rule.role` whose unexpired approvals name `subjectHash`.
 * The requester's own approval never counts (separation of duties); repeats by one DID count once.
 */
export function countApprovals(
  policy: Policy,
  approvals: readonly VerifiedApproval[],
  subjectHash: string,
  rule: ApprovalRule,
  nowMs: number,
  exclude?: string,
): number {
  const now = Math.floor(nowMs / 1000)
  const approvers = new Set<string>()
  for (const a of approvals) {
    if (a.approves !== subjectHash || a.approver === exclude) continue
    if (!policy.operators.get(a.approver)?.has(rule.role)) continue
    if (now >= a.exp + SKEW_SECONDS || a.iat > now + SKEW_SECONDS) continue
    if (rule.maxAgeSeconds !== undefined && now - a.iat > rule.maxAgeSeconds) continue
    approvers.add(a.approver)
  }
  return approvers.size
}

export function checkApprovals(
  policy: Policy,
  rule: PolicyRule,
  request: VerifiedRequest,
  ctx: EvaluationContext,
): Reason[] {
  if (rule.approvals === undefined) return []
  const n = countApprovals(
    policy,
    request.approvals,
    request.hash,
    rule.approvals,
    ctx.nowMs,
    request.requester,
  )
  if (n >= rule.approvals.quorum) return []
  return [
    {
      ruleId: rule.id,
      code: 'INSUFFICIENT_APPROVALS',
      message: `${n} of ${rule.approvals.quorum} distinct "${rule.approvals.role}" approvals`,
    },
  ]
}
