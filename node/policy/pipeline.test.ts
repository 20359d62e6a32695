// End-to-end judgement of requests through the public pipeline:
// verifyRequest -> gatherContext -> evaluate, one row per refusal or denial code.
import { base64urlnopad } from '@scure/base'
import { describe, expect, it } from 'vitest'
import { signJwt } from '../identity/signer.ts'
import { signApproval } from './approval.ts'
import { gatherContext, type KeyMetadata, MemorySpendingHistory, recordSpending } from './context.ts'
import { evaluate } from './evaluate.ts'
import { devPolicy, starterPolicy } from './presets.ts'
import { MemoryReplayStore } from './replay.ts'
import {
  callData,
  FakeChain,
  investor,
  investorKey,
  issuerKey,
  issuerOperator,
  kycCredential,
  NOW_MS,
  NOW_S,
  OTHER_CONTRACT,
  officers,
  RECIPIENT,
  RECIPIENT_CLOSED,
  RECIPIENT_EXPIRED_DID,
  RECIPIENT_NO_DID,
  RECIPIENT_SANCTIONED,
  rogueIssuer,
  samplePolicy,
  stranger,
  TOKEN,
  transferRequest,
  txRequest,
} from './testkit.ts'
import type { NodeRole, Policy } from './types.ts'
import { type RequestEnvelope, verifyRequest } from './verify-request.ts'

type JudgeOptions = {
  policy?: Policy | undefined
  key?: KeyMetadata
  nodeRole?: NodeRole
  history?: MemorySpendingHistory
  replay?: MemoryReplayStore
  nowMs?: number
}

async function judge(env: RequestEnvelope, o: JudgeOptions = {}) {
  const key = o.key ?? investorKey
  const nowMs = o.nowMs ?? NOW_MS
  const v = await verifyRequest(env, {
    nowMs,
    audience: [investorKey.keyId, issuerKey.keyId],
    replay: o.replay ?? new MemoryReplayStore({ clock: () => nowMs }),
  })
  if (!v.ok) return { stage: 'verify' as const, codes: [v.code] }
  const ctx = await gatherContext(v.request, {
    nowMs,
    key,
    nodeRole: o.nodeRole ?? 'provider',
    chain: new FakeChain(),
    history: o.history ?? new MemorySpendingHistory(),
  })
  const policy = 'policy' in o ? o.policy : samplePolicy()
  const decision = evaluate(policy, v.request, ctx)
  return {
    stage: 'evaluate' as const,
    codes: decision.reasons.map((r) => r.code),
    decision,
    request: v.request,
  }
}

const withKyc = (request: string): RequestEnvelope => ({ request, credentials: [kycCredential()] })

function tamper(token: string): string {
  const [h, p, s] = token.split('.')
  const payload = JSON.parse(new TextDecoder().decode(base64urlnopad.decode(p)))
  payload.transaction.value = '999'
  return `${h}.${base64urlnopad.encode(new TextEncoder().encode(JSON.stringify(payload)))}.${s}`
}

function approvals(token: string, signers = officers.slice(0, 2)): string[] {
  return signers.map((s) => signApproval(s, token, { iat: NOW_S - 10, exp: NOW_S + 600 }))
}

const issueRequest = () =>
  txRequest({ signer: issuerOperator, aud: issuerKey.keyId, op: 'issue', data: callData('issue', [10_000n]) })

type Row = [name: string, env: () => RequestEnvelope, expected: string[], options?: JudgeOptions]

