// Public API of node/audit: the hash-chained log, its verifier and the record builders.
export { decisionEntry, requestEntry } from './entries.ts'
export { describeAuditVerification, exportAuditFile, verifyAuditFile } from './file.ts'
export { type AuditKv, AuditLog, type AuditLogComponents, seqKey } from './log.ts'
export {
  AUDIT_KINDS,
  type AuditData,
  type AuditKind,
  type AuditRecord,
  GENESIS_HASH,
  hashRecord,
  makeRecord,
  recordLine,
} from './record.ts'
export { redactText, sanitizeAuditData } from './redact.ts'
export {
  type AuditAnchor,
  type AuditProblem,
  type AuditVerification,
  parseRecordLine,
  verifyAuditLines,
} from './verify.ts'
