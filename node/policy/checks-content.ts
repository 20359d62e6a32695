// Rule checks about what: chain, decoded STV3 call, limits, recipients and time window.
// Pure functions of (policy, rule, request, context, movements).

import { checkCredential } from './checks-identity.ts'
import { canReceiveKey, type EvaluationContext } from './context.ts'
import type { Movement } from './stv3-calls.ts'
import { type Policy, type PolicyRule, type Reason, WEEKDAYS } from './types.ts'
import type { VerifiedRequest } from './verify-request.ts'

export function checkChain(rule: PolicyRule, request: VerifiedRequest): Reason[] {
  const tx = request.claims.transaction
  if (rule.chainIds === undefined || tx === undefined || rule.chainIds.includes(tx.chainId)) return []
  return [{ ruleId: rule.id, code: 'CHAIN_NOT_ALLOWED', message: `chain ${tx.chainId} is not allowed` }]
}

export function checkCall(rule: PolicyRule, request: VerifiedRequest): Reason[] {
  const tx = request.claims.transaction
  if (tx === undefined || tx.data === '0x') return []
  const call = request.call
  if (call === undefined) {
    return [{ ruleId: rule.id, code: 'CALL_UNDECODED', message: 'transaction data is not a known STV3 call' }]
  }
  const entries = (rule.calls ?? []).filter((c) => c.contract === '*' || c.contract === call.contract)
  if (entries.length === 0) {
    return [
      { ruleId: rule.id, code: 'CONTRACT_NOT_ALLOWED', message: `calls to ${call.contract} are not allowed` },
    ]
  }
  if (!entries.some((c) => c.functions.includes(call.functionName))) {
    return [{ ruleId: rule.id, code: 'FUNCTION_NOT_ALLOWED', message: `${call.functionName} is not allowed` }]
  }
  return []
}

/** Per-transaction and rolling-24h limits. With `limits` set, every moved token needs an entry. */
export function checkLimits(
  rule: PolicyRule,
  ctx: EvaluationContext,
  movements: readonly Movement[],
): Reason[] {
  if (rule.limits === undefined) return []
  const out: Reason[] = []
  const total = new Map<string, bigint>()
  for (const m of movements) total.set(m.token, (total.get(m.token) ?? 0n) + m.amount)
  for (const [token, amount] of total) {
    const limit = rule.limits.find((l) => l.token === token)
    if (limit === undefined) {
      out.push({ ruleId: rule.id, code: 'TOKEN_NOT_ALLOWED', message: `no limit is configured for ${token}` })
      continue
    }
    if (limit.perTx !== undefined && amount > BigInt(limit.perTx)) {
      out.push({
        ruleId: rule.id,
        code: 'OVER_PER_TX_LIMIT',
        message: `${amount} of ${token} exceeds ${limit.perTx}`,
      })
    }
    if (limit.per24h !== undefined) {
      const spent = ctx.spent24h[token]
      if (spent === undefined) {
        out.push({ ruleId: rule.id, code: 'HISTORY_UNAVAILABLE', message: `no 24 h history for ${token}` })
      } else if (spent + amount > BigInt(limit.per24h)) {
        out.push({
          ruleId: rule.id,
          code: 'OVER_24H_LIMIT',
          message: `${spent} already signed + ${amount} of ${token} exceeds ${limit.per24h} per 24 h`,
        })
      }
    }
  }
  return out
}

export function checkRecipients(
  policy: Policy,
  rule: PolicyRule,
  request: VerifiedRequest,
  ctx: EvaluationContext,
  movements: readonly Movement[],
): Reason[] {
  const r = rule.recipient
  if (r === undefined) return []
  const out: Reason[] = []
  const deny = (code: Reason['code'], message: string) => out.push({ ruleId: rule.id, code, message })
  for (const m of movements) {
    if (m.to === undefined) continue
    if (r.canReceive === true && m.token !== 'native') {
      const ok = ctx.canReceive[canReceiveKey(m.token, m.to)]
      if (ok === undefined) deny('CHAIN_VIEW_UNAVAILABLE', `canReceive(${m.to}) was not looked up`)
      else if (!ok) deny('RECIPIENT_CANNOT_RECEIVE', `${m.to} cannot receive ${m.token}`)
    }
    const status = ctx.dids[m.to]
    if (r.validDid === true || (r.credentials?.length ?? 0) > 0) {
      if (status === undefined) deny('CHAIN_VIEW_UNAVAILABLE', `the DID of ${m.to} was not looked up`)
      else if (status.blocked) deny('RECIPIENT_DID_BLOCKED', `the DID of ${m.to} is blocked`)
      else if (!status.exists || status.expired) deny('RECIPIENT_NO_VALID_DID', `${m.to} holds no valid DID`)
    }
    for (const type of r.credentials ?? []) {
      const reason = checkCredential(policy, request, ctx, rule.id, status?.did, type, 'recipient')
      if (reason !== undefined) out.push(reason)
    }
  }
  return out
}

/** UTC days and hours [start, end); a window with start > end wraps midnight. */
export function checkTimeWindow(rule: PolicyRule, ctx: EvaluationContext): Reason[] {
  const tw = rule.timeWindow
  if (tw === undefined) return []
  const d = new Date(ctx.nowMs)
  const day = WEEKDAYS[d.getUTCDay()]
  const hour = d.getUTCHours()
  let inside = tw.days === undefined || tw.days.includes(day)
  if (tw.hoursUtc !== undefined) {
    const [start, end] = tw.hoursUtc
    inside &&= start <= end ? hour >= start && hour < end : hour >= start || hour < end
  }
  return inside
    ? []
    : [{ ruleId: rule.id, code: 'OUTSIDE_TIME_WINDOW', message: `${day} ${hour}h UTC is outside the window` }]
}
