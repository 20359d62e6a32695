// Three-round threshold ECDSA signing, Protocol 3.6 of the paper as written in dkls23.md §7, after a
// session-agreement round (§1.4). Two RVOLE instances run per ordered pair: in RVOLE(j→i) party j is
// Alice with input (r_j, sk_j) and party i is Bob with random χ_{i,j}.
// Abort classes follow §7.5: OT-extension, μ and Γ failures ban the counterparty (and mark it banned
// on the key share); a bad nonce decommitment names the sender; session or echo mismatches never ban.

import { derive } from '../bip32.ts'
import { ctEqual } from '../bytes.ts'
import { BROADCAST, collect, type InMessage, type OutMessage } from '../codec.ts'
import { abortError, banError, ErrorCodes, ProtocolError, usageError } from '../errors.ts'
import { defineTag, hash } from '../hash.ts'
import type { KeyShare } from '../keyshare.ts'
import { curve, inv, mod, Point, q, randomScalar } from '../math/curve.ts'
import { aliceRespond, type BobState, bobFinish, bobStart, validateAliceMsg } from '../ot/rvole.ts'
import { type Party, StepGuard, type StepResult } from '../party.ts'
import type { Rng } from '../rng.ts'
import * as m from './messages.ts'
import { additiveShare, checkSigners, pairSid, signSessionId, zeroShare } from './session.ts'

const T_RCOM = defineTag('sign/nonce-commitment')
const T_ECHO = defineTag('sign/echo')

export type SignOptions = {
  share: KeyShare
  signers: readonly number[]
  /**
   * 32-byte message digest (e.g. keccak-256 of an EIP-1559 transaction), or null to stop after the
   * message-independent rounds and output a presignature (§7.6; see presign.ts).
   */
  digest: Uint8Array | null
  /** Non-hardened BIP32 path below the root key (empty = the root key). */
  path?: readonly number[]
  /** 32 bytes naming this ceremony (the caller's proposal id); bound into every message of round 1. */
  context: Uint8Array
  rng: Rng
}

/**
 * A party's secret state after the message-independent rounds (dkls23.md §7.6): bound to the key,
 * epoch, signer set, derivation path (fixed at presign time, Groth–Shoup caution) and session. It must
 * be used at most once: two signatures with one R reveal the key.
 */
export type Presignature = {
  keyId: Uint8Array
  epoch: number
  index: number
  signers: number[]
  path: number[]
  publicKey: Uint8Array
  sessionId: Uint8Array
  /** The joint nonce point R (compressed). */
  R: Uint8Array
  u: bigint
  v: bigint
  phi: bigint
  consumed: boolean
}

export type Signature = {
  r: bigint
  s: bigint
  /** Recovery id, 0 or 1 (x(R) ≥ q is re-run by the caller; probability ≈ 2^-128). */
  recovery: number
  digest: Uint8Array
  /** The key the signature verifies under (the derived key when a path was given). */
  publicKey: Uint8Array
  sessionId: Uint8Array
}

export class SignParty implements Party<Signature> {
  readonly index: number
  round = 0
  private readonly share: KeyShare
  private readonly signers: number[]
  private readonly others: number[]
  private readonly digest: Uint8Array | null
  private readonly path: number[]
  private readonly context: Uint8Array
  private readonly rng: Rng
  private readonly guard = new StepGuard()
  private readonly tweak: bigint
  private readonly derivedPk: Uint8Array

  private contribution = new Uint8Array(32)
  private sid: Uint8Array = new Uint8Array(32)
  private r = 0n
  private phi = 0n
  private R: Uint8Array = new Uint8Array(33)
  private salt = new Uint8Array(32)
  private sk = 0n
  private pk: Uint8Array = new Uint8Array(33)
  private readonly bob = new Map<number, BobState>()
  private readonly coms = new Map<number, Uint8Array>()
  private readonly cu = new Map<number, bigint>()
  private readonly cv = new Map<number, bigint>()
  private echo: Uint8Array = new Uint8Array(32)
  private bigR: { x: bigint; y: bigint } | null = null

