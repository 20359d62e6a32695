import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sha256Hex } from '../identity/canonical.ts'
import { type AuditKv, AuditLog } from './log.ts'
import type { AuditRecord } from './record.ts'
import { redactText, sanitizeAuditData } from './redact.ts'
import { verifyAuditLines } from './verify.ts'

const H = (s: string) => sha256Hex(s)
const DID = 'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme'

let dir: string
let db: Level<string, AuditRecord>
let log: AuditLog

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-'))
  db = new Level<string, AuditRecord>(dir, { valueEncoding: 'json' })
  let t = 1_800_000_000_000
  const kv: AuditKv = db.sublevel<string, AuditRecord>('audit', { valueEncoding: 'json' })
  log = new AuditLog({ kv, clock: () => (t += 1000) })
})

afterEach(async () => {
  await db.close()
  await rm(dir, { recursive: true, force: true })
})

async function fill(n: number): Promise<string[]> {
  for (let i = 0; i < n; i++) {
    const requestHash = H(`request-${i}`)
    if (i % 3 === 0) {
      await log.append('request', {
        requestHash,
        requester: DID,
        keyId: 'investor-key-1',
        op: 'transfer',
        jti: `jti-${i}`,
        contentHash: H(`c${i}`),
      })
    } else if (i % 3 === 1) {
      await log.append('decision', {
        requestHash,
        decision: 'deny',
        policyHash: H('policy'),
        firedRules: ['investor-transfers'],
        reasons: [{ ruleId: 'investor-transfers', code: 'OVER_PER_TX_LIMIT' }],
      })
    } else {
      await log.append('ceremony', {
        sessionId: `s-${i}`,
        kind: 'sign',
        participants: ['node-a', 'node-b'],
        transcriptHash: H(`t${i}`),
        outcome: 'abort',
        culprits: ['node-b'],
        code: 'BAD_PROOF',
      })
    }
  }
  const lines: string[] = []
  for await (const line of log.export()) lines.push(line)
  return lines
}

function edit(line: string, f: (r: Record<string, unknown>) => void): string {
  const r = JSON.parse(line)
  f(r)
  return JSON.stringify(r)
}

describe('audit log over LevelDB', () => {
  it('exports an intact chain that verifies, and reports its head as an anchor', async () => {
    const lines = await fill(8)
    expect(lines).toHaveLength(8)
    const head = await log.head()
    expect(head?.seq).toBe(7)
    expect(verifyAuditLines(lines, { anchor: head! })).toEqual({ ok: true, count: 8, head })
    expect(JSON.parse(lines[0]).prevHash).toBe('0'.repeat(64))
    expect(JSON.parse(lines[1]).prevHash).toBe(JSON.parse(lines[0]).hash)
  })

  it('concurrent appends never fork the chain', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        log.append('tx', { chainId: 31337, txHash: `0x${H(String(i))}`, status: 'sent' }),
      ),
    )
    const lines: string[] = []
    for await (const l of log.export()) lines.push(l)
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual(Array.from({ length: 40 }, (_, i) => i))
    expect(verifyAuditLines(lines).ok).toBe(true)
  })

  it('continues the chain after reopening the database', async () => {
    await fill(3)
    await db.close()
    db = new Level<string, AuditRecord>(dir, { valueEncoding: 'json' })
    const reopened = new AuditLog({
      kv: db.sublevel<string, AuditRecord>('audit', { valueEncoding: 'json' }),
    })
    const r = await reopened.append('tx', { chainId: 1, txHash: `0x${H('x')}` })
    expect(r.seq).toBe(3)
    const lines: string[] = []
    for await (const l of reopened.export()) lines.push(l)
    expect(verifyAuditLines(lines)).toMatchObject({ ok: true, count: 4 })
  })

  it('names the record whose field was edited', async () => {
    const lines = await fill(6)
    lines[3] = edit(lines[3], (r) => ((r.data as Record<string, unknown>).decision = 'allow'))
    expect(verifyAuditLines(lines)).toEqual({ ok: false, index: 3, seq: 3, problem: 'changed' })
    const lines2 = await (async () => {
      const l = [...lines]
      l[3] = edit(l[3], (r) => (r.ts = 1))
      return l
    })()
    expect(verifyAuditLines(lines2)).toEqual({ ok: false, index: 3, seq: 3, problem: 'changed' })
  })

  it('names the predecessor when a record was rewritten with a recomputed hash', async () => {
    const lines = await fill(6)
    const { hashRecord } = await import('./record.ts')
    lines[2] = edit(lines[2], (r) => {
      ;(r.data as Record<string, unknown>).culprits = []
      r.hash = hashRecord(r as unknown as AuditRecord)
    })
    expect(verifyAuditLines(lines)).toEqual({ ok: false, index: 2, seq: 2, problem: 'changed' })
  })

  it('names the removed record', async () => {
    const lines = await fill(6)
    lines.splice(4, 1)
    expect(verifyAuditLines(lines)).toEqual({ ok: false, index: 4, seq: 4, problem: 'removed' })
  })

  it('detects a truncated tail only with an anchor', async () => {
    const lines = await fill(6)
    const head = (await log.head())!
    const truncated = lines.slice(0, 5)
    expect(verifyAuditLines(truncated).ok).toBe(true)
    expect(verifyAuditLines(truncated, { anchor: head })).toEqual({
      ok: false,
      index: 5,
      seq: 5,
      problem: 'removed',
    })
  })

  it('names the first of two swapped records', async () => {
    const lines = await fill(6)
    ;[lines[2], lines[3]] = [lines[3], lines[2]]
    expect(verifyAuditLines(lines)).toEqual({ ok: false, index: 2, seq: 3, problem: 'reordered' })
  })

  it('names a malformed line', async () => {
    const lines = await fill(4)
    lines[1] = '{"seq": 1, "oops": true}'
    expect(verifyAuditLines(lines)).toEqual({ ok: false, index: 1, seq: null, problem: 'malformed' })
  })
})

describe('personal data stays out of the audit', () => {
  it('hashes free text and unknown fields, keeps DIDs, ids, codes and hashes', async () => {
    const data = {
      requestHash: H('r'),
      requester: DID,
      keyId: 'investor-key-1',
      op: 'transfer',
      jti: 'Alice Smith, 12 Main St',
      contentHash: H('c'),
      note: 'passport 123',
    }
    const clean = sanitizeAuditData('request', data)
    expect(clean).toMatchObject({
      requester: DID,
      keyId: 'investor-key-1',
      op: 'transfer',
      requestHash: H('r'),
    })
    expect(clean.jti).toBe(redactText('Alice Smith, 12 Main St'))
    expect(clean.note).toBe(redactText('passport 123'))
    const rec = await log.append('request', data as never)
    expect(JSON.stringify(rec)).not.toContain('Alice')
    expect(JSON.stringify(rec)).not.toContain('passport')
  })
})
