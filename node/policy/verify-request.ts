// Verifies a signing request envelope `{ request: <JWS>, approvals?: [<JWS>], credentials?: [<VC-JWT>] }`
// into a `VerifiedRequest` that the pure policy evaluation judges, or refuses it with a stable code.
//
// Order of checks: token shape and signature, claims shape, audience, validity window, lifetime,
// call decoding, and only then the replay store (so refused tokens never consume their jti).
// Approvals and credentials that fail verification do not refuse the request: they are dropped
// and listed in `rejected`, and the policy denies if it needed them.

import { canonicalJson } from '../identity/canonical.ts'
import type { VerifiedCredential } from '../identity/credential.ts'
import { verifyCredentialJwt } from '../identity/credential.ts'
import { type JwsAlg, type JwsFailureCode, verifyCompactJws } from '../identity/jws.ts'
import { requestHash, type VerifiedApproval, verifyApproval } from './approval.ts'
import type { ReplayStore } from './replay.ts'
import { type DecodedCall, parseRequestClaims, type RequestClaims } from './request.ts'
import { type CallDecoder, decodeStv3Call } from './stv3-calls.ts'

export type RequestEnvelope = {
  request: string
  approvals?: readonly string[]
  credentials?: readonly string[]
}

export type RequestRefusalCode =
  | 'REQUEST_MALFORMED'
  | 'REQUEST_ALG_UNSUPPORTED'
  | 'REQUEST_ALG_KEY_MISMATCH'
  | 'REQUEST_KID_MISMATCH'
  | 'REQUEST_BAD_SIGNATURE'
  | 'DID_METHOD_UNSUPPORTED'
  | 'DID_UNRESOLVABLE'
  | 'REQUEST_WRONG_AUDIENCE'
  | 'REQUEST_EXPIRED'
  | 'REQUEST_NOT_YET_VALID'
  | 'REQUEST_LIFETIME_TOO_LONG'
  | 'REQUEST_CALL_MISMATCH'
  | 'REQUEST_REPLAYED'

export type RequestRefusal = { ok: false; code: RequestRefusalCode; message: string }

export type VerifiedRequest = {
  /** The request JWS as received. */
  token: string
  /** Hex SHA-256 of `token`: the request id used by approvals and the audit. */
  hash: string
  requester: string
  alg: JwsAlg
  claims: RequestClaims
  /** The node's own decoding of `transaction.data`; undefined for messages, plain transfers or unknown calls. */
  call?: DecodedCall
  approvals: VerifiedApproval[]
  credentials: VerifiedCredential[]
  rejected: { kind: 'approval' | 'credential'; index: number; code: string }[]
}

export type VerifyRequestOptions = {
  nowMs: number
  /** Key ids this node holds (the request's `aud` must be one of them). */
  audience: string | readonly string[]
  replay: ReplayStore
  /** Allowed clock difference, seconds (default 60). */
  skewSeconds?: number
  /** Longest allowed `exp - iat`, seconds (default 300). */
  maxLifetimeSeconds?: number
  decodeCall?: CallDecoder
}

const JWS_TO_REQUEST: Record<JwsFailureCode, RequestRefusalCode> = {
  JWS_MALFORMED: 'REQUEST_MALFORMED',
  JWS_ALG_UNSUPPORTED: 'REQUEST_ALG_UNSUPPORTED',
  JWS_ALG_KEY_MISMATCH: 'REQUEST_ALG_KEY_MISMATCH',
  JWS_KID_MISMATCH: 'REQUEST_KID_MISMATCH',
  JWS_BAD_SIGNATURE: 'REQUEST_BAD_SIGNATURE',
  DID_MALFORMED: 'REQUEST_MALFORMED',
  DID_METHOD_UNSUPPORTED: 'DID_METHOD_UNSUPPORTED',
  DID_UNRESOLVABLE: 'DID_UNRESOLVABLE',
}

