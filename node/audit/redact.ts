// Keeps personal data out of the audit: every string field of a record is checked against what
// its field may hold (a DID, a hash, an identifier or code); anything else, and any field the
// schema does not know, is replaced by `sha256:<hex>` of its text. Numbers and booleans pass.
// DIDs here are did:key URIs or StoboxDID uDIDs, which are pseudonymous identifiers by design.
import { isJsonObject, type JsonObject, type JsonValue, sha256Hex } from '../identity/canonical.ts'
import type { AuditKind } from './record.ts'

type FieldClass = 'did' | 'hash' | 'id' | 'code'

const HASH = /^(?:0x)?[0-9a-fA-F]{64}$|^0x[0-9a-fA-F]{2,260}$|^sha256:[0-9a-f]{64}$/
const DID = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]{1,200}(?:#[A-Za-z0-9._:-]{1,200})?$/
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/
const CODE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/
const CHECK: Record<FieldClass, RegExp> = { did: DID, hash: HASH, id: ID, code: CODE }

// Field -> class, per kind. Arrays and nested objects apply the class to their elements.
const SCHEMA: Record<AuditKind, Record<string, FieldClass | Record<string, FieldClass>>> = {
  request: { requestHash: 'hash', requester: 'did', keyId: 'id', op: 'code', jti: 'id', contentHash: 'hash' },
  decision: {
    requestHash: 'hash',
    decision: 'code',
    policyHash: 'hash',
    firedRules: 'id',
    reasons: { ruleId: 'id', code: 'code' },
    node: 'id',
  },
  ceremony: {
    sessionId: 'id',
    kind: 'code',
    keyId: 'id',
    participants: 'id',
    transcriptHash: 'hash',
    outcome: 'code',
    culprits: 'id',
    code: 'code',
  },
  signature: { requestHash: 'hash', sessionId: 'id', digest: 'hash', signature: 'hash' },
  tx: { requestHash: 'hash', txHash: 'hash', status: 'code' },
}

/** Hashes a free-text value for the audit: `sha256:<hex>`. */
export function redactText(text: string): string {
  return `sha256:${sha256Hex(text)}`
}

/** Returns a copy of `data` in which every string that is not what its field allows is hashed. */
export function sanitizeAuditData(kind: AuditKind, data: JsonObject): JsonObject {
  return sanitizeObject(data, SCHEMA[kind])
}

function sanitizeObject(
  o: JsonObject,
  schema: Record<string, FieldClass | Record<string, FieldClass>>,
): JsonObject {
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(o)) out[k] = sanitizeValue(v, schema[k])
  return out
}

function sanitizeValue(v: JsonValue, cls: FieldClass | Record<string, FieldClass> | undefined): JsonValue {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v
  if (Array.isArray(v)) return v.map((x) => sanitizeValue(x, cls))
  if (isJsonObject(v)) return sanitizeObject(v, typeof cls === 'object' ? cls : {})
  const allowed = typeof cls === 'string' ? [cls] : []
  // An identifier-class field may also hold a DID (e.g. a participant named by its node DID).
  if (cls === 'id') allowed.push('did')
  return allowed.some((c) => CHECK[c].test(v)) ? v : redactText(v)
}
