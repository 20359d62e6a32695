import { secp256k1 } from '@noble/curves/secp256k1.js'
import { describe, expect, it } from 'vitest'
import { useFastCurve } from '../../node/crypto/fast-curve.ts'
import { runParties } from '../../simulations/inprocess/driver.ts'
import { seededRng } from '../../simulations/seeded-rng.ts'
import { DkgParty } from '../dkg/party.ts'
import { SignParty } from './party.ts'

useFastCurve()

describe('sign', () => {
  it('2-of-3 signs with every pair', () => {
    const rng = seededRng('sign-2-3')
    const context = rng.fill(new Uint8Array(32))
    const t0 = performance.now()
    const { outputs } = runParties(
      [1, 2, 3].map((i) => new DkgParty({ index: i, n: 3, t: 2, context, rng: rng.fork(`p${i}`) })),
    )
    console.log('dkg ms', performance.now() - t0)
    for (const set of [
      [1, 2],
      [1, 3],
      [2, 3],
      [1, 2, 3],
    ]) {
      const digest = rng.fill(new Uint8Array(32))
      const ctx = rng.fill(new Uint8Array(32))
      const t1 = performance.now()
      const { outputs: sigs, stats } = runParties(
        set.map(
          (i) =>
            new SignParty({
              share: outputs.get(i)!,
              signers: set,
              digest,
              context: ctx,
              rng: rng.fork(`s${i}`),
            }),
        ),
      )
      console.log('sign ms', set, performance.now() - t1, 'bytes', stats.bytesSent)
      const sig = sigs.get(set[0]!)!
      const compact = new secp256k1.Signature(sig.r, sig.s)
      expect(
        secp256k1.verify(compact.toBytes('compact'), digest, outputs.get(1)!.publicKey, { prehash: false }),
      ).toBe(true)
    }
  })
})
