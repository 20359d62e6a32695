// Distributed key generation, t-of-n (dkls23.md §3.1 Recipe A, §3.3 zero-share seeds, §3.4 OT setup).
//   R1 (broadcast)  sid_i, com_i = H(context, i, sid_i, F_i, cc_i, r_i)
//   R2 (direct)     F_i with explicit count, Schnorr proofs per coefficient bound to (dkg_sid, i, k),
//                   opening r_i, chain-code contribution cc_i, Shamir share f_i(j), zero-seed
//                   contribution, base-OT sender message for the pair (Alice = j, Bob = i)
//   R3 (direct)     echo of every broadcast value seen, base-OT receiver message (Alice = i, Bob = j)
//   R4 (direct)     PK, S_i, proof of s_i bound to (dkg_sid, chain code), all-but-one OT message
// Every check blames the sender it concerns; nothing here bans (no key exists yet).

import { concatBytes, ctEqual } from '../bytes.ts'
import { BROADCAST, collect, type InMessage, type OutMessage } from '../codec.ts'
import { abortError, ErrorCodes, usageError } from '../errors.ts'
import { defineTag, hash } from '../hash.ts'
import { computeKeyId, type KeyShare } from '../keyshare.ts'
import { curve, G, mod, Point as P, type Point, randomScalar, scalarToBytes } from '../math/curve.ts'
import { evalPoly, evalPolyInExponent } from '../math/poly.ts'
import * as schnorr from '../ot/schnorr.ts'
import { type Party, StepGuard, type StepResult } from '../party.ts'
import type { Rng } from '../rng.ts'
import * as m from './messages.ts'
import { PairwiseSetup } from './pairwise.ts'

const T_SID = defineTag('dkg/sid')
const T_COM = defineTag('dkg/commitment')
const T_POK = defineTag('dkg/coefficient-pok')
const T_ECHO = defineTag('dkg/echo')
const T_CHAIN = defineTag('dkg/chain-code')
const T_FINAL = defineTag('dkg/final-pok')

export const MAX_PARTIES = 255

export type DkgOptions = {
  index: number
  n: number
  t: number
  /** 32 bytes that name this ceremony (chosen by the caller, e.g. the proposal id). */
  context: Uint8Array
  rng: Rng
}

const b1 = (n: number) => new Uint8Array([n])
const pokCtx = (dkgSid: Uint8Array, i: number, k: number) => hash(T_POK, [dkgSid, b1(i), b1(k)])

export function validateDkgParameters(n: number, t: number, index: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(t) || t < 2 || t > n || n > MAX_PARTIES)
    throw usageError(ErrorCodes.INVALID_PARAMETERS, `need 2 ≤ t ≤ n ≤ ${MAX_PARTIES}, got t=${t}, n=${n}`)
  if (!Number.isInteger(index) || index < 1 || index > n)
    throw usageError(ErrorCodes.UNKNOWN_PARTY, `party index ${index} is not in 1..${n}`)
}

export class DkgParty implements Party<KeyShare> {
  readonly index: number
  readonly n: number
  readonly t: number
  private readonly context: Uint8Array
  private readonly rng: Rng
  private readonly guard = new StepGuard()
  round = 0
  private readonly others: number[]

  // own secrets
  private coeffs: bigint[] = []
  private F: Point[] = []
  private sid: Uint8Array = new Uint8Array(32)
  private opening = new Uint8Array(32)
  private cc = new Uint8Array(32)
  private setup: PairwiseSetup | null = null
  // agreed values
  private r1 = new Map<number, m.Round1>()
  private r2 = new Map<number, m.Round2>()
  private dkgSid: Uint8Array = new Uint8Array(32)
  private share = 0n
  private aggregate: Point[] = []
  private chainCode: Uint8Array = new Uint8Array(32)
  private publicShares: Uint8Array[] = []

  constructor(opts: DkgOptions) {
    validateDkgParameters(opts.n, opts.t, opts.index)
    if (opts.context.length !== 32)
      throw usageError(ErrorCodes.INVALID_PARAMETERS, 'context must be 32 bytes')
    this.index = opts.index
    this.n = opts.n
    this.t = opts.t
    this.context = opts.context.slice()
    this.rng = opts.rng
    this.others = []
    for (let j = 1; j <= this.n; j++) if (j !== this.index) this.others.push(j)
  }

  get done(): boolean {
    return this.guard.finished
  }

  private commitment(
    i: number,
    sid: Uint8Array,
    F: readonly Uint8Array[],
    cc: Uint8Array,
    r: Uint8Array,
  ): Uint8Array {
    return hash(T_COM, [this.context, b1(i), sid, concatBytes(...F), cc, r])
  }

