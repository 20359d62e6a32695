import { describe, expect, it } from 'vitest'
import { gatherContext, MemorySpendingHistory } from '../policy/context.ts'
import { evaluate } from '../policy/evaluate.ts'
import { MemoryReplayStore } from '../policy/replay.ts'
import {
  FakeChain,
  investorKey,
  kycCredential,
  NOW_MS,
  RECIPIENT,
  samplePolicy,
  transferRequest,
} from '../policy/testkit.ts'
import { verifyRequest } from '../policy/verify-request.ts'
import { decisionEntry, requestEntry } from './entries.ts'
import { makeRecord } from './record.ts'
import { sanitizeAuditData } from './redact.ts'
import { verifyAuditLines } from './verify.ts'

describe('audit entries for a judged request', () => {
  it('record the request and decision with hashes and codes only, and chain them', async () => {
    const v = await verifyRequest(
      { request: transferRequest(RECIPIENT, 2000n), credentials: [kycCredential()] },
      { nowMs: NOW_MS, audience: investorKey.keyId, replay: new MemoryReplayStore() },
    )
    if (!v.ok) throw new Error(v.code)
    const ctx = await gatherContext(v.request, {
      nowMs: NOW_MS,
      key: investorKey,
      nodeRole: 'provider',
      chain: new FakeChain(),
      history: new MemorySpendingHistory(),
    })
    const decision = evaluate(samplePolicy(), v.request, ctx)
    const req = requestEntry(v.request)
    const dec = decisionEntry(v.request.hash, decision, 'node-a')
    expect(req).toMatchObject({
      requestHash: v.request.hash,
      requester: v.request.requester,
      keyId: investorKey.keyId,
      op: 'transfer',
    })
    expect(req.contentHash).toMatch(/^[0-9a-f]{64}$/)
    expect(dec).toEqual({
      requestHash: v.request.hash,
      decision: 'deny',
      policyHash: samplePolicy().hash,
      firedRules: ['investor-transfers'],
      reasons: [{ ruleId: 'investor-transfers', code: 'OVER_PER_TX_LIMIT' }],
      node: 'node-a',
    })
    // nothing in these entries is redacted: they already hold only DIDs, ids, codes and hashes
    expect(sanitizeAuditData('request', req)).toEqual(req)
    expect(sanitizeAuditData('decision', dec)).toEqual(dec)
    const r0 = makeRecord(0, NOW_MS, 'request', req, '0'.repeat(64))
    const r1 = makeRecord(1, NOW_MS, 'decision', dec, r0.hash)
    expect(verifyAuditLines([JSON.stringify(r0), JSON.stringify(r1)])).toMatchObject({ ok: true, count: 2 })
    expect(JSON.stringify([req, dec])).not.toContain(RECIPIENT.slice(2))
  })
})
