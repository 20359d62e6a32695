// Resharing: any t_old of a key's committee (the dealers) move the key to a new committee and/or a
// new threshold, keeping the public key (dkls23.md §8.4; refresh §8.1 is the case where the committee
// stays). Every dealer i shares its additive share a_i = λ_i·s_i with a fresh polynomial g_i of degree
// t'−1 (g_i(0) = a_i), commits before revealing, proves knowledge of every non-constant coefficient, and
// sends g_i(x_j) to each new member j. Checks: exact counts, openings, proofs, Feldman, G_{i,0} = λ_i·S_i
// (old members, naming the dealer), Σ G_{i,0} = PK, one chain code, then the new committee runs the
// fresh pairwise OT/zero-seed setup and the final proofs as in key generation.
//   R1 (broadcast, all)      sid_i, commitment (zeros for non-dealers)
//   R2 (direct, all → all)   dealing (dealers), pairwise round A (new → new)
//   R3 (direct, new → new)   echo, pairwise round B            — members that leave finish after R2
//   R4 (direct, new → new)   PK, S'_j, proof of s'_j, pairwise round C

import { concatBytes, ctEqual, u32be } from '../bytes.ts'
import { BROADCAST, collect, type InMessage, type OutMessage } from '../codec.ts'
import { PairwiseSetup } from '../dkg/pairwise.ts'
import { abortError, ErrorCodes, invalidMessage, usageError } from '../errors.ts'
import { defineTag, hash } from '../hash.ts'
import { computeKeyId, type KeyShare } from '../keyshare.ts'
import {
  bytesToBig,
  curve,
  G,
  mod,
  Point as P,
  type Point,
  randomScalar,
  scalarToBytes,
} from '../math/curve.ts'
import { evalPoly, evalPolyInExponent, lagrangeAtZero } from '../math/poly.ts'
import * as schnorr from '../ot/schnorr.ts'
import { type Party, StepGuard, type StepResult } from '../party.ts'
import type { Rng } from '../rng.ts'
import * as m from './messages.ts'

const T_SID = defineTag('reshare/sid')
const T_COM = defineTag('reshare/commitment')
const T_POK = defineTag('reshare/coefficient-pok')
const T_ECHO = defineTag('reshare/echo')
const T_FINAL = defineTag('reshare/final-pok')

/** A participant: dealers carry their old index, new members their new index (= their id). */
export type ReshareMember = { id: number; oldIndex?: number; newIndex?: number }

export type ReshareOptions = {
  id: number
  roster: readonly ReshareMember[]
  newN: number
  newT: number
  /** The dealer's current share (dealers only). */
  oldShare?: KeyShare
  /** The key being reshared, as the operator knows it (new members check against it). */
  publicKey: Uint8Array
  keyId: Uint8Array
  /** Epoch of the new shares. */
  epoch: number
  context: Uint8Array
  rng: Rng
}

/** A new member's share, or null for a dealer that leaves the committee. */
export type ReshareOutput = { share: KeyShare | null }

const b1 = (n: number) => new Uint8Array([n])

export class ReshareParty implements Party<ReshareOutput> {
  readonly index: number
  round = 0
  private readonly o: ReshareOptions
  private readonly guard = new StepGuard()
  private readonly me: ReshareMember
  private readonly all: number[]
  private readonly dealers: ReshareMember[]
  private readonly newMembers: number[]
  private coeffs: bigint[] = []
  private F: Point[] = []
  private sid: Uint8Array = new Uint8Array(32)
  private opening = new Uint8Array(32)
  private readonly r1 = new Map<number, m.Round1>()
  private readonly dealings = new Map<number, m.Dealing>()
  private rsid: Uint8Array = new Uint8Array(32)
  private setup: PairwiseSetup | null = null
  private share = 0n
  private chainCode: Uint8Array = new Uint8Array(32)
  private publicShares: Uint8Array[] = []