const MAX_ATTACHMENTS = 16

export async function verifyRequest(
  envelope: RequestEnvelope,
  opts: VerifyRequestOptions,
): Promise<{ ok: true; request: VerifiedRequest } | RequestRefusal> {
  const refuse = (code: RequestRefusalCode, message: string): RequestRefusal => ({ ok: false, code, message })
  const jws = verifyCompactJws(envelope.request)
  if (!jws.ok) return refuse(JWS_TO_REQUEST[jws.code], jws.message)
  const parsed = parseRequestClaims(jws.payload)
  if (!parsed.ok) return refuse('REQUEST_MALFORMED', parsed.message)
  const claims = parsed.claims

  const audiences = typeof opts.audience === 'string' ? [opts.audience] : opts.audience
  if (!audiences.includes(claims.aud))
    return refuse('REQUEST_WRONG_AUDIENCE', 'aud is not a key held by this node')

  const now = Math.floor(opts.nowMs / 1000)
  const skew = opts.skewSeconds ?? 60
  if (now >= claims.exp + skew) return refuse('REQUEST_EXPIRED', 'request expired')
  if (claims.iat > now + skew || (claims.nbf !== undefined && claims.nbf > now + skew)) {
    return refuse('REQUEST_NOT_YET_VALID', 'request is issued in the future or not yet valid')
  }
  if (claims.exp < claims.iat) return refuse('REQUEST_MALFORMED', 'exp is before iat')
  if (claims.exp - claims.iat > (opts.maxLifetimeSeconds ?? 300)) {
    return refuse('REQUEST_LIFETIME_TOO_LONG', 'exp - iat exceeds the allowed request lifetime')
  }

  let call: DecodedCall | undefined
  const tx = claims.transaction
  if (tx !== undefined && tx.data !== '0x') {
    call = (opts.decodeCall ?? decodeStv3Call)(tx.to, tx.data)
    if (
      claims.call !== undefined &&
      (call === undefined || canonicalJson(call) !== canonicalJson(claims.call))
    ) {
      return refuse('REQUEST_CALL_MISMATCH', 'the described call differs from the transaction data')
    }
  } else if (claims.call !== undefined) {
    return refuse('REQUEST_CALL_MISMATCH', 'a call is described but the transaction carries no data')
  }

  const approvalTokens: unknown = envelope.approvals ?? []
  const credentialTokens: unknown = envelope.credentials ?? []
  if (!Array.isArray(approvalTokens) || !Array.isArray(credentialTokens)) {
    return refuse('REQUEST_MALFORMED', 'approvals and credentials must be lists of tokens')
  }
  if (approvalTokens.length > MAX_ATTACHMENTS || credentialTokens.length > MAX_ATTACHMENTS) {
    return refuse('REQUEST_MALFORMED', `at most ${MAX_ATTACHMENTS} approvals and credentials`)
  }

  if ((await opts.replay.has(claims.jti)) || (await opts.replay.add(claims.jti, claims.exp)) === false) {
    return refuse('REQUEST_REPLAYED', 'jti was already used')
  }

  const hash = requestHash(envelope.request)
  const request: VerifiedRequest = {
    token: envelope.request,
    hash,
    requester: jws.signer.did,
    alg: jws.alg,
    claims,
    approvals: [],
    credentials: [],
    rejected: [],
  }
  if (call !== undefined) request.call = call
  approvalTokens.forEach((t: unknown, index) => {
    const r = verifyApproval(t, hash)
    if (r.ok) request.approvals.push(r.approval)
    else request.rejected.push({ kind: 'approval', index, code: r.code })
  })
  credentialTokens.forEach((t: unknown, index) => {
    const r = verifyCredentialJwt(t)
    if (r.ok) request.credentials.push(r.credential)
    else request.rejected.push({ kind: 'credential', index, code: r.code })
  })
  return { ok: true, request }
}
