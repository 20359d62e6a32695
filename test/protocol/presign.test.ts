// Presignatures: the message-independent rounds ahead of time, one round to finish, single use.

import { describe, expect, it } from 'vitest'
import { useFastCurve } from '../../node/crypto/fast-curve.ts'
import {
  FinishParty,
  PresignParty,
  parsePresignature,
  serializePresignature,
} from '../../protocol/sign/presign.ts'
import { runDkg } from '../../simulations/inprocess/ceremony.ts'
import { runParties } from '../../simulations/inprocess/driver.ts'
import { expectAbort, expectValidSignature, withSeed } from './helpers.ts'

useFastCurve()

describe('presignatures', () => {
  it('finish in one round, verify, survive serialization, and cannot be used twice', () => {
    withSeed('presign', (rng) => {
      const { shares } = runDkg(rng, 3, 2)
      const signers = [1, 3]
      const ctx = rng.fill(new Uint8Array(32))
      const { outputs: pres } = runParties(
        signers.map(
          (i) =>
            new PresignParty({
              share: shares.get(i)!,
              signers,
              path: [0, 5],
              context: ctx,
              rng: rng.fork(`p${i}`),
            }),
        ),
      )
      expect(pres.get(1)!.R).toEqual(pres.get(3)!.R)
      // Stored and reloaded (the node persists presignatures encrypted).
      const stored = new Map([...pres].map(([i, p]) => [i, parsePresignature(serializePresignature(p))]))
      const digest = rng.fill(new Uint8Array(32))
      const { outputs: sigs, stats } = runParties(
        signers.map((i) => new FinishParty({ presignature: stored.get(i)!, digest })),
      )
      expect(stats.rounds).toBe(1)
      const sig = sigs.get(1)!
      expectValidSignature(sig, digest, pres.get(1)!.publicKey)
      expect(sig.publicKey).not.toEqual(shares.get(1)!.publicKey) // derived key m/0/5
      // Second use of the same presignature, even for the same digest, is refused before any message.
      expectAbort(
        () => new FinishParty({ presignature: stored.get(1)!, digest }).start(),
        'PRESIGNATURE_CONSUMED',
        [],
      )
      const reloaded = parsePresignature(serializePresignature(stored.get(1)!))
      expect(reloaded.consumed).toBe(true)
      expectAbort(
        () => new FinishParty({ presignature: reloaded, digest: rng.fill(new Uint8Array(32)) }).start(),
        'PRESIGNATURE_CONSUMED',
        [],
      )
    })
  })
})
