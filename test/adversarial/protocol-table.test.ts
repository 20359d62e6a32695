// The malicious-party table (dkls23.md §13 "Negative", §7.5, §10): one test per MUST check, each
// asserting the exact error code, the culprits and whether a ban follows. Each check, if removed,
// makes its test fail (the tamper would then surface as another code, or not at all).

import { beforeAll, describe, expect, it } from 'vitest'
import { useFastCurve } from '../../node/crypto/fast-curve.ts'
import { HEADER_BYTES } from '../../protocol/codec.ts'
import * as dkgMsg from '../../protocol/dkg/messages.ts'
import { DkgParty } from '../../protocol/dkg/party.ts'
import type { KeyShare } from '../../protocol/keyshare.ts'
import { parseKeyShare, serializeKeyShare } from '../../protocol/keyshare.ts'
import { G, Point, q, scalarToBytes } from '../../protocol/math/curve.ts'
import { SignParty } from '../../protocol/sign/party.ts'
import { cloneShares, runDkg, runSign } from '../../simulations/inprocess/ceremony.ts'
import { runParties } from '../../simulations/inprocess/driver.ts'
import { type SeededRng, seededRng } from '../../simulations/seeded-rng.ts'
import { expectAbort, expectPartyAbort, expectValidSignature } from '../protocol/helpers.ts'
import { bumpPoint, flip, on, SIGN } from './tamper.ts'

useFastCurve()

const sidOf = (p: Uint8Array) => p.slice(7, 39)

/** Re-encode party 1's DKG round-2 message with a change. */
function reR2(change: (m: dkgMsg.Round2) => Omit<dkgMsg.Round2, 'points'>) {
  return (p: Uint8Array, d: { from: number; to: number }) =>
    dkgMsg.encodeRound2(
      d.from,
      d.to,
      sidOf(p),
      change(dkgMsg.decodeRound2({ from: d.from, payload: p }, d.to, sidOf(p))),
    )
}