  constructor(opts: SignOptions) {
    if (opts.digest !== null && opts.digest.length !== 32)
      throw usageError(ErrorCodes.INVALID_PARAMETERS, 'digest must be 32 bytes')
    if (opts.context.length !== 32)
      throw usageError(ErrorCodes.INVALID_PARAMETERS, 'context must be 32 bytes')
    this.share = opts.share
    this.index = opts.share.index
    this.signers = checkSigners(opts.share, opts.signers)
    this.others = this.signers.filter((j) => j !== this.index)
    this.digest = opts.digest === null ? null : opts.digest.slice()
    this.path = [...(opts.path ?? [])]
    this.context = opts.context.slice()
    this.rng = opts.rng
    const d = derive(this.share.publicKey, this.share.chainCode, this.path)
    this.tweak = d.tweak
    this.derivedPk = d.publicKey
  }

  get done(): boolean {
    return this.guard.finished
  }

  start(): OutMessage[] {
    return this.guard.run(() => {
      this.guard.begin()
      this.rng.fill(this.contribution)
      this.round = 1
      return [
        {
          from: this.index,
          to: BROADCAST,
          round: 1,
          payload: m.encodeRound1(this.index, this.context, this.contribution),
        },
      ]
    })
  }

  next(msgs: readonly InMessage[]): StepResult<Signature> {
    return this.guard.run(() => {
      try {
        switch (this.round) {
          case 1:
            return { messages: this.afterRound1(msgs) }
          case 2:
            return { messages: this.afterRound2(msgs) }
          case 3: {
            const messages = this.afterRound3(msgs)
            if (this.digest === null) {
              this.guard.finish()
              return { messages: [], output: this.presignature() as unknown as Signature }
            }
            return { messages }
          }
          case 4: {
            const output = this.afterRound4(msgs)
            this.guard.finish()
            return { messages: [], output }
          }
          default:
            throw usageError(ErrorCodes.OUT_OF_ORDER, `no round ${this.round} in signing`)
        }
      } catch (e) {
        // A ban-class failure is terminal for that party on this key (§7.5).
        if (e instanceof ProtocolError && e.ban) for (const c of e.culprits) this.share.banned.add(c)
        throw e
      }
    })
  }

  private afterRound1(msgs: readonly InMessage[]): OutMessage[] {
    const inbox = collect(msgs, this.others, 1)
    const contributions = new Map<number, Uint8Array>([[this.index, this.contribution]])
    for (const [j, msg] of inbox) contributions.set(j, m.decodeRound1(msg, this.context))
    this.sid = signSessionId({
      share: this.share,
      signers: this.signers,
      path: this.path,
      digest: this.digest,
      context: this.context,
      contributions: this.signers.map((j) => contributions.get(j)!),
    })
    this.r = randomScalar(this.rng)
    this.phi = randomScalar(this.rng)
    this.rng.fill(this.salt)
    this.R = curve().mulG(this.r)
    const com = hash(T_RCOM, [this.sid, new Uint8Array([this.index]), this.R, this.salt])
    this.coms.set(this.index, com)
    const out: OutMessage[] = []
    for (const j of this.others) {
      const { state, msg } = bobStart(
        this.rng,
        pairSid(this.sid, j, this.index),
        this.share.peers.get(j)!.bobLeaves,
      )
      this.bob.set(j, state)
      out.push({
        from: this.index,
        to: j,
        round: 2,
        payload: m.encodeRound2(this.index, j, this.sid, { commitment: com, cote: msg }),
      })
    }
    this.round = 2
    return out
  }

