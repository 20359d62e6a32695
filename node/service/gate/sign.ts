// Judging a signing proposal, before this node computes anything with its share:
//   1. a policy must be in force (else NO_POLICY);
//   2. a request without a JWS is co-signed only under a dev policy (else REQUEST_UNSIGNED), and
//      never by a recovery node or a device;
//   3. the request JWS is verified (signature, audience = this key id, validity, lifetime, replay
//      against the persisted jti store) with the approvals and the credentials it carries;
//   4. chain facts and the 24 h spending history are gathered (signed amounts plus the amounts of
//      requests this node allowed whose ceremony is still running), the policy evaluates;
//   5. the request and the decision are written to the audit trail before the answer is returned.

import type { Proposal } from '../../../proto/types.ts'
import { decisionEntry, requestEntry } from '../../audit/index.ts'
import { sha256Hex } from '../../identity/canonical.ts'
import {
  evaluate,
  gatherContext,
  type KeyMetadata,
  movementsOf,
  type SpendingHistory,
  verifyRequest,
} from '../../policy/index.ts'
import type { Admission } from '../../sessions/types.ts'
import { getKeyRecord } from '../keys.ts'
import type { DecodedRequest } from '../requests.ts'
import { credentialsOfRequest, pathOfRequest } from './content.ts'
import {
  AUDIT_REFUSAL,
  DEFAULT_KEY_ROLE,
  type GateContext,
  hexOf,
  nodeDidOf,
  record,
  refusal,
} from './context.ts'

type R = { ruleId: string; code: string; message: string }

export async function judgeSign(
  g: GateContext,
  p: Proposal,
  fromPeer: string,
  decoded: DecodedRequest,
): Promise<Admission | null> {
  const keyId = hexOf(p.keyId)
  const sessionId = hexOf(p.sessionNonce)
  const policy = g.policies.current()
  const nowMs = g.clock()
  const jws = decoded.jws
  const requestHash = jws === undefined ? sha256Hex(p.request) : sha256Hex(jws)
  const deny = async (reasons: R[], unsigned = false): Promise<Admission> => {
    if (unsigned && !(await recordUnsignedRequest(g, p, fromPeer, decoded, requestHash))) return AUDIT_REFUSAL
    const ok = await record(g, 'decision', {
      requestHash,
      decision: 'deny',
      policyHash: policy?.hash ?? '',
      firedRules: [...new Set(reasons.map((r) => r.ruleId))],
      reasons: reasons.map((r) => ({ ruleId: r.ruleId, code: r.code })),
      node: g.selfPeerId,
    })
    reportDenial(g, reasons, { keyId, session: sessionId.slice(0, 16), requestHash })
    return ok ? refusal(reasons) : AUDIT_REFUSAL
  }

  if (policy === undefined)
    return deny([{ ruleId: 'policy', code: 'NO_POLICY', message: 'no valid policy is configured' }])

  if (jws === undefined) {
    const role = g.config.role
    if (!policy.dev)
      return deny(
        [
          {
            ruleId: 'request',
            code: 'REQUEST_UNSIGNED',
            message: 'this node co-signs only requests signed by a DID ({ request: <JWS> })',
          },
        ],
        true,
      )
    if (role === 'recovery' || role === 'device')
      return deny(
        [
          {
            ruleId: 'node-role',
            code: role === 'recovery' ? 'RECOVERY_NODE_ROUTINE_REFUSED' : 'DEVICE_REQUESTER_NOT_INVESTOR',
            message: `a ${role} node co-signs only requests signed by a DID it accepts`,
          },
        ],
        true,
      )
    if (!(await recordUnsignedRequest(g, p, fromPeer, decoded, requestHash))) return AUDIT_REFUSAL
    const ok = await record(g, 'decision', {
      requestHash,
      decision: 'allow',
      policyHash: policy.hash,
      firedRules: ['node-role', 'dev'],
      reasons: [],
      node: g.selfPeerId,
    })
    if (!ok) return AUDIT_REFUSAL
    g.pending.set(sessionId, { keyId, requestHash, digest: decoded.digest, ...txOf(decoded) })
    return null
  }

  // The derivation path picks the address that signs: a signed request must name it itself.
  if (pathOfRequest(jws) !== decoded.derivationPath)
    return deny([
      {
        ruleId: 'request',
        code: 'REQUEST_PATH_UNSIGNED',
        message: 'the derivation path is not the one the request names',
      },
    ])

  const v = await verifyRequest(
    { request: jws, approvals: decoded.approvals ?? [], credentials: credentialsOfRequest(jws) },
    { nowMs, audience: keyId, replay: g.replay },
  )
  if (!v.ok) return deny([{ ruleId: 'request', code: v.code, message: v.message }])
  const request = v.request

  const rec = await getKeyRecord(g.store, keyId)
  const key: KeyMetadata = { keyId, role: DEFAULT_KEY_ROLE, committee: rec.committee }
  const movements = movementsOf(request.claims, request.call)
  const tokens = [...new Set(movements.flatMap((m) => (m.token === 'native' ? [] : [m.token])))]
  const ctx = await gatherContext(request, {
    nowMs,
    key,
    nodeRole: g.config.role,
    chain: g.chain?.viewFor(request.claims.transaction?.chainId, tokens),
    history: withReservations(g, keyId),
  })
  const decision = evaluate(policy, request, ctx)
  if (!(await record(g, 'request', requestEntry(request)))) return AUDIT_REFUSAL
  if (decision.decision === 'deny') {
    const ok = await record(g, 'decision', decisionEntry(request.hash, decision, g.selfPeerId))
    reportDenial(g, decision.reasons, {
      keyId,
      session: sessionId.slice(0, 16),
      requestHash,
      requester: request.requester,
    })
    return ok ? refusal(decision.reasons) : AUDIT_REFUSAL
  }
  if (!(await record(g, 'decision', decisionEntry(request.hash, decision, g.selfPeerId))))
    return AUDIT_REFUSAL
  g.pending.set(sessionId, { keyId, requestHash, digest: decoded.digest, request, ...txOf(decoded) })
  return null
}

/** The persisted history plus what this node allowed for the key and is still signing. */
function withReservations(g: GateContext, keyId: string): SpendingHistory {
  return {
    async spentSince(k, token, sinceMs) {
      let sum = await g.history.spentSince(k, token, sinceMs)
      for (const p of g.pending.values()) {
        if (p.keyId !== keyId || p.request === undefined) continue
        for (const m of movementsOf(p.request.claims, p.request.call)) if (m.token === token) sum += m.amount
      }
      return sum
    },
    record: (e) => g.history.record(e),
  }
}

const txOf = (d: DecodedRequest) => (d.signing.kind === 'transaction' ? { tx: d.signing.tx } : {})

/** An unsigned request's record: the coordinator node is its requester. */
function recordUnsignedRequest(
  g: GateContext,
  p: Proposal,
  fromPeer: string,
  decoded: DecodedRequest,
  requestHash: string,
): Promise<boolean> {
  return record(g, 'request', {
    requestHash,
    requester: nodeDidOf(fromPeer) ?? fromPeer,
    keyId: hexOf(p.keyId),
    op: 'unsigned',
    jti: hexOf(p.sessionNonce),
    contentHash: hexOf(decoded.digest),
  })
}

function reportDenial(g: GateContext, reasons: readonly R[], fields: Record<string, unknown>): void {
  g.incidents.report(
    { kind: 'denial', severity: 'medium', code: reasons[0]?.code ?? 'POLICY_DENIED' },
    { ...fields, reasons: reasons.map((r) => r.code) },
    'refused a signing request',
  )
}
