// What the gate's parts share: the node's identity and config, the policy in force, the audit
// trail with the replay and spending stores next to it, chain facts and the incident counter.
import { peerIdFromString } from '@libp2p/peer-id'
import type { AuditData, AuditKind, AuditLog } from '../../audit/index.ts'
import type { SignableTransaction } from '../../chain/transaction.ts'
import type { NodeConfig } from '../../config/index.ts'
import { didKeyFromPublicKey } from '../../identity/did-key.ts'
import type { Logger } from '../../log/index.ts'
import type { LevelReplayStore, LevelSpendingHistory, PolicyStore } from '../../policy/index.ts'
import type { VerifiedRequest } from '../../policy/verify-request.ts'
import type { Admission } from '../../sessions/types.ts'
import type { Store } from '../../store/store.ts'
import type { ChainFacts } from './chain-view.ts'
import type { Incidents } from './incidents.ts'

/** Keys carry no role in the store yet: every key has this role (select keys by `keyIds` or this). */
export const DEFAULT_KEY_ROLE = 'default'

/** An allowed signing request, kept until its ceremony ends (spending and signature records). */
export type PendingSign = {
  keyId: string
  requestHash: string
  digest: Uint8Array
  /** Absent for unsigned (dev-policy) requests. */
  request?: VerifiedRequest
  /** The transaction being signed, to link its hash to the request when it reaches the chain. */
  tx?: SignableTransaction
}

export type GateContext = {
  config: NodeConfig
  selfPeerId: string
  store: Store
  logger: Logger
  policies: PolicyStore
  audit: AuditLog
  replay: LevelReplayStore
  history: LevelSpendingHistory
  chain?: ChainFacts
  incidents: Incidents
  pending: Map<string, PendingSign>
  /** Recently signed transactions: tx hash -> request hash (bounded), for `recordTx`. */
  signedTxs: Map<string, string>
  clock: () => number
}

/** A refusal carrying every reason, each as "CODE: message (rule)"; its code is the first reason's. */
export function refusal(reasons: readonly { ruleId: string; code: string; message: string }[]): Admission {
  return {
    accept: false,
    code: reasons[0]?.code ?? 'POLICY_DENIED',
    reasons: reasons.map((r) => `${r.code}: ${r.message} (${r.ruleId})`),
  }
}

/** Appends to the trail; a failure becomes a critical incident and the caller must refuse. */
export async function record<K extends AuditKind>(
  g: GateContext,
  kind: K,
  data: AuditData[K],
): Promise<boolean> {
  try {
    await g.audit.append(kind, data)
    return true
  } catch (e) {
    g.incidents.report(
      { kind: 'audit-failure', severity: 'critical', code: 'AUDIT_WRITE_FAILED' },
      { auditKind: kind, err: (e as Error).message },
      'audit record could not be written: refusing to co-sign',
    )
    return false
  }
}

export const AUDIT_REFUSAL = refusal([
  { ruleId: 'audit', code: 'AUDIT_WRITE_FAILED', message: 'this node cannot write its audit trail' },
])

/** The did:key of a node, from its Ed25519 libp2p peer id (undefined for other key types). */
export function nodeDidOf(peerId: string): string | undefined {
  try {
    const key = peerIdFromString(peerId).publicKey
    if (key?.type !== 'Ed25519') return undefined
    return didKeyFromPublicKey('ed25519', key.raw).did
  } catch {
    return undefined
  }
}

export const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex')