  start(): OutMessage[] {
    return this.guard.run(() => {
      this.guard.begin()
      this.rng.fill(this.sid)
      this.coeffs = Array.from({ length: this.t }, () => randomScalar(this.rng))
      this.F = this.coeffs.map((a) => G.multiply(a))
      this.rng.fill(this.cc)
      this.rng.fill(this.opening)
      const com = this.commitment(
        this.index,
        this.sid,
        this.F.map((f) => f.toBytes(true)),
        this.cc,
        this.opening,
      )
      this.r1.set(this.index, { sid: this.sid, commitment: com })
      this.round = 1
      const payload = m.encodeRound1(this.index, this.context, { sid: this.sid, commitment: com })
      return [{ from: this.index, to: BROADCAST, round: 1, payload }]
    })
  }

  next(msgs: readonly InMessage[]): StepResult<KeyShare> {
    return this.guard.run(() => {
      switch (this.round) {
        case 1:
          return { messages: this.afterRound1(msgs) }
        case 2:
          return { messages: this.afterRound2(msgs) }
        case 3:
          return { messages: this.afterRound3(msgs) }
        case 4: {
          const output = this.afterRound4(msgs)
          this.guard.finish()
          return { messages: [], output }
        }
        default:
          throw usageError(ErrorCodes.OUT_OF_ORDER, `no round ${this.round} in key generation`)
      }
    })
  }

  private afterRound1(msgs: readonly InMessage[]): OutMessage[] {
    const inbox = collect(msgs, this.others, 1)
    const parsed = new Map<number, m.Round1>()
    for (const [j, msg] of inbox) parsed.set(j, m.decodeRound1(msg, this.context))
    for (const [j, r] of parsed) this.r1.set(j, r)
    const sids: Uint8Array[] = []
    for (let j = 1; j <= this.n; j++) sids.push(this.r1.get(j)!.sid)
    this.dkgSid = hash(T_SID, [b1(this.n), b1(this.t), this.context, ...sids])
    const proofs = this.coeffs.map((a, k) =>
      schnorr.prove(this.rng, pokCtx(this.dkgSid, this.index, k), a, this.F[k]!.toBytes(true)),
    )
    const coefficients = this.F.map((f) => f.toBytes(true))
    const out: OutMessage[] = []
    this.setup = new PairwiseSetup(this.dkgSid, this.index, this.rng)
    for (const j of this.others) {
      const pair = this.setup.roundA(j)
      const payload = m.encodeRound2(this.index, j, this.dkgSid, {
        coefficients,
        proofs,
        opening: this.opening,
        chainCode: this.cc,
        share: evalPoly(this.coeffs, BigInt(j)),
        zeroContribution: pair.zero,
        otSender: pair.otSender,
      })
      out.push({ from: this.index, to: j, round: 2, payload })
    }
    this.round = 2
    return out
  }

  private afterRound2(msgs: readonly InMessage[]): OutMessage[] {
    const inbox = collect(msgs, this.others, 2)
    const parsed = new Map<number, m.Round2>()
    for (const [j, msg] of inbox) parsed.set(j, m.decodeRound2(msg, this.index, this.dkgSid))
    // Checks, in the order of dkls23.md §3.1 "Checks after R2" and "Checks after R3".
    for (const [j, r] of parsed) {
      if (r.coefficients.length !== this.t)
        throw abortError(
          ErrorCodes.COEFFICIENT_COUNT,
          `party ${j} committed to ${r.coefficients.length} coefficients, expected ${this.t}`,
          [j],
        )
      if (r.proofs.length !== this.t)
        throw abortError(
          ErrorCodes.PROOF_COUNT,
          `party ${j} sent ${r.proofs.length} proofs, expected ${this.t}`,
          [j],
        )
      const com = this.commitment(j, this.r1.get(j)!.sid, r.coefficients, r.chainCode, r.opening)
      if (!ctEqual(com, this.r1.get(j)!.commitment))
        throw abortError(
          ErrorCodes.COMMITMENT_MISMATCH,
          `party ${j}'s coefficients do not open its commitment`,
          [j],
        )
      for (let k = 0; k < this.t; k++) {
        if (!schnorr.verify(pokCtx(this.dkgSid, j, k), r.coefficients[k]!, r.proofs[k]!))
          throw abortError(
            ErrorCodes.PROOF_INVALID,
            `party ${j}'s proof for coefficient ${k} does not verify`,
            [j],
          )
      }
      const expected = evalPolyInExponent(r.points, BigInt(this.index))
      if (r.share === 0n || expected.is0() || !G.multiply(r.share).equals(expected))
        throw abortError(ErrorCodes.FELDMAN_CHECK, `party ${j}'s share fails the Feldman check`, [j])
    }
    const ownR2 = {
      coefficients: this.F.map((f) => f.toBytes(true)),
      points: this.F,
      chainCode: this.cc,
    } as m.Round2
    this.r2 = new Map(parsed)
    this.r2.set(this.index, ownR2)
    // Aggregate commitments, public key, chain code, public shares.
    this.aggregate = []
    for (let k = 0; k < this.t; k++) {
      let acc = P.ZERO
      for (let j = 1; j <= this.n; j++) acc = acc.add(this.r2.get(j)!.points[k]!)
      this.aggregate.push(acc)
    }
    const pk = this.aggregate[0]!
    if (pk.is0() || pk.equals(G))
      throw abortError(ErrorCodes.DEGENERATE_KEY, 'the aggregated public key is degenerate')
    let s = evalPoly(this.coeffs, BigInt(this.index))
    for (const r of parsed.values()) s = mod(s + r.share)
    if (s === 0n) throw abortError(ErrorCodes.DEGENERATE_KEY, 'own secret share is zero')
    this.share = s
    const ccs: Uint8Array[] = []
    for (let j = 1; j <= this.n; j++) ccs.push(this.r2.get(j)!.chainCode)
    this.chainCode = hash(T_CHAIN, [this.dkgSid, ...ccs])
    this.publicShares = []
    for (let j = 1; j <= this.n; j++) {
      const S = evalPolyInExponent(this.aggregate, BigInt(j))
      if (S.is0()) throw abortError(ErrorCodes.DEGENERATE_KEY, `public share of party ${j} is the identity`)
      this.publicShares.push(S.toBytes(true))
    }
    // Zero-share seeds and base OT as receiver (future RVOLE Alice) toward every j.
    const echo = this.echo()
    const out: OutMessage[] = []
    for (const [j, r] of parsed) {
      const msg = this.setup!.roundB(j, r.zeroContribution, r.otSender)
      out.push({
        from: this.index,
        to: j,
        round: 3,
        payload: m.encodeRound3(this.index, j, this.dkgSid, { echo, otReceiver: msg }),
      })
    }
    this.round = 3
    return out
  }

