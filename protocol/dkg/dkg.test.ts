import { describe, expect, it } from 'vitest'
import { runParties } from '../../simulations/inprocess/driver.ts'
import { seededRng } from '../../simulations/seeded-rng.ts'
import { parseKeyShare, serializeKeyShare } from '../keyshare.ts'
import { bytesToBig, G, Point } from '../math/curve.ts'
import { interpolateInExponent } from '../math/poly.ts'
import { DkgParty } from './party.ts'

describe('DKG', () => {
  it('2-of-3: parties agree and shares are consistent in the exponent', () => {
    const rng = seededRng('dkg-2-3')
    const context = rng.fill(new Uint8Array(32))
    const parties = [1, 2, 3].map(
      (i) => new DkgParty({ index: i, n: 3, t: 2, context, rng: rng.fork(`p${i}`) }),
    )
    const { outputs, stats } = runParties(parties)
    const shares = [...outputs.values()]
    const pk = Buffer.from(shares[0]!.publicKey).toString('hex')
    for (const s of shares) {
      expect(Buffer.from(s.publicKey).toString('hex')).toBe(pk)
      expect(Buffer.from(s.chainCode).toString('hex')).toBe(Buffer.from(shares[0]!.chainCode).toString('hex'))
      expect(G.multiply(bytesToBig(s.secretShare)).toBytes(true)).toEqual(s.publicShares[s.index - 1])
      const again = parseKeyShare(serializeKeyShare(s))
      expect(Buffer.from(serializeKeyShare(again)).equals(Buffer.from(serializeKeyShare(s)))).toBe(true)
    }
    const pts = new Map([1, 2].map((j) => [j, Point.fromBytes(shares[0]!.publicShares[j - 1]!)]))
    expect(interpolateInExponent(pts).toBytes(true)).toEqual(shares[0]!.publicKey)
    console.log('dkg bytes', stats.bytesSent, 'rounds', stats.rounds)
  })
})
