// Ceremony admission: whether this node joins a DKG, signing, refresh, resharing or recovery
// session. Signing sessions are judged per request by `evaluate`; this only checks that the node
// may sign at all. A recovery node holds a backup share: it joins key generation, refresh, resharing
// and recovery, never routine signing.
import type { VerifiedApproval } from './approval.ts'
import { countApprovals } from './checks-identity.ts'
import type { CeremonyKind, Decision, NodeRole, Policy, Reason } from './types.ts'

export type CeremonyRequest = {
  kind: CeremonyKind
  nodeRole: NodeRole
  nowMs: number
  keyId?: string
  sessionId?: string
  /** Hex SHA-256 naming the ceremony (e.g. of its canonical descriptor); approvals must name it. */
  subjectHash?: string
  /** Verified approvals of `subjectHash` (see approval.ts). */
  approvals?: readonly VerifiedApproval[]
  /** DID of whoever asked for the ceremony: their own approval does not count. */
  initiator?: string
}

const RECOVERY_NODE_CEREMONIES: readonly CeremonyKind[] = ['dkg', 'refresh', 'recovery', 'reshare']

export function evaluateCeremony(policy: Policy | undefined, c: CeremonyRequest): Decision {
  if (policy === undefined)
    return deny('', { ruleId: 'policy', code: 'NO_POLICY', message: 'no policy is configured' })
  const role = policy.document.node?.role
  if (role !== undefined && role !== c.nodeRole) {
    return deny(policy.hash, {
      ruleId: 'node-role',
      code: 'NODE_ROLE_MISMATCH',
      message: `policy is for a ${role} node`,
    })
  }
  if (c.nodeRole === 'recovery' && !RECOVERY_NODE_CEREMONIES.includes(c.kind)) {
    return deny(policy.hash, {
      ruleId: 'node-role',
      code: 'RECOVERY_NODE_ROUTINE_REFUSED',
      message: `a recovery node does not join ${c.kind} ceremonies`,
    })
  }
  if (policy.dev)
    return { decision: 'allow', reasons: [], firedRules: ['node-role', 'dev'], policyHash: policy.hash }
  const ruleId = `ceremonies.${c.kind}`
  const rule = policy.document.ceremonies?.[c.kind]
  if (rule === undefined || !rule.allow) {
    return deny(policy.hash, {
      ruleId,
      code: 'CEREMONY_NOT_ALLOWED',
      message: `${c.kind} ceremonies are not allowed`,
    })
  }
  if (rule.approvals !== undefined) {
    const n =
      c.subjectHash === undefined
        ? 0
        : countApprovals(policy, c.approvals ?? [], c.subjectHash, rule.approvals, c.nowMs, c.initiator)
    if (n < rule.approvals.quorum) {
      return deny(policy.hash, {
        ruleId,
        code: 'INSUFFICIENT_APPROVALS',
        message: `${n} of ${rule.approvals.quorum} distinct "${rule.approvals.role}" approvals`,
      })
    }
  }
  return { decision: 'allow', reasons: [], firedRules: ['node-role', ruleId], policyHash: policy.hash }
}

function deny(policyHash: string, reason: Reason): Decision {
  return { decision: 'deny', reasons: [reason], firedRules: [reason.ruleId], policyHash }
}
