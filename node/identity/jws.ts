// Compact JWS (RFC 7515 §7.1) verification against did:key signers.
//
// Algorithms (RFC 8812 §3.2 for ES256K, RFC 8037 for EdDSA):
// - `ES256K`: 64-byte r||s over SHA-256 of the signing input. Only low-s signatures are accepted:
//   the high-s twin of a valid signature is refused, so a token has exactly one valid encoding
//   (its hash identifies the request for approvals and the audit). did-jwt and noble sign low-s.
// - `ES256K-R`: did-jwt's recoverable form, r||s||v (65 bytes); r||s is checked as for ES256K.
// - `EdDSA` (and did-jwt's legacy `Ed25519` name): Ed25519 per RFC 8032 (OpenSSL via node:crypto;
//   keys are validated as curve points by noble when the did:key is resolved).
//
// The signer is the `kid` header when present (a DID URL), otherwise the `iss` claim (did-jwt
// omits `kid`). When both are present the DID of `kid` must equal `iss`.
import { createPublicKey, verify as cryptoVerify } from 'node:crypto'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'
import * as secp from 'tiny-secp256k1'
import { isNodeError } from '../errors.ts'
import { isJsonObject, type JsonObject } from './canonical.ts'
import { type DidKeyType, parseDidUrl, type ResolvedDidKey, resolveDidKey } from './did-key.ts'

export type JwsAlg = 'ES256K' | 'ES256K-R' | 'EdDSA' | 'Ed25519'

export type JwsFailureCode =
  | 'JWS_MALFORMED'
  | 'JWS_ALG_UNSUPPORTED'
  | 'JWS_ALG_KEY_MISMATCH'
  | 'JWS_KID_MISMATCH'
  | 'JWS_BAD_SIGNATURE'
  | 'DID_MALFORMED'
  | 'DID_METHOD_UNSUPPORTED'
  | 'DID_UNRESOLVABLE'

export type JwsFailure = { ok: false; code: JwsFailureCode; message: string }

export type DecodedJws = {
  header: JsonObject & { alg: string; kid?: string }
  payload: JsonObject
  /** `base64url(header) "." base64url(payload)`: the bytes that were signed. */
  signingInput: string
  signature: Uint8Array
}

export type VerifiedJws = DecodedJws & { ok: true; alg: JwsAlg; signer: ResolvedDidKey }

const ALG_KEY: Record<JwsAlg, DidKeyType> = {
  ES256K: 'secp256k1',
  'ES256K-R': 'secp256k1',
  EdDSA: 'ed25519',
  Ed25519: 'ed25519',
}

/** Largest token accepted (requests, approvals and credentials are all small). */
export const MAX_JWS_LENGTH = 32 * 1024

const SEGMENT = /^[A-Za-z0-9_-]+$/
// SubjectPublicKeyInfo DER header for an Ed25519 key (RFC 8410 §4), followed by the 32 key bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

export function decodeCompactJws(token: unknown): DecodedJws | JwsFailure {
  if (typeof token !== 'string') return fail('JWS_MALFORMED', 'token is not a string')
  if (token.length > MAX_JWS_LENGTH) return fail('JWS_MALFORMED', 'token is too long')
  const parts = token.split('.')
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) {
    return fail('JWS_MALFORMED', 'not a compact JWS (three base64url segments)')
  }
  let header: unknown
  let payload: unknown
  let signature: Uint8Array
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlnopad.decode(parts[0])))
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlnopad.decode(parts[1])))
    signature = base64urlnopad.decode(parts[2])
  } catch {
    return fail('JWS_MALFORMED', 'segments are not base64url-encoded JSON')
  }
  if (!isJsonObject(header) || typeof header.alg !== 'string')
    return fail('JWS_MALFORMED', 'header has no alg')
  if (header.kid !== undefined && typeof header.kid !== 'string')
    return fail('JWS_MALFORMED', 'kid is not a string')
  if (header.crit !== undefined || header.b64 !== undefined) {
    return fail('JWS_MALFORMED', 'critical header parameters are not supported')
  }
  if (!isJsonObject(payload)) return fail('JWS_MALFORMED', 'payload is not a JSON object')
  return {
    header: header as DecodedJws['header'],
    payload,
    signingInput: `${parts[0]}.${parts[1]}`,
    signature,
  }
}

/** Decodes and verifies a compact JWS whose signer is a did:key. Never throws. */
export function verifyCompactJws(token: unknown): VerifiedJws | JwsFailure {
  const decoded = decodeCompactJws(token)
  if ('ok' in decoded) return decoded
  const { header, payload } = decoded
  const alg = header.alg as JwsAlg
  if (!Object.hasOwn(ALG_KEY, alg)) return fail('JWS_ALG_UNSUPPORTED', `alg "${header.alg}" is not supported`)
  const iss = payload.iss
  if (typeof iss !== 'string') return fail('JWS_MALFORMED', 'iss claim is missing')

  let signer: ResolvedDidKey
  try {
    if (header.kid !== undefined && parseDidUrl(header.kid).did !== iss) {
      return fail('JWS_KID_MISMATCH', 'kid does not belong to the iss DID')
    }
    signer = resolveDidKey(header.kid ?? iss)
  } catch (e) {
    if (isNodeError(e) && (e.code === 'DID_METHOD_UNSUPPORTED' || e.code === 'DID_UNRESOLVABLE')) {
      return fail(e.code, e.message)
    }
    if (isNodeError(e, 'DID_MALFORMED')) return fail('DID_MALFORMED', 'iss or kid is not a DID')
    throw e
  }
  if (signer.keyType !== ALG_KEY[alg]) {
    return fail('JWS_ALG_KEY_MISMATCH', `alg ${alg} cannot be used with a ${signer.keyType} key`)
  }
  if (!verifySignature(alg, decoded.signingInput, decoded.signature, signer.publicKey)) {
    return fail('JWS_BAD_SIGNATURE', 'signature does not verify against the signer DID')
  }
  return { ...decoded, ok: true, alg, signer }
}

function verifySignature(alg: JwsAlg, signingInput: string, sig: Uint8Array, publicKey: Uint8Array): boolean {
  const data = utf8ToBytes(signingInput)
  try {
    if (alg === 'ES256K' || alg === 'ES256K-R') {
      if (sig.length !== (alg === 'ES256K' ? 64 : 65)) return false
      if (alg === 'ES256K-R' && sig[64] > 3) return false
      // libsecp256k1 (tiny-secp256k1) with strict=true: rejects high-s. ~0.3 ms versus noble's ~1.5 ms.
      return secp.verify(sha256(data), publicKey, sig.subarray(0, 64), true)
    }
    if (sig.length !== 64) return false
    // OpenSSL's Ed25519 (RFC 8032 §5.1.7: s < L, R compared by encoding): ~0.2 ms versus noble's ~1.3 ms.
    const key = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    })
    return cryptoVerify(null, data, key, sig)
  } catch {
    return false
  }
}

function fail(code: JwsFailureCode, message: string): JwsFailure {
  return { ok: false, code, message }
}