  constructor(o: ReshareOptions) {
    this.o = o
    this.index = o.id
    const ids = o.roster.map((r) => r.id)
    if (new Set(ids).size !== ids.length)
      throw usageError(ErrorCodes.DUPLICATE_PARTY, 'roster lists an id twice')
    if (!(o.newT >= 2 && o.newT <= o.newN && o.newN <= 255))
      throw usageError(ErrorCodes.INVALID_PARAMETERS, 'need 2 ≤ t′ ≤ n′ ≤ 255')
    this.newMembers = o.roster
      .filter((r) => r.newIndex !== undefined)
      .map((r) => r.id)
      .sort((a, b) => a - b)
    if (this.newMembers.join() !== Array.from({ length: o.newN }, (_, k) => k + 1).join())
      throw usageError(ErrorCodes.INVALID_PARAMETERS, 'new members must be ids 1..n′ with newIndex = id')
    for (const r of o.roster)
      if (r.newIndex !== undefined && r.newIndex !== r.id)
        throw usageError(ErrorCodes.INVALID_PARAMETERS, 'newIndex must equal id')
    this.dealers = o.roster.filter((r) => r.oldIndex !== undefined)
    const oldIdx = this.dealers.map((d) => d.oldIndex!)
    if (new Set(oldIdx).size !== oldIdx.length)
      throw usageError(ErrorCodes.DUPLICATE_PARTY, 'two dealers share an old index')
    const me = o.roster.find((r) => r.id === o.id)
    if (!me) throw usageError(ErrorCodes.UNKNOWN_PARTY, 'this party is not in the roster')
    this.me = me
    if (me.oldIndex !== undefined) {
      const s = o.oldShare
      if (!s || s.index !== me.oldIndex || !ctEqual(s.publicKey, o.publicKey))
        throw usageError(ErrorCodes.INVALID_PARAMETERS, 'a dealer needs its share of this key')
      if (this.dealers.length < s.t)
        throw usageError(
          ErrorCodes.SIGNER_SET_TOO_SMALL,
          `${this.dealers.length} dealers, the old threshold is ${s.t}`,
        )
      for (const d of this.dealers)
        if (s.banned.has(d.oldIndex!))
          throw usageError(ErrorCodes.BANNED_PARTY, `dealer ${d.oldIndex} is banned`)
    }
    this.all = ids.sort((a, b) => a - b)
  }

  get done(): boolean {
    return this.guard.finished
  }

  private get others(): number[] {
    return this.all.filter((x) => x !== this.index)
  }

  private get isNew(): boolean {
    return this.me.newIndex !== undefined
  }

  expectedSenders(round: number): readonly number[] {
    return round <= 2 ? this.others : this.newMembers.filter((x) => x !== this.index)
  }

  private commitment(
    id: number,
    sid: Uint8Array,
    d: { coefficients: Uint8Array[]; opening: Uint8Array; chainCode: Uint8Array },
  ): Uint8Array {
    return hash(T_COM, [this.o.context, b1(id), sid, concatBytes(...d.coefficients), d.opening, d.chainCode])
  }

  start(): OutMessage[] {
    return this.guard.run(() => {
      this.guard.begin()
      this.o.rng.fill(this.sid)
      let commitment: Uint8Array = new Uint8Array(32)
      if (this.me.oldIndex !== undefined) {
        const s = this.o.oldShare!
        const a = mod(
          lagrangeAtZero(
            this.dealers.map((d) => d.oldIndex!),
            s.index,
          ) * bytesToBig(s.secretShare),
        )
        this.coeffs = [a, ...Array.from({ length: this.o.newT - 1 }, () => randomScalar(this.o.rng))]
        this.F = this.coeffs.map((c) => G.multiply(c))
        this.o.rng.fill(this.opening)
        commitment = this.commitment(this.index, this.sid, {
          coefficients: this.F.map((f) => f.toBytes(true)),
          opening: this.opening,
          chainCode: s.chainCode,
        })
      }
      this.r1.set(this.index, { sid: this.sid, commitment })
      this.round = 1
      return [
        {
          from: this.index,
          to: BROADCAST,
          round: 1,
          payload: m.encodeRound1(this.index, this.o.context, { sid: this.sid, commitment }),
        },
      ]
    })
  }

