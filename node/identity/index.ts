// Public API of node/identity: did:key, compact JWS, VC-JWT credentials, signing helpers.
export { BoundedCache } from './cache.ts'
export { canonicalHash, canonicalJson, type JsonObject, type JsonValue, sha256Hex } from './canonical.ts'
export {
  type CredentialJudgement,
  type CredentialResult,
  issueCredentialJwt,
  judgeCredential,
  type TrustedIssuer,
  type VerifiedCredential,
  verifyCredentialJwt,
} from './credential.ts'
export {
  type DidKeyType,
  type DidUrl,
  didKeyFromPublicKey,
  isDid,
  parseDidUrl,
  type ResolvedDidKey,
  resolveDidKey,
} from './did-key.ts'
export {
  type DecodedJws,
  decodeCompactJws,
  type JwsAlg,
  type JwsFailure,
  type JwsFailureCode,
  type VerifiedJws,
  verifyCompactJws,
} from './jws.ts'
export { type DidSigner, ed25519DidSigner, randomDidSigner, secp256k1DidSigner, signJwt } from './signer.ts'