const rows: Row[] = [
  // refused by verification
  ['bad signature', () => withKyc(tamper(transferRequest(RECIPIENT, 5n))), ['REQUEST_BAD_SIGNATURE']],
  ['malformed token', () => withKyc('eyJhbGciOiJFUzI1NksifQ.e30'), ['REQUEST_MALFORMED']],
  [
    'expired',
    () => withKyc(transferRequest(RECIPIENT, 5n, { iat: NOW_S - 600, exp: NOW_S - 300 })),
    ['REQUEST_EXPIRED'],
  ],
  [
    'issued in the future',
    () => withKyc(transferRequest(RECIPIENT, 5n, { iat: NOW_S + 600 })),
    ['REQUEST_NOT_YET_VALID'],
  ],
  [
    'lives too long',
    () => withKyc(transferRequest(RECIPIENT, 5n, { exp: NOW_S + 86_400 })),
    ['REQUEST_LIFETIME_TOO_LONG'],
  ],
  [
    'wrong audience',
    () => withKyc(transferRequest(RECIPIENT, 5n, { aud: 'someone-elses-key' })),
    ['REQUEST_WRONG_AUDIENCE'],
  ],
  [
    'unsupported DID method',
    () => withKyc(signJwt({ iss: 'did:web:example.com' }, investor, { kid: 'did:web:example.com#k' })),
    ['DID_METHOD_UNSUPPORTED'],
  ],
  [
    'unresolvable DID',
    () => withKyc(signJwt({ iss: 'did:key:zQ3sBad' }, investor, { kid: 'did:key:zQ3sBad' })),
    ['DID_UNRESOLVABLE'],
  ],
  ['kid not matching iss', () => withKyc(signJwt({ iss: stranger.did }, investor)), ['REQUEST_KID_MISMATCH']],
  [
    'described call differs from the data',
    () =>
      withKyc(
        transferRequest(RECIPIENT, 5000n, {
          extra: {
            call: { contract: TOKEN, functionName: 'transfer', args: { to: RECIPIENT, amount: '5' } },
          },
        }),
      ),
    ['REQUEST_CALL_MISMATCH'],
  ],
  // denied by the policy
  [
    'no policy configured',
    () => withKyc(transferRequest(RECIPIENT, 5n)),
    ['NO_POLICY'],
    { policy: undefined },
  ],
  [
    'starter policy',
    () => withKyc(transferRequest(RECIPIENT, 5n)),
    ['NO_MATCHING_RULE'],
    { policy: starterPolicy() },
  ],
  [
    'unknown requester DID (not the key owner)',
    () => ({
      request: transferRequest(RECIPIENT, 5n, { signer: stranger }),
      credentials: [kycCredential(stranger.did)],
    }),
    ['REQUESTER_UNKNOWN'],
  ],
  [
    'blocked requester DID',
    () => withKyc(transferRequest(RECIPIENT, 5n)),
    ['REQUESTER_BLOCKED'],
    { policy: samplePolicy((d) => (d.sanctions = { dids: [investor.did] })) },
  ],
  ['no KYC credential', () => ({ request: transferRequest(RECIPIENT, 5n) }), ['CREDENTIAL_MISSING']],
  [
    'credential from an untrusted issuer',
    () => ({
      request: transferRequest(RECIPIENT, 5n),
      credentials: [kycCredential(investor.did, { issuer: rogueIssuer })],
    }),
    ['CREDENTIAL_UNTRUSTED_ISSUER'],
  ],
  [
    'revoked credential',
    () => ({
      request: transferRequest(RECIPIENT, 5n),
      credentials: [kycCredential(investor.did, { id: 'urn:kyc:revoked' })],
    }),
    ['CREDENTIAL_REVOKED'],
  ],
  [
    'expired credential',
    () => ({
      request: transferRequest(RECIPIENT, 5n),
      credentials: [kycCredential(investor.did, { exp: NOW_S - 3600 })],
    }),
    ['CREDENTIAL_EXPIRED'],
  ],
  [
    'sanctioned recipient',
    () => withKyc(transferRequest(RECIPIENT_SANCTIONED, 5n)),
    ['RECIPIENT_SANCTIONED'],
  ],
  [
    'recipient without a DID',
    () => withKyc(transferRequest(RECIPIENT_NO_DID, 5n)),
    ['RECIPIENT_NO_VALID_DID'],
  ],
  [
    'recipient with an expired DID',
    () => withKyc(transferRequest(RECIPIENT_EXPIRED_DID, 5n)),
    ['RECIPIENT_NO_VALID_DID'],
  ],
  [
    'recipient failing canReceive',
    () => withKyc(transferRequest(RECIPIENT_CLOSED, 5n)),
    ['RECIPIENT_CANNOT_RECEIVE'],
  ],
  ['over the per-transaction limit', () => withKyc(transferRequest(RECIPIENT, 1001n)), ['OVER_PER_TX_LIMIT']],
  [
    'a function not allowed',
    () => withKyc(txRequest({ to: TOKEN, data: callData('approve', [RECIPIENT, 5n]) })),
    ['FUNCTION_NOT_ALLOWED'],
  ],
  [
    'a contract not allowed',
    () => withKyc(txRequest({ to: OTHER_CONTRACT, data: callData('transfer', [RECIPIENT, 5n]) })),
    ['CONTRACT_NOT_ALLOWED', 'TOKEN_NOT_ALLOWED'],
  ],
  [
    'call data that is no STV3 call',
    () => withKyc(txRequest({ to: TOKEN, data: '0xdeadbeef' })),
    ['CALL_UNDECODED'],
  ],
  [
    'an operation not allowed',
    () => withKyc(transferRequest(RECIPIENT, 5n, { op: 'issue' })),
    ['OPERATION_NOT_ALLOWED'],
  ],
  [
    'outside the time window',
    () => withKyc(transferRequest(RECIPIENT, 5n)),
    ['OUTSIDE_TIME_WINDOW'],
    { policy: samplePolicy((d) => (d.rules![0].timeWindow = { days: ['sat', 'sun'] })) },
  ],
  [
    'recovery node asked for a routine transfer',
    () => withKyc(transferRequest(RECIPIENT, 5n)),
    ['RECOVERY_NODE_ROUTINE_REFUSED'],
    { nodeRole: 'recovery', policy: samplePolicy((d) => (d.node = { role: 'recovery' })) },
  ],
  [
    'recovery node with a dev policy still refuses routine signing',
    () => withKyc(transferRequest(RECIPIENT, 5n)),
    ['RECOVERY_NODE_ROUTINE_REFUSED'],
    { nodeRole: 'recovery', policy: devPolicy() },
  ],
  [
    'device asked by someone other than its investor',
    () => ({
      request: transferRequest(RECIPIENT, 5n, { signer: stranger }),
      credentials: [kycCredential(stranger.did)],
    }),
    ['DEVICE_REQUESTER_NOT_INVESTOR'],
    {
      nodeRole: 'device',
      policy: samplePolicy((d) => (d.node = { role: 'device', investorDid: investor.did })),
    },
  ],
  [
    'device under a dev policy asked by someone other than the key owner',
    () => ({ request: transferRequest(RECIPIENT, 5n, { signer: stranger }) }),
    ['DEVICE_REQUESTER_NOT_INVESTOR'],
    { nodeRole: 'device', policy: devPolicy() },
  ],
  [
    'policy written for another node role',
    () => withKyc(transferRequest(RECIPIENT, 5n)),
    ['NODE_ROLE_MISMATCH'],
    { nodeRole: 'device' },
  ],
  [
    'issuer operation without approvals',
    () => ({ request: issueRequest() }),
    ['INSUFFICIENT_APPROVALS'],
    { key: issuerKey },
  ],
  [
    'issuer operation with one approval',
    () => {
      const request = issueRequest()
      return { request, approvals: approvals(request, [officers[0]]) }
    },
    ['INSUFFICIENT_APPROVALS'],
    { key: issuerKey },
  ],
  [
    'issuer operation with two approvals by the same DID',
    () => {
      const request = issueRequest()
      return { request, approvals: approvals(request, [officers[0], officers[0]]) }
    },
    ['INSUFFICIENT_APPROVALS'],
    { key: issuerKey },
  ],
  [
    'issuer operation approved by a non-operator and for another request',
    () => {
      const request = issueRequest()
      return {
        request,
        approvals: [
          ...approvals(request, [officers[0], stranger]),
          ...approvals(issueRequest(), [officers[1]]),
        ],
      }
    },
    ['INSUFFICIENT_APPROVALS'],
    { key: issuerKey },
  ],
]

