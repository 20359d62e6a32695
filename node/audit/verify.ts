// Verifies an exported audit trail (JSON lines) and names the first bad record.
//
// Problems, at the first line where the chain breaks:
// - 'malformed': the line is not a record (bad JSON or fields); `seq` is null.
// - 'changed':   the record's hash does not match its content, or it no longer links to its
//                predecessor although both hash correctly (a rewrite that recomputed hashes: the
//                predecessor is named, since its content no longer matches what its successor saw).
// - 'removed':   the expected record is absent from the whole export; `seq` is the missing one.
//                With an `anchor` (a head published earlier) a truncated tail is detected too.
// - 'reordered': the expected record appears later in the export; `seq` is the record found in its place.
import { isJsonObject } from '../identity/canonical.ts'
import { AUDIT_KINDS, type AuditKind, type AuditRecord, GENESIS_HASH, hashRecord } from './record.ts'

export type AuditProblem = 'changed' | 'removed' | 'reordered' | 'malformed'

export type AuditVerification =
  | { ok: true; count: number; head: { seq: number; hash: string } | null }
  | { ok: false; index: number; seq: number | null; problem: AuditProblem }

export type AuditAnchor = { seq: number; hash: string }

const HEX64 = /^[0-9a-f]{64}$/

export function parseRecordLine(line: string): AuditRecord | undefined {
  let v: unknown
  try {
    v = JSON.parse(line)
  } catch {
    return undefined
  }
  if (!isJsonObject(v)) return undefined
  const { seq, ts, kind, data, prevHash, hash } = v
  if (!Number.isSafeInteger(seq) || (seq as number) < 0 || !Number.isSafeInteger(ts)) return undefined
  if (!AUDIT_KINDS.includes(kind as AuditKind) || !isJsonObject(data)) return undefined
  if (
    typeof prevHash !== 'string' ||
    !HEX64.test(prevHash) ||
    typeof hash !== 'string' ||
    !HEX64.test(hash)
  ) {
    return undefined
  }
  return { seq: seq as number, ts: ts as number, kind: kind as AuditKind, data, prevHash, hash }
}

/** Pure verification of a whole export, from the genesis record. Blank lines are ignored. */
export function verifyAuditLines(
  input: Iterable<string>,
  opts: { anchor?: AuditAnchor } = {},
): AuditVerification {
  const lines = [...input].filter((l) => l.trim().length > 0)
  const records = lines.map(parseRecordLine)
  const present = new Set(records.flatMap((r) => (r === undefined ? [] : [r.seq])))
  let prev: AuditRecord | undefined
  for (let index = 0; index < records.length; index++) {
    const r = records[index]
    if (r === undefined) return { ok: false, index, seq: null, problem: 'malformed' }
    const expected = prev === undefined ? 0 : prev.seq + 1
    if (r.seq !== expected) {
      const laterIndex = records.findIndex((x, i) => i > index && x?.seq === expected)
      if (laterIndex >= 0) return { ok: false, index, seq: r.seq, problem: 'reordered' }
      if (r.seq > expected && !present.has(expected))
        return { ok: false, index, seq: expected, problem: 'removed' }
      return { ok: false, index, seq: r.seq, problem: 'reordered' }
    }
    if (hashRecord(r) !== r.hash) return { ok: false, index, seq: r.seq, problem: 'changed' }
    const expectedPrev = prev === undefined ? GENESIS_HASH : prev.hash
    if (r.prevHash !== expectedPrev) {
      return prev === undefined
        ? { ok: false, index, seq: r.seq, problem: 'changed' }
        : { ok: false, index: index - 1, seq: prev.seq, problem: 'changed' }
    }
    prev = r
  }
  const anchor = opts.anchor
  if (anchor !== undefined) {
    if (prev === undefined || prev.seq < anchor.seq) {
      return { ok: false, index: records.length, seq: (prev?.seq ?? -1) + 1, problem: 'removed' }
    }
    const at = records.findIndex((x) => x?.seq === anchor.seq)
    if (records[at]?.hash !== anchor.hash)
      return { ok: false, index: at, seq: anchor.seq, problem: 'changed' }
  }
  return {
    ok: true,
    count: records.length,
    head: prev === undefined ? null : { seq: prev.seq, hash: prev.hash },
  }
}
