// File helpers for `mpc-node audit export` / `audit verify --file F`.
import { readFile, writeFile } from 'node:fs/promises'
import { NodeError } from '../errors.ts'
import type { AuditLog } from './log.ts'
import { type AuditAnchor, type AuditVerification, verifyAuditLines } from './verify.ts'

export async function verifyAuditFile(
  path: string,
  opts: { anchor?: AuditAnchor } = {},
): Promise<AuditVerification> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new NodeError('AUDIT_UNREADABLE', `Cannot read the audit export ${path}`, { cause })
  }
  return verifyAuditLines(text.split('\n'), opts)
}

/** Writes the whole log as JSON lines; returns the number of records. */
export async function exportAuditFile(log: AuditLog, path: string): Promise<number> {
  const lines: string[] = []
  for await (const line of log.export()) lines.push(line)
  await writeFile(path, lines.length === 0 ? '' : `${lines.join('\n')}\n`)
  return lines.length
}

/** One line for operators; the CLI exits 0 only when `r.ok`. */
export function describeAuditVerification(r: AuditVerification): string {
  if (r.ok) {
    return r.head === null
      ? 'audit intact: empty'
      : `audit intact: ${r.count} records, head seq ${r.head.seq} hash ${r.head.hash}`
  }
  const which = r.seq === null ? `record #${r.index}` : `record seq ${r.seq} (position ${r.index})`
  const what = {
    changed: 'was changed',
    removed: 'was removed',
    reordered: 'is out of order',
    malformed: 'is not a valid record',
  }[r.problem]
  return `audit BROKEN: ${which} ${what}`
}
