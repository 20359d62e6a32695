import { describe, expect, it } from 'vitest'
import { signJwt } from '../identity/signer.ts'
import { checkLimits, checkTimeWindow } from './checks-content.ts'
import { countApprovals } from './checks-identity.ts'
import { type ChainView, type EvaluationContext, gatherContext, MemorySpendingHistory } from './context.ts'
import { evaluate } from './evaluate.ts'
import { MemoryReplayStore } from './replay.ts'
import type { Movement } from './stv3-calls.ts'
import {
  FakeChain,
  investor,
  investorKey,
  kycCredential,
  NOW_S,
  officers,
  RECIPIENT,
  RECIPIENT_NO_DID,
  samplePolicy,
  TOKEN,
  transferRequest,
  txRequest,
} from './testkit.ts'
import type { PolicyRule } from './types.ts'
import { verifyRequest } from './verify-request.ts'

const ctxAt = (iso: string, spent24h: Record<string, bigint> = {}): EvaluationContext => ({
  nowMs: Date.parse(iso),
  key: investorKey,
  nodeRole: 'provider',
  canReceive: {},
  dids: {},
  spent24h,
})
const rule = (r: Partial<PolicyRule>): PolicyRule => ({ id: 'r', operations: ['x'], requesters: ['*'], ...r })

describe('time windows (UTC)', () => {
  const cases: [string, PolicyRule['timeWindow'], string, boolean][] = [
    [
      'inside office hours',
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], hoursUtc: [8, 18] },
      '2026-12-02T17:59:00Z',
      true,
    ],
    ['end hour is exclusive', { hoursUtc: [8, 18] }, '2026-12-02T18:00:00Z', false],
    ['on a Saturday', { days: ['mon', 'fri'] }, '2026-12-05T12:00:00Z', false],
    ['a window that wraps midnight, late', { hoursUtc: [22, 6] }, '2026-12-02T23:30:00Z', true],
    ['a window that wraps midnight, early', { hoursUtc: [22, 6] }, '2026-12-02T05:59:00Z', true],
    ['a window that wraps midnight, midday', { hoursUtc: [22, 6] }, '2026-12-02T12:00:00Z', false],
  ]
  it.each(cases)('%s', (_n, timeWindow, iso, inside) => {
    expect(checkTimeWindow(rule({ timeWindow }), ctxAt(iso)).length === 0).toBe(inside)
  })
})

describe('limits', () => {
  const native: Movement = { token: 'native', amount: 10n, to: RECIPIENT }
  it('sums movements per token and applies per-tx and 24 h limits separately', () => {
    const r = rule({ limits: [{ token: 'native', perTx: '15', per24h: '100' }] })
    expect(checkLimits(r, ctxAt('2026-12-02T12:00:00Z', { native: 0n }), [native])).toEqual([])
    expect(
      checkLimits(r, ctxAt('2026-12-02T12:00:00Z', { native: 0n }), [native, native]).map((x) => x.code),
    ).toEqual(['OVER_PER_TX_LIMIT'])
    expect(
      checkLimits(r, ctxAt('2026-12-02T12:00:00Z', { native: 95n }), [native]).map((x) => x.code),
    ).toEqual(['OVER_24H_LIMIT'])
    expect(checkLimits(r, ctxAt('2026-12-02T12:00:00Z'), [native]).map((x) => x.code)).toEqual([
      'HISTORY_UNAVAILABLE',
    ])
  })
})

