// Policy evaluation: a pure function of (policy, verified request, gathered context).
//
// 1. No policy: deny (fail closed).
// 2. Node-role invariants, which even a dev policy keeps: a recovery node co-signs only
//    recovery operations; a device co-signs only requests signed by its investor's DID
//    (`node.investorDid` in the policy, else the key's `ownerDid`).
// 3. A dev policy allows everything else.
// 4. Audience and sanctions (requester DID, every address in the transaction and call, and the
//    DIDs of recipients).
// 5. The rule: among rules for this key (keyIds match first, then keyRoles, in file order)
//    the first whose `operations` include the request's op. All its checks run, and every
//    failing check adds a reason; the request is allowed only with no reason at all.

import { checkCall, checkChain, checkLimits, checkRecipients, checkTimeWindow } from './checks-content.ts'
import { checkApprovals, checkRequester, checkRequesterCredentials } from './checks-identity.ts'
import type { EvaluationContext } from './context.ts'
import { type Movement, movementsOf } from './stv3-calls.ts'
import { type Decision, type Policy, type PolicyRule, RECOVERY_OPERATIONS, type Reason } from './types.ts'
import type { VerifiedRequest } from './verify-request.ts'

export function evaluate(
  policy: Policy | undefined,
  request: VerifiedRequest,
  ctx: EvaluationContext,
): Decision {
  if (policy === undefined) {
    return deny('', [{ ruleId: 'policy', code: 'NO_POLICY', message: 'no policy is configured' }])
  }
  const roleReasons = checkNodeRole(policy, request, ctx)
  if (roleReasons.length > 0) return deny(policy.hash, roleReasons)
  if (policy.dev)
    return { decision: 'allow', reasons: [], firedRules: ['node-role', 'dev'], policyHash: policy.hash }

  const movements = movementsOf(request.claims, request.call)
  const reasons: Reason[] = []
  if (request.claims.aud !== ctx.key.keyId) {
    reasons.push({ ruleId: 'audience', code: 'WRONG_AUDIENCE', message: 'aud is not the key being used' })
  }
  reasons.push(...checkSanctions(policy, request, ctx, movements))

  const selected = selectRule(policy, request.claims.op, ctx)
  if (!('id' in selected)) return deny(policy.hash, [...reasons, selected])
  const rule = selected
  reasons.push(
    ...checkRequester(rule, request, ctx),
    ...checkRequesterCredentials(policy, rule, request, ctx),
    ...checkChain(rule, request),
    ...checkCall(rule, request),
    ...checkLimits(rule, ctx, movements),
    ...checkRecipients(policy, rule, request, ctx, movements),
    ...checkTimeWindow(rule, ctx),
    ...checkApprovals(policy, rule, request, ctx),
  )
  if (reasons.length > 0) return deny(policy.hash, reasons)
  return {
    decision: 'allow',
    reasons: [],
    firedRules: ['node-role', 'audience', 'sanctions', rule.id],
    policyHash: policy.hash,
  }
}

function deny(policyHash: string, reasons: Reason[]): Decision {
  return { decision: 'deny', reasons, firedRules: [...new Set(reasons.map((r) => r.ruleId))], policyHash }
}

function checkNodeRole(policy: Policy, request: VerifiedRequest, ctx: EvaluationContext): Reason[] {
  const node = policy.document.node
  if (node?.role !== undefined && node.role !== ctx.nodeRole) {
    return [{ ruleId: 'node-role', code: 'NODE_ROLE_MISMATCH', message: `policy is for a ${node.role} node` }]
  }
  if (ctx.nodeRole === 'recovery' && !RECOVERY_OPERATIONS.includes(request.claims.op)) {
    return [
      {
        ruleId: 'node-role',
        code: 'RECOVERY_NODE_ROUTINE_REFUSED',
        message: `a recovery node does not co-sign "${request.claims.op}"`,
      },
    ]
  }
  // A device's investor: the policy's node.investorDid, else the owner of the key it holds a share of.
  const investor = node?.investorDid ?? ctx.key.ownerDid
  if (ctx.nodeRole === 'device' && (investor === undefined || request.requester !== investor)) {
    return [
      {
        ruleId: 'node-role',
        code: 'DEVICE_REQUESTER_NOT_INVESTOR',
        message: "request is not signed by this device's investor",
      },
    ]
  }
  return []
}

function checkSanctions(
  policy: Policy,
  request: VerifiedRequest,
  ctx: EvaluationContext,
  movements: readonly Movement[],
): Reason[] {
  const out: Reason[] = []
  if (policy.sanctionedDids.has(request.requester)) {
    out.push({
      ruleId: 'sanctions',
      code: 'REQUESTER_BLOCKED',
      message: 'requester DID is on a sanctions list',
    })
  }
  const recipients = new Set<string>(movements.flatMap((m) => (m.to === undefined ? [] : [m.to])))
  for (const a of recipients) {
    const did = ctx.dids[a]?.did
    if (policy.sanctionedAddresses.has(a) || (did !== undefined && policy.sanctionedDids.has(did))) {
      out.push({ ruleId: 'sanctions', code: 'RECIPIENT_SANCTIONED', message: `recipient ${a} is sanctioned` })
    }
  }
  const others = new Set<string>()
  const tx = request.claims.transaction
  if (tx !== undefined) others.add(tx.to)
  if (request.call !== undefined) collectAddresses(Object.values(request.call.args), others)
  for (const a of others) {
    if (!recipients.has(a) && policy.sanctionedAddresses.has(a)) {
      out.push({ ruleId: 'sanctions', code: 'ADDRESS_SANCTIONED', message: `${a} is sanctioned` })
    }
  }
  return out
}

function collectAddresses(values: readonly unknown[], into: Set<string>): void {
  for (const v of values) {
    if (typeof v === 'string' && /^0x[0-9a-f]{40}$/.test(v)) into.add(v)
    else if (Array.isArray(v)) collectAddresses(v, into)
  }
}

function selectRule(policy: Policy, op: string, ctx: EvaluationContext): PolicyRule | Reason {
  const rules = policy.document.rules ?? []
  const forKey = [
    ...rules.filter((r) => r.keyIds?.includes(ctx.key.keyId)),
    ...rules.filter((r) => !r.keyIds?.includes(ctx.key.keyId) && r.keyRoles?.includes(ctx.key.role)),
  ]
  if (forKey.length === 0) {
    return {
      ruleId: 'rules',
      code: 'NO_MATCHING_RULE',
      message: `no rule for key ${ctx.key.keyId} (${ctx.key.role})`,
    }
  }
  const rule = forKey.find((r) => r.operations.includes(op))
  if (rule === undefined) {
    return {
      ruleId: forKey[0].id,
      code: 'OPERATION_NOT_ALLOWED',
      message: `operation "${op}" is not allowed`,
    }
  }
  return rule
}
