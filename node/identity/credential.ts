// KYC / accreditation credentials as VC-JWT (W3C VC Data Model 1.1 §6.3.1, JWT encoding):
// `iss` = issuer DID, `sub` = credentialSubject.id (the subject DID), `jti` = credential id,
// `nbf` = issuanceDate, `exp` = expirationDate, and the credential itself in the `vc` claim
// (`@context`, `type` including "VerifiableCredential", `credentialSubject`).
//
// `verifyCredentialJwt` checks the signature and the shape only; `judgeCredential` applies
// the node's policy (trusted issuers per credential type, validity window, revocation list).
// Claims inside credentialSubject may carry personal data: they are not returned.
import { BoundedCache } from './cache.ts'
import { isJsonObject, type JsonObject, sha256Hex } from './canonical.ts'
import { isDid } from './did-key.ts'
import { type JwsFailure, verifyCompactJws } from './jws.ts'
import { type DidSigner, signJwt } from './signer.ts'

export type VerifiedCredential = {
  /** Credential id (`jti`); the revocation list names these. */
  id: string
  issuer: string
  subject: string
  /** VC types other than "VerifiableCredential", e.g. "KycCredential". */
  types: string[]
  /** Seconds since the epoch. */
  nbf?: number
  exp?: number
}

export type CredentialFailure = JwsFailure | { ok: false; code: 'CREDENTIAL_MALFORMED'; message: string }

export type CredentialResult = { ok: true; credential: VerifiedCredential } | CredentialFailure

// A credential is presented with many requests: its (deterministic) check is memoized by token.
const verified = new BoundedCache<string, CredentialResult>(1024)

export function verifyCredentialJwt(token: unknown): CredentialResult {
  if (typeof token !== 'string') return malformed('credential is not a string')
  const key = sha256Hex(token) // bounded memory whatever the token sizes
  const hit = verified.get(key)
  if (hit !== undefined)
    return hit.ok ? { ok: true, credential: { ...hit.credential, types: [...hit.credential.types] } } : hit
  return verified.set(key, verifyUncached(token))
}

function verifyUncached(token: string): CredentialResult {
  const jws = verifyCompactJws(token)
  if (!jws.ok) return jws
  const p = jws.payload
  const vc = p.vc
  if (!isJsonObject(vc)) return malformed('vc claim is missing')
  const type = vc.type
  if (
    !Array.isArray(type) ||
    !type.every((t) => typeof t === 'string') ||
    !type.includes('VerifiableCredential')
  ) {
    return malformed('vc.type must list "VerifiableCredential"')
  }
  const cs = vc.credentialSubject
  const csId = isJsonObject(cs) ? cs.id : undefined
  const subject = p.sub ?? csId
  if (!isDid(subject)) return malformed('credential subject is not a DID')
  if (csId !== undefined && csId !== subject) return malformed('sub and credentialSubject.id differ')
  if (typeof p.jti !== 'string' || p.jti.length === 0 || p.jti.length > 256) {
    return malformed('jti (credential id) is required for revocation')
  }
  for (const claim of ['nbf', 'exp'] as const) {
    if (p[claim] !== undefined && !Number.isSafeInteger(p[claim]))
      return malformed(`${claim} is not a NumericDate`)
  }
  const credential: VerifiedCredential = {
    id: p.jti,
    issuer: jws.signer.did,
    subject,
    types: (type as string[]).filter((t) => t !== 'VerifiableCredential'),
  }
  if (typeof p.nbf === 'number') credential.nbf = p.nbf
  if (typeof p.exp === 'number') credential.exp = p.exp
  return { ok: true, credential }
}

export type TrustedIssuer = { did: string; types: readonly string[] }

export type CredentialJudgement =
  | { ok: true }
  | {
      ok: false
      code:
        | 'CREDENTIAL_UNTRUSTED_ISSUER'
        | 'CREDENTIAL_EXPIRED'
        | 'CREDENTIAL_NOT_YET_VALID'
        | 'CREDENTIAL_REVOKED'
      message: string
    }

/** Policy judgement of one verified credential for one credential type at `nowMs`. */
export function judgeCredential(
  credential: VerifiedCredential,
  type: string,
  opts: {
    nowMs: number
    trustedIssuers: readonly TrustedIssuer[]
    revoked: ReadonlySet<string>
    skewSeconds?: number
  },
): CredentialJudgement {
  const now = Math.floor(opts.nowMs / 1000)
  const skew = opts.skewSeconds ?? 60
  if (!opts.trustedIssuers.some((i) => i.did === credential.issuer && i.types.includes(type))) {
    return { ok: false, code: 'CREDENTIAL_UNTRUSTED_ISSUER', message: `issuer is not trusted for ${type}` }
  }
  if (opts.revoked.has(credential.id))
    return { ok: false, code: 'CREDENTIAL_REVOKED', message: 'credential revoked' }
  if (credential.exp !== undefined && now >= credential.exp + skew) {
    return { ok: false, code: 'CREDENTIAL_EXPIRED', message: 'credential expired' }
  }
  if (credential.nbf !== undefined && now + skew < credential.nbf) {
    return { ok: false, code: 'CREDENTIAL_NOT_YET_VALID', message: 'credential not yet valid' }
  }
  return { ok: true }
}

/** Issues a VC-JWT (tests, the demo's KYC issuer). Times are seconds since the epoch. */
export function issueCredentialJwt(
  signer: DidSigner,
  c: { id: string; subject: string; types: string[]; nbf: number; exp?: number; claims?: JsonObject },
): string {
  const payload: JsonObject = {
    sub: c.subject,
    jti: c.id,
    nbf: c.nbf,
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', ...c.types],
      credentialSubject: { id: c.subject, ...(c.claims ?? {}) },
    },
  }
  if (c.exp !== undefined) payload.exp = c.exp
  return signJwt(payload, signer)
}

function malformed(message: string): CredentialFailure {
  return { ok: false, code: 'CREDENTIAL_MALFORMED', message }
}
