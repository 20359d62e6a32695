// DKG then signing for 2-of-2, 2-of-3 and 3-of-5, every signer subset of size t and a larger one.
// Every signature is checked independently (noble verify and recovery, viem address recovery);
// key material is only ever checked in the exponent.

import { keccak_256 } from '@noble/hashes/sha3.js'
import { HDKey } from '@scure/bip32'
import { recoverAddress, serializeSignature, toHex } from 'viem'
import { publicKeyToAddress } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { useFastCurve } from '../../node/crypto/fast-curve.ts'
import { derive } from '../../protocol/bip32.ts'
import { bytesToBig, G, Point } from '../../protocol/math/curve.ts'
import { interpolateInExponent } from '../../protocol/math/poly.ts'
import { runDkg, runSign } from '../../simulations/inprocess/ceremony.ts'
import { expectValidSignature, subsets, withSeed } from './helpers.ts'

useFastCurve()

const uncompressed = (pk: Uint8Array) => toHex(Point.fromBytes(pk).toBytes(false))

describe.each([
  [2, 2],
  [3, 2],
  [5, 3],
])('%i parties, threshold %i', (n, t) => {
  it('all parties agree and every signer set of size t (and a larger one) signs', async () => {
    await withSeed(`ceremony-${t}-of-${n}`, async (rng) => {
      const { shares } = runDkg(rng, n, t)
      const first = shares.get(1)!
      for (const s of shares.values()) {
        expect(s.publicKey).toEqual(first.publicKey)
        expect(s.chainCode).toEqual(first.chainCode)
        expect(s.publicShares).toEqual(first.publicShares)
        expect(s.dkgSid).toEqual(first.dkgSid)
        // The secret share matches the agreed public share (in the exponent only).
        expect(G.multiply(bytesToBig(s.secretShare)).toBytes(true)).toEqual(first.publicShares[s.index - 1])
      }
      // Any t public shares interpolate to the public key in the exponent.
      for (const set of subsets(n, t)) {
        const pts = new Map(set.map((j) => [j, Point.fromBytes(first.publicShares[j - 1]!)]))
        expect(interpolateInExponent(pts).toBytes(true)).toEqual(first.publicKey)
      }
      const address = publicKeyToAddress(uncompressed(first.publicKey))
      const sets = [...subsets(n, t), Array.from({ length: Math.min(n, t + 1) }, (_, k) => k + 1)]
      for (const signers of sets) {
        const digest = keccak_256(rng.fill(new Uint8Array(40)))
        const { signatures } = runSign(rng, shares, signers, digest)
        const sigs = [...signatures.values()]
        for (const sig of sigs) {
          expect(sig.r).toBe(sigs[0]!.r)
          expect(sig.s).toBe(sigs[0]!.s)
        }
        const sig = sigs[0]!
        expectValidSignature(sig, digest, first.publicKey)
        const hexSig = serializeSignature({
          r: toHex(sig.r, { size: 32 }),
          s: toHex(sig.s, { size: 32 }),
          yParity: sig.recovery,
        })
        expect(await recoverAddress({ hash: toHex(digest), signature: hexSig })).toBe(address)
      }
    })
  })
})

describe('BIP32 derivation on the threshold key', () => {
  it('derived keys match an independent BIP32 implementation and signatures verify under them', () => {
    withSeed('bip32', (rng) => {
      const { shares } = runDkg(rng, 3, 2)
      const s = shares.get(1)!
      const root = new HDKey({ publicKey: s.publicKey, chainCode: s.chainCode })
      for (const path of ['m/0', 'm/0/7', 'm/44/60/0/0/3', 'm/2147483647']) {
        const indices = path.split('/').slice(1).map(Number)
        const d = derive(s.publicKey, s.chainCode, indices)
        const ref = root.derive(path)
        expect(d.publicKey).toEqual(ref.publicKey)
        expect(d.chainCode).toEqual(ref.chainCode)
        const digest = rng.fill(new Uint8Array(32))
        const { signatures } = runSign(rng, shares, [2, 3], digest, { path: indices })
        expectValidSignature(signatures.get(2)!, digest, ref.publicKey!)
      }
    })
  })
})
