import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bytesToMultibase, multibaseToBytes } from 'did-jwt'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isNodeError } from '../errors.ts'
import { didKeyFromPublicKey, parseDidUrl, resolveDidKey } from './did-key.ts'

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
    return undefined
  } catch (e) {
    return isNodeError(e) ? e.code : 'not-a-node-error'
  }
}

describe('did:key', () => {
  it('encodes secp256k1 keys with the 0xe7 multicodec (zQ3s…) as did-jwt does', () => {
    const pub = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true)
    const { did, kid } = didKeyFromPublicKey('secp256k1', pub)
    expect(did.startsWith('did:key:zQ3s')).toBe(true)
    expect(did).toBe(`did:key:${bytesToMultibase(pub, 'base58btc', 'secp256k1-pub')}`)
    expect(kid).toBe(`${did}#${did.slice('did:key:'.length)}`)
  })

  it('encodes Ed25519 keys with the 0xed multicodec (z6Mk…) as did-jwt does', () => {
    const pub = ed25519.getPublicKey(ed25519.utils.randomSecretKey())
    const { did } = didKeyFromPublicKey('ed25519', pub)
    expect(did.startsWith('did:key:z6Mk')).toBe(true)
    const decoded = multibaseToBytes(did.slice('did:key:'.length))
    expect(decoded.keyType).toBe('Ed25519')
    expect(Buffer.from(decoded.keyBytes).equals(Buffer.from(pub))).toBe(true)
  })

  it('compresses an uncompressed secp256k1 key to the same DID', () => {
    const sk = secp256k1.utils.randomSecretKey()
    const a = didKeyFromPublicKey('secp256k1', secp256k1.getPublicKey(sk, false))
    const b = didKeyFromPublicKey('secp256k1', secp256k1.getPublicKey(sk, true))
    expect(a.did).toBe(b.did)
    expect(a.publicKey.length).toBe(33)
  })

  it('resolves DIDs and DID URLs back to the public key (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 48, maxLength: 48 }), fc.boolean(), (seed, k1) => {
        const pub = k1
          ? secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(seed), true)
          : ed25519.getPublicKey(seed.subarray(0, 32))
        const made = didKeyFromPublicKey(k1 ? 'secp256k1' : 'ed25519', pub)
        for (const ref of [made.did, made.kid]) {
          const r = resolveDidKey(ref)
          expect(r.did).toBe(made.did)
          expect(Buffer.from(r.publicKey).equals(Buffer.from(pub))).toBe(true)
        }
      }),
      { numRuns: 25 },
    )
  })

  it('parses DID URLs with fragments', () => {
    expect(parseDidUrl('did:key:zabc#zabc')).toEqual({
      did: 'did:key:zabc',
      method: 'key',
      id: 'zabc',
      fragment: 'zabc',
    })
    expect(codeOf(() => parseDidUrl('did:key:'))).toBe('DID_MALFORMED')
    expect(codeOf(() => parseDidUrl('https://example.com'))).toBe('DID_MALFORMED')
  })

  it('refuses other methods, foreign fragments, unknown codecs and off-curve points with distinct codes', () => {
    const { did } = didKeyFromPublicKey('ed25519', ed25519.getPublicKey(ed25519.utils.randomSecretKey()))
    expect(codeOf(() => resolveDidKey('did:web:example.com'))).toBe('DID_METHOD_UNSUPPORTED')
    expect(codeOf(() => resolveDidKey(`${did}#other`))).toBe('DID_UNRESOLVABLE')
    // x25519-pub (0xec) is a valid multicodec but not a signing key.
    const x = bytesToMultibase(new Uint8Array(32).fill(9), 'base58btc', 'x25519-pub')
    expect(codeOf(() => resolveDidKey(`did:key:${x}`))).toBe('DID_UNRESOLVABLE')
    // 0x02 || 32 bytes of 0xff is not an x-coordinate on secp256k1 (x >= p).
    const bad = bytesToMultibase(
      new Uint8Array([2, ...new Uint8Array(32).fill(0xff)]),
      'base58btc',
      'secp256k1-pub',
    )
    expect(codeOf(() => resolveDidKey(`did:key:${bad}`))).toBe('DID_UNRESOLVABLE')
    expect(codeOf(() => resolveDidKey('did:key:m0000'))).toBe('DID_UNRESOLVABLE')
  })
})
