import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { base64urlnopad } from '@scure/base'
import { createJWT, EdDSASigner, ES256KSigner, verifyJWS } from 'did-jwt'
import { describe, expect, it } from 'vitest'
import { didKeyFromPublicKey } from './did-key.ts'
import { verifyCompactJws } from './jws.ts'
import { ed25519DidSigner, randomDidSigner, secp256k1DidSigner, signJwt } from './signer.ts'

const k1Secret = secp256k1.utils.randomSecretKey()
const edSecret = ed25519.utils.randomSecretKey()
const k1 = secp256k1DidSigner(k1Secret)
const ed = ed25519DidSigner(edSecret)

function codeOf(token: string): string {
  const r = verifyCompactJws(token)
  return r.ok ? 'ok' : r.code
}

function reSign(token: string, mutate: (sig: Uint8Array) => Uint8Array): string {
  const [h, p, s] = token.split('.')
  return `${h}.${p}.${base64urlnopad.encode(mutate(base64urlnopad.decode(s)))}`
}

describe('compact JWS verification', () => {
  it('accepts did-jwt ES256K tokens (no kid header) and names the signer', async () => {
    const token = await createJWT(
      { hello: 'world' },
      { issuer: k1.did, signer: ES256KSigner(k1Secret) },
      { alg: 'ES256K' },
    )
    const r = verifyCompactJws(token)
    expect(r.ok && r.signer.did).toBe(k1.did)
    expect(r.ok && r.payload.hello).toBe('world')
  })

  it('accepts did-jwt EdDSA tokens with a kid DID URL', async () => {
    const token = await createJWT(
      { n: 1 },
      { issuer: ed.did, signer: EdDSASigner(edSecret) },
      { alg: 'EdDSA', kid: ed.kid },
    )
    const r = verifyCompactJws(token)
    expect(r.ok && r.alg).toBe('EdDSA')
    expect(r.ok && r.signer.keyType).toBe('ed25519')
  })

  it("accepts did-jwt's recoverable ES256K-R form", async () => {
    const token = await createJWT(
      { n: 2 },
      { issuer: k1.did, signer: ES256KSigner(k1Secret, true) },
      { alg: 'ES256K-R' },
    )
    expect(codeOf(token)).toBe('ok')
  })

  it('produces tokens that did-jwt verifies against the resolved key', () => {
    for (const signer of [k1, ed]) {
      const token = signJwt({ x: 1 }, signer)
      const key = didKeyFromPublicKey(
        signer.alg === 'ES256K' ? 'secp256k1' : 'ed25519',
        signer.alg === 'ES256K' ? secp256k1.getPublicKey(k1Secret) : ed25519.getPublicKey(edSecret),
      )
      const vm = {
        id: key.kid,
        type: signer.alg === 'ES256K' ? 'EcdsaSecp256k1VerificationKey2019' : 'Ed25519VerificationKey2018',
        controller: key.did,
        publicKeyHex: Buffer.from(key.publicKey).toString('hex'),
      }
      expect(verifyJWS(token, vm).id).toBe(key.kid)
      expect(codeOf(token)).toBe('ok')
    }
  })

  it('refuses a token whose payload was altered (bad signature)', () => {
    const token = signJwt({ amount: '1' }, k1)
    const [h, , s] = token.split('.')
    const forged = base64urlnopad.encode(
      new TextEncoder().encode(JSON.stringify({ iss: k1.did, amount: '1000' })),
    )
    expect(codeOf(`${h}.${forged}.${s}`)).toBe('JWS_BAD_SIGNATURE')
  })

  it('refuses the high-s twin of a valid ES256K signature', () => {
    const token = signJwt({ a: 1 }, k1)
    const twin = reSign(token, (sig) => {
      const s = secp256k1.Signature.fromBytes(sig, 'compact')
      return new secp256k1.Signature(s.r, secp256k1.Point.CURVE().n - s.s).toBytes('compact')
    })
    expect(codeOf(token)).toBe('ok')
    expect(codeOf(twin)).toBe('JWS_BAD_SIGNATURE')
  })

  it('refuses the non-canonical twin of an Ed25519 signature (s + L)', () => {
    const token = signJwt({ a: 1 }, ed)
    const L = 2n ** 252n + 27742317777372353535851937790883648493n
    const twin = reSign(token, (sig) => {
      let sv = 0n
      for (let i = 63; i >= 32; i--) sv = (sv << 8n) | BigInt(sig[i])
      sv += L
      const out = sig.slice()
      for (let i = 32; i < 64; i++) {
        out[i] = Number(sv & 0xffn)
        sv >>= 8n
      }
      return out
    })
    expect(codeOf(token)).toBe('ok')
    expect(codeOf(twin)).toBe('JWS_BAD_SIGNATURE')
  })

  it('refuses a signature by another key for the claimed iss', () => {
    const other = randomDidSigner('secp256k1')
    const token = signJwt({ iss: k1.did }, { ...other, kid: k1.kid })
    expect(codeOf(token)).toBe('JWS_BAD_SIGNATURE')
  })

  it('refuses a kid that belongs to another DID than iss', () => {
    expect(codeOf(signJwt({ iss: k1.did }, k1, { kid: ed.kid }))).toBe('JWS_KID_MISMATCH')
  })

  it('refuses unsupported algorithms, alg/key mismatches, foreign DID methods and junk', async () => {
    expect(codeOf(signJwt({}, k1, { alg: 'HS256' }))).toBe('JWS_ALG_UNSUPPORTED')
    expect(codeOf(signJwt({}, k1, { alg: 'none' }))).toBe('JWS_ALG_UNSUPPORTED')
    expect(codeOf(signJwt({}, k1, { alg: 'EdDSA' }))).toBe('JWS_ALG_KEY_MISMATCH')
    expect(codeOf(signJwt({ iss: 'did:ethr:0x1234' }, k1, { kid: 'did:ethr:0x1234#controller' }))).toBe(
      'DID_METHOD_UNSUPPORTED',
    )
    expect(codeOf(signJwt({ iss: 'did:key:z6MkNotAKey' }, ed, { kid: 'did:key:z6MkNotAKey' }))).toBe(
      'DID_UNRESOLVABLE',
    )
    expect(codeOf('not.a.jws!')).toBe('JWS_MALFORMED')
    expect(codeOf('a.b')).toBe('JWS_MALFORMED')
    expect(codeOf(signJwt({}, k1, { crit: ['exp'] }))).toBe('JWS_MALFORMED')
    expect(codeOf(signJwt({ iss: 'x' }, k1))).toBe('JWS_KID_MISMATCH')
    const notDid = await createJWT({}, { issuer: 'x', signer: ES256KSigner(k1Secret) }, { alg: 'ES256K' })
    expect(codeOf(notDid)).toBe('DID_MALFORMED')
  })
})

describe('hostile input', () => {
  it('never throws on arbitrary strings or mangled tokens', async () => {
    const fc = (await import('fast-check')).default
    const valid = signJwt({ a: 1 }, k1)
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), fc.nat(valid.length), (junk, cut) => {
        for (const t of [junk, valid.slice(0, cut) + junk + valid.slice(cut), `${junk}.${junk}.${junk}`]) {
          const r = verifyCompactJws(t)
          expect(r.ok === false || t === valid).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})