describe('evaluation fails closed on missing chain facts', () => {
  it('denies with CHAIN_VIEW_UNAVAILABLE when no chain view was available', async () => {
    const v = await verifyRequest(
      { request: txRequest({ to: RECIPIENT_NO_DID, value: '5' }), credentials: [kycCredential()] },
      { nowMs: NOW_S * 1000, audience: investorKey.keyId, replay: new MemoryReplayStore() },
    )
    if (!v.ok) throw new Error(v.code)
    const ctx = await gatherContext(v.request, {
      nowMs: NOW_S * 1000,
      key: investorKey,
      nodeRole: 'provider',
      history: new MemorySpendingHistory(),
    })
    expect(evaluate(samplePolicy(), v.request, ctx).reasons.map((r) => r.code)).toEqual([
      'CHAIN_VIEW_UNAVAILABLE',
    ])
    // with the chain view, the same plain value transfer is judged on the recipient's DID
    const ctx2 = await gatherContext(v.request, {
      nowMs: NOW_S * 1000,
      key: investorKey,
      nodeRole: 'provider',
      chain: new FakeChain(),
      history: new MemorySpendingHistory(),
    })
    expect(evaluate(samplePolicy(), v.request, ctx2).reasons.map((r) => r.code)).toEqual([
      'RECIPIENT_NO_VALID_DID',
    ])
  })

  it('denies a chain the rule does not list, and a message op the rule does not list', async () => {
    const replay = new MemoryReplayStore()
    const opts = { nowMs: NOW_S * 1000, audience: investorKey.keyId, replay }
    const wrongChain = signJwt(
      {
        aud: investorKey.keyId,
        iat: NOW_S,
        exp: NOW_S + 60,
        jti: 'chain-test-1',
        op: 'transfer',
        transaction: {
          chainId: 1,
          nonce: 0,
          to: RECIPIENT,
          value: '1',
          data: '0x',
          gas: '1',
          maxFeePerGas: '1',
          maxPriorityFeePerGas: '1',
        },
      },
      investor,
    )
    const message = signJwt(
      {
        aud: investorKey.keyId,
        iat: NOW_S,
        exp: NOW_S + 60,
        jti: 'message-test-1',
        op: 'sign-message',
        message: { encoding: 'utf8', value: 'hello' },
      },
      investor,
    )
    const codes = async (token: string) => {
      const v = await verifyRequest({ request: token, credentials: [kycCredential()] }, opts)
      if (!v.ok) throw new Error(v.code)
      const ctx = await gatherContext(v.request, {
        nowMs: opts.nowMs,
        key: investorKey,
        nodeRole: 'provider',
        chain: new FakeChain(),
        history: new MemorySpendingHistory(),
      })
      return evaluate(samplePolicy(), v.request, ctx).reasons.map((r) => r.code)
    }
    expect(await codes(wrongChain)).toEqual(['CHAIN_NOT_ALLOWED'])
    expect(await codes(message)).toEqual(['OPERATION_NOT_ALLOWED'])
  })
})

describe('approval counting', () => {
  const policy = samplePolicy()
  const rule = { quorum: 2, role: 'compliance-officer', maxAgeSeconds: 600 }
  const hash = 'a'.repeat(64)
  const at = (i: number, iat: number, exp: number) => ({
    approver: officers[i].did,
    approves: hash,
    iat,
    exp,
  })
  it('counts distinct, unexpired, fresh approvals by operators holding the role', () => {
    const now = NOW_S * 1000
    expect(
      countApprovals(policy, [at(0, NOW_S, NOW_S + 60), at(1, NOW_S, NOW_S + 60)], hash, rule, now),
    ).toBe(2)
    expect(
      countApprovals(policy, [at(0, NOW_S, NOW_S + 60), at(0, NOW_S - 1, NOW_S + 60)], hash, rule, now),
    ).toBe(1)
    // expired (beyond 60 s skew), too old for maxAgeSeconds, issued in the future
    expect(countApprovals(policy, [at(0, NOW_S - 300, NOW_S - 61)], hash, rule, now)).toBe(0)
    expect(countApprovals(policy, [at(0, NOW_S - 601, NOW_S + 60)], hash, rule, now)).toBe(0)
    expect(countApprovals(policy, [at(0, NOW_S + 120, NOW_S + 600)], hash, rule, now)).toBe(0)
    // a role the approver does not hold, and an excluded (requesting) DID
    expect(countApprovals(policy, [at(0, NOW_S, NOW_S + 60)], hash, { ...rule, role: 'auditor' }, now)).toBe(
      0,
    )
    expect(countApprovals(policy, [at(0, NOW_S, NOW_S + 60)], hash, rule, now, officers[0].did)).toBe(0)
  })
})

describe('gatherContext', () => {
  it('leaves failed chain lookups out, so evaluation denies', async () => {
    const v = await verifyRequest(
      { request: transferRequest(RECIPIENT, 5n), credentials: [kycCredential()] },
      { nowMs: NOW_S * 1000, audience: investorKey.keyId, replay: new MemoryReplayStore() },
    )
    if (!v.ok) throw new Error(v.code)
    const broken: ChainView = {
      canReceive: async () => {
        throw new Error('rpc down')
      },
      didOf: async () => {
        throw new Error('rpc down')
      },
    }
    const ctx = await gatherContext(v.request, {
      nowMs: NOW_S * 1000,
      key: investorKey,
      nodeRole: 'provider',
      chain: broken,
      history: new MemorySpendingHistory(),
    })
    expect(ctx.canReceive).toEqual({})
    expect(ctx.dids).toEqual({})
    expect(ctx.spent24h).toEqual({ [TOKEN]: 0n })
    expect(evaluate(samplePolicy(), v.request, ctx).reasons.map((r) => r.code)).toEqual([
      'CHAIN_VIEW_UNAVAILABLE',
      'CHAIN_VIEW_UNAVAILABLE',
    ])
  })
})