describe('DKG: a cheating dealer is caught and named', () => {
  const dkg = (seed: string, tamper: Parameters<typeof runDkg>[3] extends infer O ? O : never) => () =>
    runDkg(seededRng(seed), 3, 2, tamper)

  it('rejects a dealer who commits to too few or too many coefficients (TOB-SILA-1)', () => {
    const extra = G.multiply(5n).toBytes(true)
    expectPartyAbort(
      dkg('coef-', {
        tamper: on(
          2,
          1,
          2,
          reR2((m) => ({ ...m, coefficients: m.coefficients.slice(0, 1) })),
        ),
      }),
      2,
      'COEFFICIENT_COUNT',
      [1],
    )
    expectPartyAbort(
      dkg('coef+', {
        tamper: on(
          2,
          1,
          2,
          reR2((m) => ({ ...m, coefficients: [...m.coefficients, extra] })),
        ),
      }),
      2,
      'COEFFICIENT_COUNT',
      [1],
    )
  })

  it('rejects an empty proof list (TOB-SILA-2)', () => {
    expectPartyAbort(
      dkg('proofs', {
        tamper: on(
          2,
          1,
          2,
          reR2((m) => ({ ...m, proofs: [] })),
        ),
      }),
      2,
      'PROOF_COUNT',
      [1],
    )
  })

  it('rejects coefficients that do not open the round-1 commitment', () => {
    expectPartyAbort(
      dkg('opening', {
        tamper: on(
          2,
          1,
          3,
          reR2((m) => ({ ...m, opening: flip(m.opening, 0) })),
        ),
      }),
      3,
      'COMMITMENT_MISMATCH',
      [1],
    )
  })

  it('rejects a forged proof of knowledge of a coefficient', () => {
    const forge = reR2((m) => ({ ...m, proofs: [m.proofs[0]!, flip(m.proofs[1]!, 64)] }))
    expectPartyAbort(dkg('pok', { tamper: on(2, 1, 2, forge) }), 2, 'PROOF_INVALID', [1])
  })

  it('rejects a share that fails the Feldman check', () => {
    expectPartyAbort(
      dkg('feldman', {
        tamper: on(
          2,
          1,
          2,
          reR2((m) => ({ ...m, share: (m.share + 1n) % q })),
        ),
      }),
      2,
      'FELDMAN_CHECK',
      [1],
    )
  })

  it('rejects an identity or off-curve coefficient as malformed, blaming the sender', () => {
    const zero = new Uint8Array(33)
    expectPartyAbort(
      dkg('identity', {
        tamper: on(2, 1, 2, (p) => {
          const o = p.slice()
          o.set(zero, HEADER_BYTES + 1)
          return o
        }),
      }),
      2,
      'MALFORMED_MESSAGE',
      [1],
    )
  })

  it('rejects a tampered base-OT sender message', () => {
    const off = (m: dkgMsg.Round2) => ({ ...m, otSender: flip(m.otSender, 40) })
    expectPartyAbort(dkg('baseot', { tamper: on(2, 1, 2, reR2(off)) }), 2, 'BASE_OT_INVALID', [1])
  })

  it('rejects a tampered all-but-one OT (PPRF) message', () => {
    const off = HEADER_BYTES + 33 + 33 + 65 + 100
    expectPartyAbort(dkg('pprf', { tamper: on(4, 1, 2, (p) => flip(p, off)) }), 2, 'PPRF_CHECK', [1])
  })

  it('rejects a final proof that does not bind the chain code and share', () => {
    expectPartyAbort(
      dkg('final', { tamper: on(4, 1, 3, (p) => flip(p, HEADER_BYTES + 66 + 40)) }),
      3,
      'PROOF_INVALID',
      [1],
    )
  })

  it('rejects a different public key at the end', () => {
    expectPartyAbort(
      dkg('pk', { tamper: on(4, 1, 3, (p) => bumpPoint(p, HEADER_BYTES)) }),
      3,
      'PUBLIC_KEY_MISMATCH',
      [1],
    )
  })

  it('catches a dealer who sends different commitments to different peers (split view, echo)', () => {
    // Two instances of party 1 that share their session contribution but not their polynomial:
    // party 2 sees one, party 3 the other; each opening is consistent with what that peer saw.
    const rng = seededRng('equivocate')
    const context = rng.fill(new Uint8Array(32))
    const shared = rng.fill(new Uint8Array(32))
    const prefixed = (label: string) => {
      const inner = rng.fork(label)
      let used = false
      return {
        fill: (out: Uint8Array) => {
          if (used) return inner.fill(out)
          used = true
          out.set(shared)
          return out
        },
      }
    }
    const a = new DkgParty({ index: 1, n: 3, t: 2, context, rng: prefixed('a') })
    const b = new DkgParty({ index: 1, n: 3, t: 2, context, rng: prefixed('b') })
    const p2 = new DkgParty({ index: 2, n: 3, t: 2, context, rng: rng.fork('2') })
    const p3 = new DkgParty({ index: 3, n: 3, t: 2, context, rng: rng.fork('3') })
    let outA = a.start()
    let outB = b.start()
    let out2 = p2.start()
    let out3 = p3.start()
    const forMe = (to: number, msgs: typeof outA) =>
      msgs.filter((m) => m.to === to || m.to === 0xffff).map((m) => ({ from: m.from, payload: m.payload }))
    let caught: unknown
    for (let round = 1; round <= 3 && !caught; round++) {
      try {
        const n2 = p2.next([...forMe(2, outA), ...forMe(2, out3)]).messages
        const n3 = p3.next([...forMe(3, outB), ...forMe(3, out2)]).messages
        const nA = a.next([...forMe(1, out2), ...forMe(1, out3)]).messages
        const nB = b.next([...forMe(1, out2), ...forMe(1, out3)]).messages
        ;[outA, outB, out2, out3] = [nA, nB, n2, n3]
      } catch (e) {
        caught = e
      }
    }
    expect(caught).toMatchObject({ code: 'ECHO_MISMATCH', culprits: [], ban: false })
  })

  it('refuses invalid parameters, unknown and duplicate parties', () => {
    const ctx = new Uint8Array(32)
    const rng = seededRng('params')
    expectAbort(() => new DkgParty({ index: 1, n: 3, t: 1, context: ctx, rng }), 'INVALID_PARAMETERS', [])
    expectAbort(() => new DkgParty({ index: 1, n: 3, t: 4, context: ctx, rng }), 'INVALID_PARAMETERS', [])
    expectAbort(() => new DkgParty({ index: 0, n: 3, t: 2, context: ctx, rng }), 'UNKNOWN_PARTY', [])
    expectAbort(() => new DkgParty({ index: 4, n: 3, t: 2, context: ctx, rng }), 'UNKNOWN_PARTY', [])
    const p = new DkgParty({ index: 1, n: 3, t: 2, context: ctx, rng })
    const q2 = new DkgParty({ index: 2, n: 3, t: 2, context: ctx, rng })
    const [m2] = q2.start()
    p.start()
    expectAbort(
      () =>
        p.next([
          { from: 2, payload: m2!.payload },
          { from: 2, payload: m2!.payload },
        ]),
      'DUPLICATE_MESSAGE',
      [2],
    )
    expectAbort(
      () =>
        p.next([
          { from: 2, payload: m2!.payload },
          { from: 7, payload: m2!.payload },
        ]),
      'UNEXPECTED_MESSAGE',
      [7],
    )
  })
})

