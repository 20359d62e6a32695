// Signing helpers for requesters, operators and credential issuers (tests, the demo, CLI clients).
// The node itself never signs JWS with these: its signatures come from the threshold ceremony.
import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'
import type { JsonObject } from './canonical.ts'
import { didKeyFromPublicKey } from './did-key.ts'

export type DidSigner = {
  did: string
  /** DID URL of the verification method, used as the JWS `kid`. */
  kid: string
  alg: 'ES256K' | 'EdDSA'
  sign(data: Uint8Array): Uint8Array
}

/** ES256K signer: low-s compact r||s over SHA-256(data). */
export function secp256k1DidSigner(secretKey: Uint8Array): DidSigner {
  const { did, kid } = didKeyFromPublicKey('secp256k1', secp256k1.getPublicKey(secretKey, true))
  return {
    did,
    kid,
    alg: 'ES256K',
    sign: (data) => secp256k1.sign(sha256(data), secretKey, { prehash: false, lowS: true }),
  }
}

/** EdDSA signer over Ed25519 (RFC 8037). */
export function ed25519DidSigner(secretKey: Uint8Array): DidSigner {
  const { did, kid } = didKeyFromPublicKey('ed25519', ed25519.getPublicKey(secretKey))
  return { did, kid, alg: 'EdDSA', sign: (data) => ed25519.sign(data, secretKey) }
}

/** A fresh random signer, for tests and the demo. */
export function randomDidSigner(keyType: 'secp256k1' | 'ed25519'): DidSigner {
  return keyType === 'secp256k1'
    ? secp256k1DidSigner(secp256k1.utils.randomSecretKey())
    : ed25519DidSigner(ed25519.utils.randomSecretKey())
}

/**
 * Signs `payload` as a compact JWS with header `{ alg, typ: 'JWT', kid }`. Sets `iss` to the
 * signer's DID unless the payload already names it (a mismatching `iss` fails verification).
 */
export function signJwt(payload: JsonObject, signer: DidSigner, header: JsonObject = {}): string {
  const fullHeader: JsonObject = { alg: signer.alg, typ: 'JWT', kid: signer.kid, ...header }
  const fullPayload: JsonObject = { iss: signer.did, ...payload }
  const encode = (v: JsonObject) => base64urlnopad.encode(utf8ToBytes(JSON.stringify(v)))
  const signingInput = `${encode(fullHeader)}.${encode(fullPayload)}`
  return `${signingInput}.${base64urlnopad.encode(signer.sign(utf8ToBytes(signingInput)))}`
}
