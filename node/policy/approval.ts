// Approvals: an operator's signed consent to one specific request.
// An approval is a compact JWS by the operator's did:key with claims
//   { iss: <operator DID>, approves: <requestHash>, iat, exp }
// where requestHash = hex SHA-256 of the request's compact JWS, exactly as received. Since
// ES256K signatures are accepted in low-s form only and Ed25519 strictly, a request has a single
// valid encoding, so its hash names it. The policy counts distinct approver DIDs holding a role.
import { sha256Hex } from '../identity/canonical.ts'
import { isDid } from '../identity/did-key.ts'
import { type JwsFailureCode, verifyCompactJws } from '../identity/jws.ts'
import { type DidSigner, signJwt } from '../identity/signer.ts'

export type VerifiedApproval = { approver: string; approves: string; iat: number; exp: number }

export type ApprovalFailureCode = JwsFailureCode | 'APPROVAL_MALFORMED' | 'APPROVAL_OTHER_REQUEST'

export type ApprovalResult =
  | { ok: true; approval: VerifiedApproval }
  | { ok: false; code: ApprovalFailureCode; message: string }

/** The id of a request: hex SHA-256 of its compact JWS. */
export function requestHash(requestToken: string): string {
  return sha256Hex(requestToken)
}

/** Verifies an approval's signature and that it names `expectedHash`; time is judged by the policy. */
export function verifyApproval(token: unknown, expectedHash: string): ApprovalResult {
  const jws = verifyCompactJws(token)
  if (!jws.ok) return jws
  const { approves, iat, exp } = jws.payload
  if (typeof approves !== 'string' || !/^[0-9a-f]{64}$/.test(approves)) {
    return { ok: false, code: 'APPROVAL_MALFORMED', message: 'approves must be a hex SHA-256' }
  }
  if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp) || !isDid(jws.payload.iss)) {
    return { ok: false, code: 'APPROVAL_MALFORMED', message: 'approval needs iss, iat and exp' }
  }
  if (approves !== expectedHash) {
    return { ok: false, code: 'APPROVAL_OTHER_REQUEST', message: 'approval is for another request' }
  }
  return {
    ok: true,
    approval: { approver: jws.signer.did, approves, iat: iat as number, exp: exp as number },
  }
}

/** Signs an approval of `requestToken` (operators' CLI, tests). Times in seconds. */
export function signApproval(
  signer: DidSigner,
  requestToken: string,
  t: { iat: number; exp: number },
): string {
  return signJwt({ approves: requestHash(requestToken), iat: t.iat, exp: t.exp }, signer)
}