  next(msgs: readonly InMessage[]): StepResult<ReshareOutput> {
    return this.guard.run(() => {
      switch (this.round) {
        case 1:
          return { messages: this.afterRound1(msgs) }
        case 2: {
          const out = this.afterRound2(msgs)
          if (!this.isNew) {
            this.guard.finish()
            this.coeffs = []
            return { messages: [], output: { share: null } }
          }
          return { messages: out }
        }
        case 3:
          return { messages: this.afterRound3(msgs) }
        case 4: {
          const output = this.afterRound4(msgs)
          this.guard.finish()
          return { messages: [], output }
        }
        default:
          throw usageError(ErrorCodes.OUT_OF_ORDER, `no round ${this.round} in resharing`)
      }
    })
  }

  private afterRound1(msgs: readonly InMessage[]): OutMessage[] {
    const inbox = collect(msgs, this.others, 1)
    for (const [j, msg] of inbox) this.r1.set(j, m.decodeRound1(msg, this.o.context))
    const roster = concatBytes(
      ...this.o.roster.map((r) => new Uint8Array([r.id, r.oldIndex ?? 0, r.newIndex ?? 0])),
    )
    this.rsid = hash(T_SID, [
      this.o.context,
      this.o.keyId,
      u32be(this.o.epoch),
      b1(this.o.newN),
      b1(this.o.newT),
      roster,
      ...this.all.map((j) => this.r1.get(j)!.sid),
    ])
    if (this.isNew) this.setup = new PairwiseSetup(this.rsid, this.index, this.o.rng)
    const out: OutMessage[] = []
    const proofs = this.coeffs
      .slice(1)
      .map((c, k) =>
        schnorr.prove(this.o.rng, this.pokCtx(this.index, k + 1), c, this.F[k + 1]!.toBytes(true)),
      )
    for (const j of this.others) {
      const toNew = this.newMembers.includes(j)
      const dealing =
        this.me.oldIndex !== undefined
          ? {
              coefficients: this.F.map((f) => f.toBytes(true)),
              proofs,
              opening: this.opening,
              chainCode: this.o.oldShare!.chainCode,
              share: toNew ? evalPoly(this.coeffs, BigInt(j)) : null,
            }
          : null
      const setup = this.isNew && toNew ? this.setup!.roundA(j) : null
      out.push({
        from: this.index,
        to: j,
        round: 2,
        payload: m.encodeRound2(this.index, j, this.rsid, { dealing, setup }),
      })
    }
    this.round = 2
    return out
  }

  private pokCtx(id: number, k: number): Uint8Array {
    return hash(T_POK, [this.rsid, b1(id), b1(k)])
  }

