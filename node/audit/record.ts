// Audit records: append-only and hash-chained.
//   record = { seq, ts, kind, data, prevHash, hash }
//   hash   = hex SHA-256( "stv3-mpc-node/audit/v1\n" || canonicalJson([seq, ts, kind, data, prevHash]) )
// The first record has seq 0 and prevHash GENESIS (64 zeros). Editing, removing or reordering
// any record breaks the chain at that record (see verify.ts).
import { canonicalJson, type JsonObject, sha256Hex } from '../identity/canonical.ts'

export const AUDIT_DOMAIN = 'stv3-mpc-node/audit/v1\n'
export const GENESIS_HASH = '0'.repeat(64)

export type AuditKind = 'request' | 'decision' | 'ceremony' | 'signature' | 'tx'
export const AUDIT_KINDS: readonly AuditKind[] = ['request', 'decision', 'ceremony', 'signature', 'tx']

/** What each kind records. Only DIDs, ids, codes and hashes: never personal data in clear. */
export type AuditData = {
  request: {
    requestHash: string
    requester: string
    keyId: string
    op: string
    jti: string
    /** Hash of the canonical decoded content (transaction or message). */
    contentHash: string
  }
  decision: {
    requestHash: string
    decision: 'allow' | 'deny'
    policyHash: string
    firedRules: string[]
    reasons: { ruleId: string; code: string }[]
    node?: string
  }
  ceremony: {
    sessionId: string
    kind: string
    keyId?: string
    participants: string[]
    transcriptHash: string
    outcome: 'ok' | 'abort' | 'timeout' | 'denied'
    culprits: string[]
    code?: string
  }
  signature: { requestHash: string; sessionId: string; digest: string; signature: string }
  tx: {
    requestHash?: string
    chainId: number
    txHash: string
    status?: 'sent' | 'mined' | 'reverted' | 'replaced'
  }
}

export type AuditRecord = {
  seq: number
  /** Milliseconds since the epoch. */
  ts: number
  kind: AuditKind
  data: JsonObject
  prevHash: string
  hash: string
}

export function hashRecord(r: Omit<AuditRecord, 'hash'>): string {
  return sha256Hex(AUDIT_DOMAIN + canonicalJson([r.seq, r.ts, r.kind, r.data, r.prevHash]))
}

export function makeRecord(
  seq: number,
  ts: number,
  kind: AuditKind,
  data: JsonObject,
  prevHash: string,
): AuditRecord {
  const body = { seq, ts, kind, data, prevHash }
  return { ...body, hash: hashRecord(body) }
}

/** The fixed key order used in exports: seq, ts, kind, data, prevHash, hash. */
export function recordLine(r: AuditRecord): string {
  return JSON.stringify({
    seq: r.seq,
    ts: r.ts,
    kind: r.kind,
    data: r.data,
    prevHash: r.prevHash,
    hash: r.hash,
  })
}
