import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeAuditVerification, exportAuditFile, verifyAuditFile } from './file.ts'
import { AuditLog } from './log.ts'
import type { AuditRecord } from './record.ts'

let dir: string
let db: Level<string, AuditRecord>
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-file-'))
  db = new Level<string, AuditRecord>(join(dir, 'db'), { valueEncoding: 'json' })
})
afterEach(async () => {
  await db.close()
  await rm(dir, { recursive: true, force: true })
})

it('exports to a file that verifies, and describes the first bad record after an edit', async () => {
  const log = new AuditLog({ kv: db.sublevel<string, AuditRecord>('audit', { valueEncoding: 'json' }) })
  for (let i = 0; i < 5; i++) await log.append('tx', { chainId: 1, txHash: `0x${String(i).repeat(64)}` })
  const file = join(dir, 'audit.jsonl')
  expect(await exportAuditFile(log, file)).toBe(5)
  const ok = await verifyAuditFile(file)
  expect(describeAuditVerification(ok)).toMatch(/^audit intact: 5 records, head seq 4 hash [0-9a-f]{64}$/)
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n')
  lines[2] = lines[2].replace('"chainId":1', '"chainId":5')
  await writeFile(file, lines.join('\n'))
  expect(describeAuditVerification(await verifyAuditFile(file))).toBe(
    'audit BROKEN: record seq 2 (position 2) was changed',
  )
  await expect(verifyAuditFile(join(dir, 'nope'))).rejects.toMatchObject({ code: 'AUDIT_UNREADABLE' })
})