describe('signing: cheating signers are caught, named and banned where §7.5 demands', () => {
  let base: Map<number, KeyShare>
  let rng: SeededRng
  beforeAll(() => {
    rng = seededRng('sign-table')
    base = runDkg(rng, 3, 2).shares
  })
  const digest = new Uint8Array(32).fill(7)
  const sign =
    (tamper: Parameters<typeof runSign>[4], shares = cloneShares(base), signers = [1, 2]) =>
    () =>
      runSign(rng, shares, signers, digest, tamper)

  it('bans a Bob whose OT-extension rows are tampered (COTe check)', () => {
    const shares = cloneShares(base)
    expectPartyAbort(
      sign({ tamper: on(2, 1, 2, (p) => flip(p, SIGN.r2.u + 77)) }, shares),
      2,
      'COTE_CHECK',
      [1],
      true,
    )
    expect([...shares.get(2)!.banned]).toEqual([1])
  })

  it('bans a Bob whose consistency-check values x or t are tampered', () => {
    expectPartyAbort(sign({ tamper: on(2, 1, 2, (p) => flip(p, SIGN.r2.x + 3)) }), 2, 'COTE_CHECK', [1], true)
    expectPartyAbort(
      sign({ tamper: on(2, 2, 1, (p) => flip(p, SIGN.r2.t + 999)) }),
      1,
      'COTE_CHECK',
      [2],
      true,
    )
  })

  it('bans an Alice whose RVOLE correction, η or μ is tampered', () => {
    expectPartyAbort(
      sign({ tamper: on(3, 1, 2, (p) => flip(p, SIGN.r3.atilde + 31 + 96 * 100)) }),
      2,
      'RVOLE_CHECK',
      [1],
      true,
    )
    expectPartyAbort(
      sign({ tamper: on(3, 1, 2, (p) => flip(p, SIGN.r3.eta + 31)) }),
      2,
      'RVOLE_CHECK',
      [1],
      true,
    )
    expectPartyAbort(
      sign({ tamper: on(3, 2, 1, (p) => flip(p, SIGN.r3.mu + 5)) }),
      1,
      'RVOLE_CHECK',
      [2],
      true,
    )
  })

  it('bans a signer whose Γ^u or Γ^v does not match its nonce or key share', () => {
    expectPartyAbort(
      sign({ tamper: on(3, 1, 2, (p) => bumpPoint(p, SIGN.r3.gammaU)) }),
      2,
      'GAMMA_U_CHECK',
      [1],
      true,
    )
    expectPartyAbort(
      sign({ tamper: on(3, 1, 2, (p) => bumpPoint(p, SIGN.r3.gammaV)) }),
      2,
      'GAMMA_V_CHECK',
      [1],
      true,
    )
  })

  it('names a signer whose nonce does not open its commitment, without a ban', () => {
    expectPartyAbort(
      sign({ tamper: on(3, 1, 2, (p) => flip(p, SIGN.r3.salt)) }),
      2,
      'NONCE_DECOMMITMENT',
      [1],
      false,
    )
  })

  it('aborts without a ban on a session-id mismatch (TOB-SILA-8)', () => {
    const shares = cloneShares(base)
    const e = expectPartyAbort(
      sign({ tamper: on(1, 1, 2, (p) => flip(p, HEADER_BYTES)) }, shares, [1, 2, 3]),
      2,
      'SESSION_MISMATCH',
      [1],
      false,
    )
    expect(e.kind).toBe('invalid')
    for (const s of shares.values()) expect(s.banned.size).toBe(0)
  })

  it('drops a replayed message of another session', () => {
    let old: Uint8Array | undefined
    runSign(rng, cloneShares(base), [1, 2], digest, {
      tamper: (d) => {
        if (d.round === 2 && d.from === 1 && d.to === 2) old = d.payload
        return undefined
      },
    })
    expect(old).toBeDefined()
    expectPartyAbort(sign({ tamper: on(2, 1, 2, () => old!) }), 2, 'SESSION_MISMATCH', [1], false)
  })

  it('detects key shares that do not add up to the public key', () => {
    // Party 1 signs consistently with a wrong secret share: the Γ checks pass, the Σ pk check does not.
    const shares = cloneShares(base)
    const bad = shares.get(1)!
    shares.set(1, { ...bad, secretShare: scalarToBytes(5n) })
    expectPartyAbort(sign({}, shares), 2, 'PUBLIC_KEY_SUM', [])
  })

  it('never releases a signature that does not verify', () => {
    expectPartyAbort(
      sign({ tamper: on(4, 1, 2, (p) => flip(p, SIGN.r4.w + 31)) }),
      2,
      'SIGNATURE_INVALID',
      [],
    )
  })

  it('refuses signer sets smaller than t, with duplicate or unknown ids', () => {
    const s = base.get(1)!
    const opts = { share: s, digest, context: new Uint8Array(32), rng }
    expectAbort(() => new SignParty({ ...opts, signers: [1] }), 'SIGNER_SET_TOO_SMALL', [])
    expectAbort(() => new SignParty({ ...opts, signers: [1, 1] }), 'DUPLICATE_PARTY', [])
    expectAbort(() => new SignParty({ ...opts, signers: [1, 4] }), 'UNKNOWN_PARTY', [])
    expectAbort(() => new SignParty({ ...opts, signers: [2, 3] }), 'UNKNOWN_PARTY', [])
  })

  it('after a ban, refuses any session with the banned party before any OT message, also after a reload', () => {
    const shares = cloneShares(base)
    expectPartyAbort(
      sign({ tamper: on(2, 1, 2, (p) => flip(p, SIGN.r2.u)) }, shares),
      2,
      'COTE_CHECK',
      [1],
      true,
    )
    const reloaded = parseKeyShare(serializeKeyShare(shares.get(2)!))
    expect([...reloaded.banned]).toEqual([1])
    for (const share of [shares.get(2)!, reloaded]) {
      expectAbort(
        () => new SignParty({ share, signers: [1, 2], digest, context: new Uint8Array(32), rng }),
        'BANNED_PARTY',
        [1],
      )
    }
    // The honest pair without the banned party still signs.
    const { signatures } = runSign(
      rng,
      new Map([
        [2, reloaded],
        [3, shares.get(3)!],
      ]),
      [2, 3],
      digest,
    )
    expectValidSignature(signatures.get(2)!, digest, reloaded.publicKey)
  })

  it('ends a session after a ban-class failure (step guard)', () => {
    const shares = cloneShares(base)
    const ctx = new Uint8Array(32).fill(1)
    const parties = [1, 2].map(
      (i) =>
        new SignParty({
          share: shares.get(i)!,
          signers: [1, 2],
          digest,
          context: ctx,
          rng: rng.fork(String(i)),
        }),
    )
    expect(() => runParties(parties, { tamper: on(2, 1, 2, (p) => flip(p, SIGN.r2.u)) })).toThrow()
    expectAbort(() => parties[1]!.next([]), 'SESSION_FINISHED', [])
  })

  it('keeps a valid Γ point valid when bumped (sanity of the tamper)', () => {
    expect(Point.fromBytes(G.toBytes(true)).equals(G)).toBe(true)
  })
})