  private afterRound2(msgs: readonly InMessage[]): OutMessage[] {
    const inbox = collect(msgs, this.others, 2)
    const parsed = new Map<number, m.Round2>()
    for (const [j, msg] of inbox) parsed.set(j, m.decodeRound2(msg, this.index, this.sid))
    for (const [j, r] of parsed) this.coms.set(j, r.commitment)
    this.echo = hash(T_ECHO, [this.sid, ...this.signers.map((j) => this.coms.get(j)!)])
    const zeta = zeroShare(this.share, this.signers, this.sid)
    this.sk = additiveShare(this.share, this.signers, zeta, this.tweak)
    this.pk = curve().mulG(this.sk)
    const out: OutMessage[] = []
    for (const [j, r] of parsed) {
      const peer = this.share.peers.get(j)!
      // COTe check first (inside aliceRespond): failure bans j.
      const a = aliceRespond(
        this.rng,
        pairSid(this.sid, this.index, j),
        peer.aliceLeaves,
        peer.aliceDelta,
        r.cote,
        this.r,
        this.sk,
        j,
      )
      if (a.c1 === 0n || a.c2 === 0n)
        throw abortError(ErrorCodes.DEGENERATE_NONCE, 'degenerate multiplication output; retry')
      this.cu.set(j, a.c1)
      this.cv.set(j, a.c2)
      const payload = m.encodeRound3(this.index, j, this.sid, {
        echo: this.echo,
        R: this.R,
        salt: this.salt,
        pk: this.pk,
        gammaU: curve().mulG(a.c1),
        gammaV: curve().mulG(a.c2),
        psi: mod(this.phi - this.bob.get(j)!.b),
        rvole: a.msg,
      })
      out.push({ from: this.index, to: j, round: 3, payload })
    }
    this.round = 3
    return out
  }

  private afterRound3(msgs: readonly InMessage[]): OutMessage[] {
    const inbox = collect(msgs, this.others, 3)
    const parsed = new Map<number, m.Round3>()
    for (const [j, msg] of inbox) {
      const r = m.decodeRound3(msg, this.index, this.sid)
      validateAliceMsg(r.rvole, j)
      parsed.set(j, r)
    }
    const c = curve()
    let psiSum = this.phi
    let uSum = 0n
    let vSum = 0n
    let pkSum: Uint8Array | null = this.pk
    let RSum: Uint8Array | null = this.R
    for (const [j, r] of parsed) {
      if (!ctEqual(r.echo, this.echo))
        throw abortError(ErrorCodes.ECHO_MISMATCH, `party ${j} saw different round-1 commitments`, [])
      const com = hash(T_RCOM, [this.sid, new Uint8Array([j]), r.R, r.salt])
      if (!ctEqual(com, this.coms.get(j)!))
        throw abortError(ErrorCodes.NONCE_DECOMMITMENT, `party ${j}'s nonce does not open its commitment`, [
          j,
        ])
      const bob = this.bob.get(j)!
      const { d1, d2 } = bobFinish(bob, pairSid(this.sid, j, this.index), r.rvole, j)
      // Γ checks: χ·R_j − Γ^u_j == d^u·G and χ·pk_j − Γ^v_j == d^v·G.
      if (!gammaHolds(r.R, bob.b, r.gammaU, d1))
        throw banError(ErrorCodes.GAMMA_U_CHECK, j, `party ${j}'s Γ^u does not match its nonce`)
      if (!gammaHolds(r.pk, bob.b, r.gammaV, d2))
        throw banError(ErrorCodes.GAMMA_V_CHECK, j, `party ${j}'s Γ^v does not match its key share`)
      psiSum += r.psi
      uSum += this.cu.get(j)! + d1
      vSum += this.cv.get(j)! + d2
      pkSum = pkSum && c.add(pkSum, r.pk)
      RSum = RSum && c.add(RSum, r.R)
    }
    if (!pkSum || !ctEqual(pkSum, this.derivedPk))
      throw abortError(ErrorCodes.PUBLIC_KEY_SUM, 'the signers’ key shares do not add up to the public key')
    if (!RSum) throw abortError(ErrorCodes.DEGENERATE_NONCE, 'the aggregated nonce is the identity')
    const Rp = Point.fromBytes(RSum).toAffine()
    this.bigR = Rp
    const rx = mod(Rp.x)
    if (rx === 0n) throw abortError(ErrorCodes.DEGENERATE_NONCE, 'r = 0')
    const Psi = mod(psiSum)
    const u = mod(this.r * Psi + uSum)
    const v = mod(this.sk * Psi + vSum)
    this.u = u
    this.v = v
    this.round = 4
    if (this.digest === null) return []
    const w = mod(mod(bytesToBigint(this.digest)) * this.phi + rx * v)
    this.w = w
    return [
      { from: this.index, to: BROADCAST, round: 4, payload: m.encodeRound4(this.index, this.sid, { u, w }) },
    ]
  }

