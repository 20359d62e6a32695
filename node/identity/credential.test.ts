import { secp256k1 } from '@noble/curves/secp256k1.js'
import { createJWT, ES256KSigner } from 'did-jwt'
import { describe, expect, it } from 'vitest'
import {
  issueCredentialJwt,
  judgeCredential,
  type VerifiedCredential,
  verifyCredentialJwt,
} from './credential.ts'
import { randomDidSigner, secp256k1DidSigner } from './signer.ts'

const issuerSecret = secp256k1.utils.randomSecretKey()
const issuer = secp256k1DidSigner(issuerSecret)
const subject = randomDidSigner('ed25519')
const NOW = 1_800_000_000_000
const nowS = NOW / 1000

function verified(token: string): VerifiedCredential {
  const r = verifyCredentialJwt(token)
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
  return r.credential
}

const trusted = [{ did: issuer.did, types: ['KycCredential'] }]

describe('VC-JWT credentials', () => {
  it('verifies a did-jwt createJWT credential with the vc claim and exposes no subject claims', async () => {
    const token = await createJWT(
      {
        sub: subject.did,
        jti: 'urn:uuid:1',
        nbf: nowS - 10,
        exp: nowS + 3600,
        vc: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: ['VerifiableCredential', 'KycCredential'],
          credentialSubject: { id: subject.did, name: 'Alice Example' },
        },
      },
      { issuer: issuer.did, signer: ES256KSigner(issuerSecret) },
      { alg: 'ES256K' },
    )
    const c = verified(token)
    expect(c).toEqual({
      id: 'urn:uuid:1',
      issuer: issuer.did,
      subject: subject.did,
      types: ['KycCredential'],
      nbf: nowS - 10,
      exp: nowS + 3600,
    })
    expect(JSON.stringify(c)).not.toContain('Alice')
    expect(
      judgeCredential(c, 'KycCredential', { nowMs: NOW, trustedIssuers: trusted, revoked: new Set() }),
    ).toEqual({ ok: true })
  })

  it('refuses untrusted issuers, issuers trusted for another type, revoked, expired and future credentials', () => {
    const base = {
      id: 'urn:uuid:2',
      subject: subject.did,
      types: ['KycCredential'],
      nbf: nowS - 10,
      exp: nowS + 100,
    }
    const judge = (c: VerifiedCredential, type = 'KycCredential', revoked = new Set<string>()) => {
      const j = judgeCredential(c, type, { nowMs: NOW, trustedIssuers: trusted, revoked })
      return j.ok ? 'ok' : j.code
    }
    const other = randomDidSigner('secp256k1')
    expect(judge(verified(issueCredentialJwt(other, base)))).toBe('CREDENTIAL_UNTRUSTED_ISSUER')
    expect(
      judge(
        verified(issueCredentialJwt(issuer, { ...base, types: ['AccreditedInvestor'] })),
        'AccreditedInvestor',
      ),
    ).toBe('CREDENTIAL_UNTRUSTED_ISSUER')
    expect(judge(verified(issueCredentialJwt(issuer, base)), 'KycCredential', new Set(['urn:uuid:2']))).toBe(
      'CREDENTIAL_REVOKED',
    )
    expect(judge(verified(issueCredentialJwt(issuer, { ...base, exp: nowS - 3600 })))).toBe(
      'CREDENTIAL_EXPIRED',
    )
    expect(judge(verified(issueCredentialJwt(issuer, { ...base, nbf: nowS + 3600 })))).toBe(
      'CREDENTIAL_NOT_YET_VALID',
    )
    expect(judge(verified(issueCredentialJwt(issuer, base)))).toBe('ok')
  })

  it('refuses malformed credentials', () => {
    const bad = (payload: Parameters<typeof issueCredentialJwt>[1]) =>
      verifyCredentialJwt(issueCredentialJwt(issuer, payload))
    const r = bad({ id: '', subject: subject.did, types: ['KycCredential'], nbf: nowS })
    expect(!r.ok && r.code).toBe('CREDENTIAL_MALFORMED')
    const r2 = bad({ id: 'x', subject: 'alice', types: ['KycCredential'], nbf: nowS })
    expect(!r2.ok && r2.code).toBe('CREDENTIAL_MALFORMED')
  })
})