  private afterRound2(msgs: readonly InMessage[]): OutMessage[] {
    const inbox = collect(msgs, this.others, 2)
    const parsed = new Map<number, m.Round2>()
    for (const [j, msg] of inbox) {
      const r = m.decodeRound2(msg, this.index, this.rsid)
      const isDealer = this.dealers.some((d) => d.id === j)
      const wantsSetup = this.isNew && this.newMembers.includes(j)
      if (!!r.dealing !== isDealer || !!r.setup !== wantsSetup)
        throw invalidMessage(
          ErrorCodes.UNEXPECTED_MESSAGE,
          `party ${j}'s resharing message has the wrong parts`,
          j,
        )
      if (r.dealing && (r.dealing.share !== null) !== this.isNew)
        throw invalidMessage(
          ErrorCodes.UNEXPECTED_MESSAGE,
          `party ${j}'s dealing has the wrong share part`,
          j,
        )
      parsed.set(j, r)
    }
    const t = this.o.newT
    for (const [j, r] of parsed) {
      const d = r.dealing
      if (!d) continue
      if (d.coefficients.length !== t)
        throw abortError(
          ErrorCodes.COEFFICIENT_COUNT,
          `dealer ${j} committed to ${d.coefficients.length} coefficients, expected ${t}`,
          [j],
        )
      if (d.proofs.length !== t - 1)
        throw abortError(
          ErrorCodes.PROOF_COUNT,
          `dealer ${j} sent ${d.proofs.length} proofs, expected ${t - 1}`,
          [j],
        )
      if (!ctEqual(this.commitment(j, this.r1.get(j)!.sid, d), this.r1.get(j)!.commitment))
        throw abortError(
          ErrorCodes.COMMITMENT_MISMATCH,
          `dealer ${j}'s polynomial does not open its commitment`,
          [j],
        )
      for (let k = 1; k < t; k++)
        if (!schnorr.verify(this.pokCtx(j, k), d.coefficients[k]!, d.proofs[k - 1]!))
          throw abortError(
            ErrorCodes.PROOF_INVALID,
            `dealer ${j}'s proof for coefficient ${k} does not verify`,
            [j],
          )
      const old = this.o.oldShare
      if (old) {
        // Old members know S_i: the dealer's constant must be λ_i·S_i.
        const oldIndex = this.dealers.find((x) => x.id === j)!.oldIndex!
        const lambda = lagrangeAtZero(
          this.dealers.map((x) => x.oldIndex!),
          oldIndex,
        )
        const expected = P.fromBytes(old.publicShares[oldIndex - 1]!).multiplyUnsafe(lambda)
        if (!expected.equals(d.points[0]!))
          throw abortError(ErrorCodes.PUBLIC_SHARE_MISMATCH, `dealer ${j} does not deal its own share`, [j])
      }
      if (this.isNew) {
        const expected = evalPolyInExponent(d.points, BigInt(this.index))
        if (d.share === null || d.share === 0n || expected.is0() || !G.multiply(d.share).equals(expected))
          throw abortError(ErrorCodes.FELDMAN_CHECK, `dealer ${j}'s share fails the Feldman check`, [j])
      }
    }
    // Same key, same chain code.
    const dealings: {
      id: number
      d: { points: Point[]; chainCode: Uint8Array; coefficients: Uint8Array[] }
    }[] = []
    for (const [j, r] of parsed) if (r.dealing) dealings.push({ id: j, d: r.dealing })
    if (this.me.oldIndex !== undefined)
      dealings.push({
        id: this.index,
        d: {
          points: this.F,
          chainCode: this.o.oldShare!.chainCode,
          coefficients: this.F.map((f) => f.toBytes(true)),
        },
      })
    dealings.sort((a, b) => a.id - b.id)
    let pk = P.ZERO
    for (const { d } of dealings) pk = pk.add(d.points[0]!)
    if (pk.is0() || !ctEqual(pk.toBytes(true), this.o.publicKey))
      throw abortError(ErrorCodes.RESHARE_KEY_MISMATCH, 'the dealt constants do not add up to the public key')
    const cc = dealings[0]!.d.chainCode
    if (!dealings.every(({ d }) => ctEqual(d.chainCode, cc)))
      throw abortError(ErrorCodes.CHAIN_CODE_MISMATCH, 'dealers sent different chain codes')
    if (!ctEqual(computeKeyId(this.o.publicKey, cc), this.o.keyId))
      throw abortError(ErrorCodes.RESHARE_KEY_MISMATCH, 'the chain code does not belong to this key')
    this.chainCode = cc
    for (const { id, d } of dealings)
      this.dealings.set(id, { ...d, proofs: [], opening: new Uint8Array(32), share: null })
    if (!this.isNew) return []
    // New share, public shares of the new committee.
    let s = this.me.oldIndex !== undefined ? evalPoly(this.coeffs, BigInt(this.index)) : 0n
    for (const r of parsed.values()) if (r.dealing) s = mod(s + r.dealing.share!)
    if (s === 0n) throw abortError(ErrorCodes.DEGENERATE_KEY, 'new secret share is zero')
    this.share = s
    const agg: Point[] = []
    for (let k = 0; k < t; k++) {
      let acc = P.ZERO
      for (const { d } of dealings) acc = acc.add(d.points[k]!)
      agg.push(acc)
    }
    this.publicShares = []
    for (let x = 1; x <= this.o.newN; x++) {
      const S = evalPolyInExponent(agg, BigInt(x))
      if (S.is0()) throw abortError(ErrorCodes.DEGENERATE_KEY, `public share of party ${x} is the identity`)
      this.publicShares.push(S.toBytes(true))
    }
    const echo = this.echo()
    const out: OutMessage[] = []
    for (const [j, r] of parsed) {
      if (!r.setup) continue
      const otReceiver = this.setup!.roundB(j, r.setup.zero, r.setup.otSender)
      out.push({
        from: this.index,
        to: j,
        round: 3,
        payload: m.encodeRound3(this.index, j, this.rsid, { echo, otReceiver }),
      })
    }
    this.round = 3
    return out
  }