describe('request judgement table', () => {
  it.each(rows)('%s', async (_name, env, expected, options) => {
    const r = await judge(env(), options)
    expect(r.codes).toEqual(expected)
    if (r.stage === 'evaluate') {
      expect(r.decision.decision).toBe('deny')
      expect(r.decision.firedRules.length).toBeGreaterThan(0)
    }
  })
})

describe('allowed requests', () => {
  it('allows a KYC-ed investor transfer to a verified recipient within limits', async () => {
    const r = await judge(withKyc(transferRequest(RECIPIENT, 5n)))
    expect(r.codes).toEqual([])
    expect(r.stage === 'evaluate' && r.decision).toMatchObject({
      decision: 'allow',
      firedRules: ['node-role', 'audience', 'sanctions', 'investor-transfers'],
      policyHash: samplePolicy().hash,
    })
  })

  it('allows a did-jwt style request without kid (iss names the signer)', async () => {
    const token = signJwt(
      {
        aud: investorKey.keyId,
        iat: NOW_S,
        exp: NOW_S + 60,
        jti: 'no-kid-request-1',
        op: 'transfer',
        transaction: {
          chainId: 31337,
          nonce: 1,
          to: TOKEN,
          value: '0',
          data: callData('transfer', [RECIPIENT, 7n]),
          gas: '1',
          maxFeePerGas: '1',
          maxPriorityFeePerGas: '1',
        },
      },
      { ...investor, kid: investor.did },
    )
    expect((await judge(withKyc(token))).codes).toEqual([])
  })

  it('allows the issuer operation with two distinct operator approvals', async () => {
    const request = issueRequest()
    const r = await judge({ request, approvals: approvals(request) }, { key: issuerKey })
    expect(r.stage === 'evaluate' && r.decision.decision).toBe('allow')
  })

  it('the requester cannot approve their own request', async () => {
    const request = issueRequest()
    const policy = samplePolicy((d) =>
      d.operators!.push({ did: issuerOperator.did, roles: ['compliance-officer'] }),
    )
    const r = await judge(
      { request, approvals: approvals(request, [officers[0], issuerOperator]) },
      { key: issuerKey, policy },
    )
    expect(r.codes).toEqual(['INSUFFICIENT_APPROVALS'])
  })

  it('a device under a dev policy co-signs for the key owner', async () => {
    const r = await judge(
      { request: transferRequest(RECIPIENT, 5n) },
      { nodeRole: 'device', policy: devPolicy() },
    )
    expect(r.stage === 'evaluate' && r.decision.decision).toBe('allow')
  })

  it('a dev policy allows any well-formed request, and is flagged', async () => {
    const policy = devPolicy()
    expect(policy.dev).toBe(true)
    const r = await judge(
      { request: txRequest({ to: OTHER_CONTRACT, data: '0xdeadbeef', op: 'anything' }) },
      { policy },
    )
    expect(r.stage === 'evaluate' && r.decision.decision).toBe('allow')
  })
})

