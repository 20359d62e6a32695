import { createJWT, EdDSASigner, ES256KSigner } from 'did-jwt'
import { describe, expect, it } from 'vitest'
import { ed25519DidSigner, secp256k1DidSigner, signJwt } from '../identity/signer.ts'
import { requestHash, signApproval, verifyApproval } from './approval.ts'
import { MemoryReplayStore } from './replay.ts'
import { callData, officers, RECIPIENT, TOKEN, txRequest } from './testkit.ts'
import { verifyRequest } from './verify-request.ts'

const k1Secret = new Uint8Array(32).fill(7)
const edSecret = new Uint8Array(32).fill(9)

function claims(nowS: number, jti: string) {
  return {
    aud: 'investor-key-1',
    iat: nowS,
    jti,
    op: 'transfer',
    transaction: {
      chainId: 31337,
      nonce: 3,
      to: TOKEN,
      value: '0',
      data: callData('transfer', [RECIPIENT, 42n]),
      gas: '90000',
      maxFeePerGas: '3',
      maxPriorityFeePerGas: '1',
    },
    call: { contract: TOKEN, functionName: 'transfer', args: { to: RECIPIENT, amount: '42' } },
  }
}

describe('verifyRequest with did-jwt tokens', () => {
  const nowMs = Date.now()
  const nowS = Math.floor(nowMs / 1000)
  const opts = () => ({ nowMs, audience: 'investor-key-1', replay: new MemoryReplayStore() })

  it('accepts createJWT with an ES256K signer (no kid) and decodes the STV3 call itself', async () => {
    const did = secp256k1DidSigner(k1Secret).did
    const token = await createJWT(
      claims(nowS, 'did-jwt-es256k-1'),
      { issuer: did, signer: ES256KSigner(k1Secret), expiresIn: 60 },
      { alg: 'ES256K' },
    )
    const r = await verifyRequest({ request: token }, opts())
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.request.requester).toBe(did)
    expect(r.request.alg).toBe('ES256K')
    expect(r.request.claims.exp).toBe(nowS + 60)
    expect(r.request.call).toEqual({
      contract: TOKEN,
      functionName: 'transfer',
      args: { to: RECIPIENT, amount: '42' },
    })
    expect(r.request.hash).toBe(requestHash(token))
  })

  it('accepts createJWT with an EdDSA signer and a kid DID URL', async () => {
    const s = ed25519DidSigner(edSecret)
    const token = await createJWT(
      claims(nowS, 'did-jwt-eddsa-1'),
      { issuer: s.did, signer: EdDSASigner(edSecret), expiresIn: 60 },
      { alg: 'EdDSA', kid: s.kid },
    )
    const r = await verifyRequest({ request: token }, opts())
    expect(r.ok && r.request.alg).toBe('EdDSA')
  })

  it('refuses a did-jwt token without exp or with a long lifetime', async () => {
    const did = secp256k1DidSigner(k1Secret).did
    const noExp = await createJWT(
      claims(nowS, 'did-jwt-noexp-1'),
      { issuer: did, signer: ES256KSigner(k1Secret) },
      { alg: 'ES256K' },
    )
    const r1 = await verifyRequest({ request: noExp }, opts())
    expect(!r1.ok && r1.code).toBe('REQUEST_MALFORMED')
    const long = await createJWT(
      claims(nowS, 'did-jwt-long-1'),
      { issuer: did, signer: ES256KSigner(k1Secret), expiresIn: 3600 },
      { alg: 'ES256K' },
    )
    const r2 = await verifyRequest({ request: long }, opts())
    expect(!r2.ok && r2.code).toBe('REQUEST_LIFETIME_TOO_LONG')
  })
})

describe('approvals and credentials attached to a request', () => {
  it('keeps valid approvals and lists rejected ones with their codes', async () => {
    const request = txRequest({ iat: 1_800_000_000 })
    const good = signApproval(officers[0], request, { iat: 1_800_000_000, exp: 1_800_000_600 })
    const other = signApproval(officers[1], txRequest({ iat: 1_800_000_000 }), {
      iat: 1_800_000_000,
      exp: 1_800_000_600,
    })
    expect(verifyApproval(other, requestHash(request))).toMatchObject({
      ok: false,
      code: 'APPROVAL_OTHER_REQUEST',
    })
    const r = await verifyRequest(
      { request, approvals: [good, other, 'junk'], credentials: ['junk'] },
      { nowMs: 1_800_000_000_000, audience: 'investor-key-1', replay: new MemoryReplayStore() },
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.request.approvals.map((a) => a.approver)).toEqual([officers[0].did])
    expect(r.request.rejected).toEqual([
      { kind: 'approval', index: 1, code: 'APPROVAL_OTHER_REQUEST' },
      { kind: 'approval', index: 2, code: 'JWS_MALFORMED' },
      { kind: 'credential', index: 0, code: 'JWS_MALFORMED' },
    ])
  })

  it('refuses attachments that are not lists', async () => {
    const base = { nowMs: 1_800_000_000_000, audience: 'investor-key-1', replay: new MemoryReplayStore() }
    const env = { request: txRequest({ iat: 1_800_000_000 }), approvals: 'x' } as unknown as {
      request: string
    }
    const r = await verifyRequest(env, base)
    expect(!r.ok && r.code).toBe('REQUEST_MALFORMED')
  })

  it('refuses message requests that describe a call, and transactions with both contents', async () => {
    const base = { nowMs: 1_800_000_000_000, audience: 'investor-key-1', replay: new MemoryReplayStore() }
    const both = txRequest({ iat: 1_800_000_000, extra: { message: { encoding: 'utf8', value: 'hi' } } })
    const r = await verifyRequest({ request: both }, base)
    expect(!r.ok && r.code).toBe('REQUEST_MALFORMED')
    const noData = txRequest({
      iat: 1_800_000_000,
      extra: { call: { contract: TOKEN, functionName: 'pauseToken', args: {} } },
    })
    const r2 = await verifyRequest({ request: noData }, base)
    expect(!r2.ok && r2.code).toBe('REQUEST_CALL_MISMATCH')
  })
})

describe('hostile envelopes', () => {
  it('never throw, whatever the claims inside a validly signed token', async () => {
    const fc = (await import('fast-check')).default
    const signer = secp256k1DidSigner(k1Secret)
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()), async (payload) => {
        const token = signJwt(payload as never, signer)
        const r = await verifyRequest(
          { request: token, approvals: [token], credentials: [token] },
          {
            nowMs: 1_800_000_000_000,
            audience: 'investor-key-1',
            replay: new MemoryReplayStore(),
          },
        )
        expect(r.ok).toBe(false)
      }),
      { numRuns: 200 },
    )
  })
})
