// Refresh and resharing keep the public key, change every share, and leave old shares useless.

import { describe, expect, it } from 'vitest'
import { useFastCurve } from '../../node/crypto/fast-curve.ts'
import { bytesToBig, G } from '../../protocol/math/curve.ts'
import { SignParty } from '../../protocol/sign/party.ts'
import { runDkg, runSign } from '../../simulations/inprocess/ceremony.ts'
import { runParties } from '../../simulations/inprocess/driver.ts'
import { runReshare } from '../../simulations/inprocess/reshare.ts'
import { expectPartyAbort, expectValidSignature, subsets, withSeed } from './helpers.ts'

useFastCurve()

describe('refresh (same committee)', () => {
  it('keeps the key, changes every share byte, and old and new shares cannot be mixed', () => {
    withSeed('refresh', (rng) => {
      const { shares } = runDkg(rng, 3, 2)
      const { shares: fresh } = runReshare(
        rng,
        shares,
        [1, 2, 3],
        3,
        2,
        new Map([
          [1, 1],
          [2, 2],
          [3, 3],
        ]),
      )
      expect(fresh.size).toBe(3)
      for (const [i, s] of fresh) {
        const old = shares.get(i)!
        expect(s.publicKey).toEqual(old.publicKey)
        expect(s.keyId).toEqual(old.keyId)
        expect(s.chainCode).toEqual(old.chainCode)
        expect(s.epoch).toBe(old.epoch + 1)
        expect(s.secretShare).not.toEqual(old.secretShare)
        expect(s.dkgSid).not.toEqual(old.dkgSid)
        expect(s.peers.get(i === 1 ? 2 : 1)!.bobLeaves).not.toEqual(old.peers.get(i === 1 ? 2 : 1)!.bobLeaves)
        expect(G.multiply(bytesToBig(s.secretShare)).toBytes(true)).toEqual(s.publicShares[i - 1])
      }
      const digest = rng.fill(new Uint8Array(32))
      expectValidSignature(
        runSign(rng, fresh, [1, 3], digest).signatures.get(1)!,
        digest,
        fresh.get(1)!.publicKey,
      )
      // An old share with a new one: the session ids differ (epoch, dkg sid), so they never agree.
      const mixed = new Map([
        [1, shares.get(1)!],
        [3, fresh.get(3)!],
      ])
      const ctx = rng.fill(new Uint8Array(32))
      const parties = [1, 3].map(
        (i) =>
          new SignParty({
            share: mixed.get(i)!,
            signers: [1, 3],
            digest,
            context: ctx,
            rng: rng.fork(`m${i}`),
          }),
      )
      expect(() => runParties(parties)).toThrow()
    })
  })
})

describe('resharing to a new committee and threshold', () => {
  it('2-of-3 → 3-of-5: same public key; every 3-subset signs; no 2-subset can', () => {
    withSeed('reshare-2-3-to-3-5', (rng) => {
      const { shares } = runDkg(rng, 3, 2)
      // Dealers 1 and 3 (any t of the old committee); old 1 → new 1, old 3 → new 2; new 3..5 join.
      const { shares: next } = runReshare(
        rng,
        shares,
        [1, 3],
        5,
        3,
        new Map([
          [1, 1],
          [3, 2],
        ]),
      )
      expect(next.size).toBe(5)
      const pk = shares.get(1)!.publicKey
      for (const s of next.values()) {
        expect(s.publicKey).toEqual(pk)
        expect(s.t).toBe(3)
        expect(s.n).toBe(5)
      }
      for (const set of subsets(5, 3)) {
        const digest = rng.fill(new Uint8Array(32))
        expectValidSignature(runSign(rng, next, set, digest).signatures.get(set[0]!)!, digest, pk)
      }
      for (const set of subsets(5, 2)) {
        expect(
          () =>
            new SignParty({
              share: next.get(set[0]!)!,
              signers: set,
              digest: new Uint8Array(32),
              context: new Uint8Array(32),
              rng,
            }),
        ).toThrow(/threshold is 3/)
      }
    })
  })

  it('device replacement: provider and recovery move the key to a new device; same address', () => {
    withSeed('replace-device', (rng) => {
      // 1 = provider, 2 = device A (lost), 3 = recovery. New committee: 1 = provider, 2 = device B, 3 = recovery.
      const { shares } = runDkg(rng, 3, 2)
      const { shares: next } = runReshare(
        rng,
        shares,
        [1, 3],
        3,
        2,
        new Map([
          [1, 1],
          [3, 3],
        ]),
      )
      expect(next.get(2)!.publicKey).toEqual(shares.get(2)!.publicKey)
      const digest = rng.fill(new Uint8Array(32))
      expectValidSignature(
        runSign(rng, next, [1, 2], digest).signatures.get(2)!,
        digest,
        next.get(2)!.publicKey,
      )
      // Device A's old share cannot sign with the new committee.
      const ctx = rng.fill(new Uint8Array(32))
      const parties = [
        new SignParty({ share: shares.get(2)!, signers: [1, 2], digest, context: ctx, rng: rng.fork('a') }),
        new SignParty({ share: next.get(1)!, signers: [1, 2], digest, context: ctx, rng: rng.fork('p') }),
      ]
      expect(() => runParties(parties)).toThrow()
    })
  })

  it('names a dealer that deals something other than its share', () => {
    withSeed('reshare-cheat', (rng) => {
      const { shares } = runDkg(rng, 3, 2)
      const liar = { ...shares.get(1)!, secretShare: shares.get(2)!.secretShare, index: 1 }
      // The lying dealer's constant is not λ_1·S_1: old members name it.
      const cheat = new Map(shares)
      cheat.set(1, liar)
      expectPartyAbort(
        () =>
          runReshare(
            rng,
            cheat,
            [1, 3],
            3,
            2,
            new Map([
              [1, 1],
              [3, 3],
            ]),
          ),
        3,
        'PUBLIC_SHARE_MISMATCH',
        [1],
      )
    })
  })
})