describe('replay and rolling limits', () => {
  it('refuses a replayed jti', async () => {
    const replay = new MemoryReplayStore({ clock: () => NOW_MS })
    const env = withKyc(transferRequest(RECIPIENT, 5n))
    expect((await judge(env, { replay })).codes).toEqual([])
    expect((await judge(env, { replay })).codes).toEqual(['REQUEST_REPLAYED'])
    // A refused token does not consume its jti.
    const expired = withKyc(
      transferRequest(RECIPIENT, 5n, { jti: 'fresh-jti-1', iat: NOW_S - 900, exp: NOW_S - 800 }),
    )
    expect((await judge(expired, { replay })).codes).toEqual(['REQUEST_EXPIRED'])
    expect(replay.has('fresh-jti-1')).toBe(false)
  })

  it('denies over the 24 h limit after several allowed transfers, and allows again a day later', async () => {
    const history = new MemorySpendingHistory()
    const send = async (amount: bigint, nowMs: number) => {
      const iat = Math.floor(nowMs / 1000)
      const r = await judge(withKyc(transferRequest(RECIPIENT, amount, { iat })), { history, nowMs })
      if (r.stage === 'evaluate' && r.decision.decision === 'allow') {
        await recordSpending(history, r.request, investorKey.keyId, nowMs)
      }
      return r.codes
    }
    expect(await send(1000n, NOW_MS)).toEqual([])
    expect(await send(1000n, NOW_MS + 3_600_000)).toEqual([])
    expect(await send(500n, NOW_MS + 7_200_000)).toEqual([]) // exactly 2500
    expect(await send(1n, NOW_MS + 7_300_000)).toEqual(['OVER_24H_LIMIT'])
    // the first 1000 leaves the window 24 h after it was signed
    expect(await send(1000n, NOW_MS + 86_400_001)).toEqual([])
  })
})