  private u = 0n
  private v = 0n
  private w = 0n

  private presignature(): Presignature {
    const R = this.bigR!
    const out: Presignature = {
      keyId: this.share.keyId.slice(),
      epoch: this.share.epoch,
      index: this.index,
      signers: [...this.signers],
      path: [...this.path],
      publicKey: this.derivedPk.slice(),
      sessionId: this.sid.slice(),
      R: Point.fromAffine(R).toBytes(true),
      u: this.u,
      v: this.v,
      phi: this.phi,
      consumed: false,
    }
    this.r = 0n
    this.phi = 0n
    this.sk = 0n
    this.v = 0n
    return out
  }

  private afterRound4(msgs: readonly InMessage[]): Signature {
    const inbox = collect(msgs, this.others, 4)
    let U = this.u
    let W = this.w
    for (const [, msg] of inbox) {
      const r = m.decodeRound4(msg, this.sid)
      U += r.u
      W += r.w
    }
    const sig = combine(this.bigR!, U, W, this.digest!, this.derivedPk, this.sid)
    this.r = 0n
    this.phi = 0n
    this.sk = 0n
    return sig
  }
}

/** s = ΣW / ΣU, low-s with the recovery id adjusted, verified before release (§7.4, threats #9). */
export function combine(
  R: { x: bigint; y: bigint },
  uSum: bigint,
  wSum: bigint,
  digest: Uint8Array,
  publicKey: Uint8Array,
  sessionId: Uint8Array,
): Signature {
  const U = mod(uSum)
  const W = mod(wSum)
  if (U === 0n) throw abortError(ErrorCodes.DEGENERATE_NONCE, 'Σu = 0')
  let s = mod(W * inv(U))
  let recovery = (R.y & 1n ? 1 : 0) | (R.x >= q ? 2 : 0)
  if (s > q >> 1n) {
    s = q - s
    recovery ^= 1
  }
  const rx = mod(R.x)
  if (s === 0n || !ecdsaVerify(digest, rx, s, publicKey))
    throw abortError(ErrorCodes.SIGNATURE_INVALID, 'the combined signature does not verify; not released')
  return { r: rx, s, recovery, digest, publicKey, sessionId }
}

export const digestScalar = (digest: Uint8Array): bigint => mod(bytesToBigint(digest))

function gammaHolds(P: Uint8Array, chi: bigint, gamma: Uint8Array, d: bigint): boolean {
  const c = curve()
  const lhs = c.mul(P, chi)
  if (!lhs) return false
  const rhs = d === 0n ? gamma : c.add(gamma, c.mulG(d))
  return rhs !== null && ctEqual(lhs, rhs)
}

function bytesToBigint(b: Uint8Array): bigint {
  let x = 0n
  for (const v of b) x = (x << 8n) | BigInt(v)
  return x
}

/** ECDSA verification through the point backend: x(m/s·G + r/s·PK) ≡ r. */
export function ecdsaVerify(digest: Uint8Array, r: bigint, s: bigint, publicKey: Uint8Array): boolean {
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false
  const c = curve()
  const sinv = inv(s)
  const u1 = mod(mod(bytesToBigint(digest)) * sinv)
  const u2 = mod(r * sinv)
  const a = u1 === 0n ? null : c.mulG(u1)
  const b = c.mul(publicKey, u2)
  if (!b) return false
  const sum = a ? c.add(a, b) : b
  if (!sum) return false
  return mod(Point.fromBytes(sum).toAffine().x) === r
}