  private echo(): Uint8Array {
    const parts: Uint8Array[] = [this.rsid, this.chainCode]
    for (const j of this.all) {
      const a = this.r1.get(j)!
      parts.push(a.sid, a.commitment, concatBytes(...(this.dealings.get(j)?.coefficients ?? [])))
    }
    return hash(T_ECHO, parts)
  }

  private afterRound3(msgs: readonly InMessage[]): OutMessage[] {
    const peers = this.newMembers.filter((x) => x !== this.index)
    const inbox = collect(msgs, peers, 3)
    const parsed = new Map<number, m.Round3>()
    for (const [j, msg] of inbox) parsed.set(j, m.decodeRound3(msg, this.index, this.rsid))
    const echo = this.echo()
    for (const [j, r] of parsed)
      if (!ctEqual(r.echo, echo))
        throw abortError(ErrorCodes.ECHO_MISMATCH, `party ${j} saw different dealings (split view)`, [])
    const sG = curve().mulG(this.share)
    const proof = schnorr.prove(
      this.o.rng,
      hash(T_FINAL, [this.rsid, this.chainCode, b1(this.index)]),
      this.share,
      sG,
    )
    const out: OutMessage[] = []
    for (const [j, r] of parsed) {
      const pprf = this.setup!.roundC(j, r.otReceiver)
      out.push({
        from: this.index,
        to: j,
        round: 4,
        payload: m.encodeRound4(this.index, j, this.rsid, {
          publicKey: this.o.publicKey,
          publicShare: sG,
          proof,
          pprf,
        }),
      })
    }
    this.round = 4
    return out
  }

  private afterRound4(msgs: readonly InMessage[]): ReshareOutput {
    const peers = this.newMembers.filter((x) => x !== this.index)
    const inbox = collect(msgs, peers, 4)
    const parsed = new Map<number, m.Round4>()
    for (const [j, msg] of inbox) parsed.set(j, m.decodeRound4(msg, this.index, this.rsid))
    for (const [j, r] of parsed) {
      if (!ctEqual(r.publicKey, this.o.publicKey))
        throw abortError(ErrorCodes.PUBLIC_KEY_MISMATCH, `party ${j} finished with a different public key`, [
          j,
        ])
      if (!ctEqual(r.publicShare, this.publicShares[j - 1]!))
        throw abortError(
          ErrorCodes.PUBLIC_SHARE_MISMATCH,
          `party ${j}'s public share does not match the dealings`,
          [j],
        )
      if (!schnorr.verify(hash(T_FINAL, [this.rsid, this.chainCode, b1(j)]), r.publicShare, r.proof))
        throw abortError(ErrorCodes.PROOF_INVALID, `party ${j}'s final proof does not verify`, [j])
      this.setup!.finish(j, r.pprf)
    }
    this.coeffs = []
    return {
      share: {
        keyId: this.o.keyId.slice(),
        dkgSid: this.rsid,
        epoch: this.o.epoch,
        n: this.o.newN,
        t: this.o.newT,
        index: this.index,
        publicKey: this.o.publicKey.slice(),
        chainCode: this.chainCode,
        publicShares: this.publicShares,
        secretShare: scalarToBytes(this.share),
        peers: this.setup!.peers(),
        banned: new Set(),
      },
    }
  }
}
