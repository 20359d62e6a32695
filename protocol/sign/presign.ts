// Presignatures (dkls23.md §7.6): the message-independent rounds run ahead of time (`PresignParty`,
// the signing rounds with no digest in the session id), and one final broadcast round binds the
// digest (`FinishParty`: w_i = m·φ_i + r_x·v_i). A presignature is single-use: `FinishParty` refuses
// a consumed one and marks it consumed before any message leaves; the caller persists that mark
// atomically before sending (threats.md #6).

import { BROADCAST, collect, type InMessage, type OutMessage } from '../codec.ts'
import { ErrorCodes, usageError } from '../errors.ts'
import type { KeyShare } from '../keyshare.ts'
import { mod, Point } from '../math/curve.ts'
import { type Party, StepGuard, type StepResult } from '../party.ts'
import type { Rng } from '../rng.ts'
import * as m from './messages.ts'
import { combine, digestScalar, type Presignature, type Signature, SignParty } from './party.ts'

export type PresignOptions = {
  share: KeyShare
  signers: readonly number[]
  path?: readonly number[]
  context: Uint8Array
  rng: Rng
}

/** The message-independent rounds; outputs this party's presignature. */
export class PresignParty implements Party<Presignature> {
  readonly #inner: SignParty
  constructor(o: PresignOptions) {
    this.#inner = new SignParty({ ...o, digest: null })
  }
  get index(): number {
    return this.#inner.index
  }
  get round(): number {
    return this.#inner.round
  }
  get done(): boolean {
    return this.#inner.done
  }
  start(): OutMessage[] {
    return this.#inner.start()
  }
  next(msgs: readonly InMessage[]): StepResult<Presignature> {
    const r = this.#inner.next(msgs)
    return r.output === undefined
      ? { messages: r.messages }
      : { messages: [], output: r.output as unknown as Presignature }
  }
}

/** The final round on a presignature: one broadcast of (u_i, w_i), then the combined signature. */
export class FinishParty implements Party<Signature> {
  readonly index: number
  round = 0
  readonly #p: Presignature
  readonly #digest: Uint8Array
  readonly #guard = new StepGuard()
  readonly #others: number[]
  #w = 0n

  constructor(o: { presignature: Presignature; digest: Uint8Array }) {
    if (o.digest.length !== 32) throw usageError(ErrorCodes.INVALID_PARAMETERS, 'digest must be 32 bytes')
    this.#p = o.presignature
    this.#digest = o.digest.slice()
    this.index = o.presignature.index
    this.#others = o.presignature.signers.filter((j) => j !== this.index)
  }

  get done(): boolean {
    return this.#guard.finished
  }

  start(): OutMessage[] {
    return this.#guard.run(() => {
      this.#guard.begin()
      const p = this.#p
      if (p.consumed) throw usageError(ErrorCodes.PRESIGNATURE_CONSUMED, 'this presignature was already used')
      p.consumed = true
      const rx = mod(Point.fromBytes(p.R).toAffine().x)
      this.#w = mod(digestScalar(this.#digest) * p.phi + rx * p.v)
      p.phi = 0n
      p.v = 0n
      this.round = 4
      return [
        {
          from: this.index,
          to: BROADCAST,
          round: 4,
          payload: m.encodeRound4(this.index, p.sessionId, { u: p.u, w: this.#w }),
        },
      ]
    })
  }

  next(msgs: readonly InMessage[]): StepResult<Signature> {
    return this.#guard.run(() => {
      if (this.round !== 4) throw usageError(ErrorCodes.OUT_OF_ORDER, 'start() first')
      const inbox = collect(msgs, this.#others, 4)
      let U = this.#p.u
      let W = this.#w
      for (const [, msg] of inbox) {
        const r = m.decodeRound4(msg, this.#p.sessionId)
        U += r.u
        W += r.w
      }
      const sig = combine(
        Point.fromBytes(this.#p.R).toAffine(),
        U,
        W,
        this.#digest,
        this.#p.publicKey,
        this.#p.sessionId,
      )
      this.#guard.finish()
      return { messages: [], output: sig }
    })
  }
}

// ---------------------------------------------------------------- storage format

const MAGIC = new TextEncoder().encode('STV3PS')

export function serializePresignature(p: Presignature): Uint8Array {
  const size = 6 + 1 + 32 + 4 + 1 + 1 + p.signers.length + 1 + 4 * p.path.length + 33 + 32 + 33 + 96 + 1
  const out = new Uint8Array(size)
  const dv = new DataView(out.buffer)
  let o = 0
  const put = (b: Uint8Array) => {
    out.set(b, o)
    o += b.length
  }
  const big = (x: bigint) => {
    for (let k = 31; k >= 0; k--) out[o + 31 - k] = Number((x >> BigInt(8 * k)) & 0xffn)
    o += 32
  }
  put(MAGIC)
  out[o++] = 1
  put(p.keyId)
  dv.setUint32(o, p.epoch)
  o += 4
  out[o++] = p.index
  out[o++] = p.signers.length
  for (const s of p.signers) out[o++] = s
  out[o++] = p.path.length
  for (const x of p.path) {
    dv.setUint32(o, x)
    o += 4
  }
  put(p.publicKey)
  put(p.sessionId)
  put(p.R)
  big(p.u)
  big(p.v)
  big(p.phi)
  out[o++] = p.consumed ? 1 : 0
  return out
}

export function parsePresignature(b: Uint8Array): Presignature {
  const bad = () => usageError(ErrorCodes.KEYSHARE_MALFORMED, 'presignature record is malformed')
  let o = 0
  const take = (n: number) => {
    if (o + n > b.length) throw bad()
    const v = b.slice(o, o + n)
    o += n
    return v
  }
  const big = () => take(32).reduce((acc, x) => (acc << 8n) | BigInt(x), 0n)
  if (!take(6).every((x, i) => x === MAGIC[i]) || take(1)[0] !== 1) throw bad()
  const keyId = take(32)
  const epoch = new DataView(take(4).buffer).getUint32(0)
  const index = take(1)[0]!
  const signers = [...take(take(1)[0]!)]
  const pathLen = take(1)[0]!
  const path: number[] = []
  for (let k = 0; k < pathLen; k++) path.push(new DataView(take(4).buffer).getUint32(0))
  const publicKey = take(33)
  const sessionId = take(32)
  const R = take(33)
  try {
    Point.fromBytes(R)
    Point.fromBytes(publicKey)
  } catch {
    throw bad()
  }
  const u = big()
  const v = big()
  const phi = big()
  const consumed = take(1)[0] === 1
  if (o !== b.length) throw bad()
  return { keyId, epoch, index, signers, path, publicKey, sessionId, R, u, v, phi, consumed }
}