  private echo(): Uint8Array {
    const parts: Uint8Array[] = [this.dkgSid]
    for (let j = 1; j <= this.n; j++) {
      const a = this.r1.get(j)!
      const b = this.r2.get(j)!
      parts.push(a.sid, a.commitment, concatBytes(...b.coefficients), b.chainCode)
    }
    return hash(T_ECHO, parts)
  }

  private afterRound3(msgs: readonly InMessage[]): OutMessage[] {
    const inbox = collect(msgs, this.others, 3)
    const parsed = new Map<number, m.Round3>()
    for (const [j, msg] of inbox) parsed.set(j, m.decodeRound3(msg, this.index, this.dkgSid))
    const echo = this.echo()
    for (const [j, r] of parsed) {
      if (!ctEqual(r.echo, echo))
        throw abortError(
          ErrorCodes.ECHO_MISMATCH,
          `party ${j} saw different broadcast values (split view)`,
          [],
        )
    }
    const sG = curve().mulG(this.share)
    const ctx = hash(T_FINAL, [this.dkgSid, this.chainCode, b1(this.index)])
    const proof = schnorr.prove(this.rng, ctx, this.share, sG)
    const out: OutMessage[] = []
    for (const [j, r] of parsed) {
      const pprf = this.setup!.roundC(j, r.otReceiver)
      const payload = m.encodeRound4(this.index, j, this.dkgSid, {
        publicKey: this.aggregate[0]!.toBytes(true),
        publicShare: sG,
        proof,
        pprf,
      })
      out.push({ from: this.index, to: j, round: 4, payload })
    }
    this.round = 4
    return out
  }

  private afterRound4(msgs: readonly InMessage[]): KeyShare {
    const inbox = collect(msgs, this.others, 4)
    const parsed = new Map<number, m.Round4>()
    for (const [j, msg] of inbox) parsed.set(j, m.decodeRound4(msg, this.index, this.dkgSid))
    const pk = this.aggregate[0]!.toBytes(true)
    for (const [j, r] of parsed) {
      if (!ctEqual(r.publicKey, pk))
        throw abortError(ErrorCodes.PUBLIC_KEY_MISMATCH, `party ${j} computed a different public key`, [j])
      if (!ctEqual(r.publicShare, this.publicShares[j - 1]!))
        throw abortError(
          ErrorCodes.PUBLIC_SHARE_MISMATCH,
          `party ${j}'s public share does not match the commitments`,
          [j],
        )
      const ctx = hash(T_FINAL, [this.dkgSid, this.chainCode, b1(j)])
      if (!schnorr.verify(ctx, r.publicShare, r.proof))
        throw abortError(
          ErrorCodes.PROOF_INVALID,
          `party ${j}'s final proof does not verify (chain code or share)`,
          [j],
        )
      this.setup!.finish(j, r.pprf)
    }
    this.coeffs = []
    const peers = this.setup!.peers()
    return {
      keyId: computeKeyId(pk, this.chainCode),
      dkgSid: this.dkgSid,
      epoch: 0,
      n: this.n,
      t: this.t,
      index: this.index,
      publicKey: pk,
      chainCode: this.chainCode,
      publicShares: this.publicShares,
      secretShare: scalarToBytes(this.share),
      peers,
      banned: new Set(),
    }
  }
}
