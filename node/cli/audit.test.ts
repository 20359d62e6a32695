import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type AuditKv, AuditLog, type AuditRecord, exportAuditFile } from '../audit/index.ts'
import { sha256Hex } from '../identity/canonical.ts'
import { AUDIT_DIR, AUDIT_SUBLEVEL } from './audit.ts'
import { runInProcess, runProcess } from './testkit.ts'

const DID = 'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme'
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-audit-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes `n` records with node/audit's AuditLog into a LevelDB folder (the node's layout). */
async function writeTrail(folder: string, n: number, exportTo?: string): Promise<void> {
  const db = new Level<string, AuditRecord>(folder, { valueEncoding: 'json' })
  let t = 1_800_000_000_000
  const kv: AuditKv = db.sublevel<string, AuditRecord>(AUDIT_SUBLEVEL, { valueEncoding: 'json' })
  const log = new AuditLog({ kv, clock: () => (t += 1000) })
  for (let i = 0; i < n; i++) {
    await log.append('request', {
      requestHash: sha256Hex(`request-${i}`),
      requester: DID,
      keyId: 'key-1',
      op: 'transfer',
      jti: `jti-${i}`,
      contentHash: sha256Hex(`c${i}`),
    })
  }
  if (exportTo !== undefined) await exportAuditFile(log, exportTo)
  await db.close()
}

describe('mpc-node audit verify --file', () => {
  it('exit 0 with { ok: true, count } for an intact export', async () => {
    const file = join(dir, 'audit.jsonl')
    await writeTrail(join(dir, 'db'), 5, file)
    const r = await runProcess(['audit', 'verify', '--file', file, '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, count: 5, head: { seq: 4 } })
    const human = await runInProcess(['audit', 'verify', '--file', file])
    expect(human.stdout).toMatch(/^audit intact: 5 records/)
  })

  it('exit 1 naming the first changed record of a tampered export', async () => {
    const file = join(dir, 'audit.jsonl')
    await writeTrail(join(dir, 'db'), 5, file)
    const lines = (await readFile(file, 'utf8')).trim().split('\n')
    lines[2] = lines[2].replace('"op":"transfer"', '"op":"mint"')
    await writeFile(join(dir, 'tampered.jsonl'), `${lines.join('\n')}\n`)
    const r = await runProcess(['audit', 'verify', '--file', join(dir, 'tampered.jsonl'), '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, index: 2, seq: 2, problem: 'changed' })
    const human = await runInProcess(['audit', 'verify', '--file', join(dir, 'tampered.jsonl')])
    expect(human.code).toBe(1)
    expect(human.stderr).toContain('audit BROKEN: record seq 2 (position 2) was changed')
  })

  it('names a removed and a reordered record, and a truncated tail with --anchor', async () => {
    const file = join(dir, 'audit.jsonl')
    await writeTrail(join(dir, 'db'), 5, file)
    const lines = (await readFile(file, 'utf8')).trim().split('\n')
    const check = async (content: string[], extra: string[] = []) => {
      await writeFile(join(dir, 'x.jsonl'), content.join('\n'))
      const r = await runInProcess(['audit', 'verify', '--file', join(dir, 'x.jsonl'), '--json', ...extra])
      return { code: r.code, result: JSON.parse(r.stdout) }
    }
    expect(await check([lines[0], lines[1], lines[3], lines[4]])).toEqual({
      code: 1,
      result: { ok: false, index: 2, seq: 2, problem: 'removed' },
    })
    expect((await check([lines[0], lines[2], lines[1], lines[3], lines[4]])).result.problem).toBe('reordered')
    const head = JSON.parse(lines[4]) as AuditRecord
    const anchor = `${head.seq}:${head.hash}`
    expect((await check(lines, ['--anchor', anchor])).code).toBe(0)
    expect((await check(lines.slice(0, 3), ['--anchor', anchor])).result).toMatchObject({
      ok: false,
      problem: 'removed',
    })
  })

  it('an unreadable file is exit 1; --home and --file together are a usage error', async () => {
    const r = await runInProcess(['audit', 'verify', '--file', join(dir, 'nope.jsonl')])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('AUDIT_UNREADABLE')
    const both = await runInProcess(['audit', 'verify', '--file', 'a', '--home', 'b'])
    expect(both.code).toBe(2)
    const bad = await runInProcess(['audit', 'verify', '--file', 'a', '--anchor', '3'])
    expect(bad.code).toBe(2)
  })
})

describe('mpc-node audit export / verify --home', () => {
  it('exports the home trail as JSON lines and verifies it; needs the passphrase', async () => {
    const home = join(dir, 'node')
    expect((await runInProcess(['init', '--home', home], { MPC_NODE_PASSPHRASE: 'pw' })).code).toBe(0)
    const empty = await runInProcess(['audit', 'export', '--home', home], { MPC_NODE_PASSPHRASE: 'pw' })
    expect(empty).toMatchObject({ code: 0, stdout: '' })

    await writeTrail(join(home, AUDIT_DIR), 3)
    const r = await runInProcess(['audit', 'export', '--home', home], { MPC_NODE_PASSPHRASE: 'pw' })
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual([0, 1, 2])

    const v = await runInProcess(['audit', 'verify', '--home', home, '--json'], { MPC_NODE_PASSPHRASE: 'pw' })
    expect(v.code).toBe(0)
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, count: 3 })

    const noPass = await runInProcess(['audit', 'export', '--home', home])
    expect(noPass.code).toBe(1)
    expect(noPass.stderr).toContain('CLI_PASSPHRASE_MISSING')
    const wrong = await runInProcess(['audit', 'export', '--home', home], { MPC_NODE_PASSPHRASE: 'nope' })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('STORE_BAD_PASSPHRASE')
    expect(wrong.stdout).toBe('')
  })
})
