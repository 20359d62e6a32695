// Wire layouts of resharing (dkls23.md §8.1/§8.4 with proofs of knowledge, and the pairwise setup of
// the new committee). Optional parts are flagged so that every participant sends one message to every
// other in rounds 1–2 (dealers and new members may differ).

import {
  BROADCAST,
  HEADER_BYTES,
  type Header,
  type InMessage,
  ProtocolId,
  readHeader,
  Writer,
} from '../codec.ts'
import * as dkg from '../dkg/messages.ts'
import { ErrorCodes, invalidMessage } from '../errors.ts'
import { decodePoint, type Point } from '../math/curve.ts'
import { RECEIVER_MSG_BYTES, SENDER_MSG_BYTES } from '../ot/base-ot.ts'
import { PROOF_BYTES } from '../ot/schnorr.ts'

const hdr = (round: number, from: number, to: number, session: Uint8Array): Header => ({
  protocol: ProtocolId.reshare,
  round,
  from,
  to,
  session,
})
const want = (round: number, to: number, session: Uint8Array) => ({
  protocol: ProtocolId.reshare,
  round,
  to,
  session,
})

export type Round1 = { sid: Uint8Array; commitment: Uint8Array }
export type Dealing = {
  coefficients: Uint8Array[]
  points: Point[]
  /** Proofs for coefficients 1..t'−1 (the constant is pinned by Σ G_{i,0} = PK). */
  proofs: Uint8Array[]
  opening: Uint8Array
  chainCode: Uint8Array
  /** g_i(x_j) when the recipient is a new member. */
  share: bigint | null
}
export type Setup = { zero: Uint8Array; otSender: Uint8Array }
export type Round2 = { dealing: Dealing | null; setup: Setup | null }
export type Round3 = { echo: Uint8Array; otReceiver: Uint8Array }
export type Round4 = dkg.Round4

export const encodeRound1 = (from: number, context: Uint8Array, m: Round1): Uint8Array =>
  new Writer(HEADER_BYTES + 64)
    .header(hdr(1, from, BROADCAST, context))
    .bytes(m.sid, 32)
    .bytes(m.commitment, 32)
    .finish()

export function decodeRound1(msg: InMessage, context: Uint8Array): Round1 {
  const r = readHeader(msg, want(1, BROADCAST, context))
  const out = { sid: r.bytes(32, 'sid').slice(), commitment: r.bytes(32, 'commitment').slice() }
  r.end()
  return out
}

export function encodeRound2(
  from: number,
  to: number,
  sid: Uint8Array,
  m: Omit<Round2, 'dealing'> & { dealing: Omit<Dealing, 'points'> | null },
): Uint8Array {
  const d = m.dealing
  let size = HEADER_BYTES + 1 + 1
  if (d)
    size +=
      1 +
      33 * d.coefficients.length +
      1 +
      PROOF_BYTES * d.proofs.length +
      32 +
      32 +
      1 +
      (d.share === null ? 0 : 32)
  if (m.setup) size += 32 + SENDER_MSG_BYTES
  const w = new Writer(size).header(hdr(2, from, to, sid))
  w.u8(d ? 1 : 0)
  if (d) {
    w.u8(d.coefficients.length)
    for (const c of d.coefficients) w.point(c)
    w.u8(d.proofs.length)
    for (const p of d.proofs) w.bytes(p, PROOF_BYTES)
    w.bytes(d.opening, 32)
      .bytes(d.chainCode, 32)
      .u8(d.share === null ? 0 : 1)
    if (d.share !== null) w.scalar(d.share)
  }
  w.u8(m.setup ? 1 : 0)
  if (m.setup) w.bytes(m.setup.zero, 32).bytes(m.setup.otSender, SENDER_MSG_BYTES)
  return w.finish()
}

export function decodeRound2(msg: InMessage, to: number, sid: Uint8Array): Round2 {
  const r = readHeader(msg, want(2, to, sid))
  const flag = (what: string) => {
    const f = r.u8(what)
    if (f > 1) throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, `${what}: bad flag`, msg.from)
    return f === 1
  }
  let dealing: Dealing | null = null
  if (flag('dealing flag')) {
    const nc = r.u8('coefficient count')
    const coefficients: Uint8Array[] = []
    const points: Point[] = []
    for (let k = 0; k < nc; k++) {
      coefficients.push(r.pointBytes('coefficient commitment').slice())
    }
    for (const c of coefficients) points.push(decodeCommitment(c, msg.from))
    const np = r.u8('proof count')
    const proofs: Uint8Array[] = []
    for (let k = 0; k < np; k++) proofs.push(r.bytes(PROOF_BYTES, 'proof').slice())
    const opening = r.bytes(32, 'opening').slice()
    const chainCode = r.bytes(32, 'chain code').slice()
    const share = flag('share flag') ? r.scalar('share') : null
    dealing = { coefficients, points, proofs, opening, chainCode, share }
  }
  const setup = flag('setup flag')
    ? {
        zero: r.bytes(32, 'zero-share contribution').slice(),
        otSender: r.bytes(SENDER_MSG_BYTES, 'base OT sender message').slice(),
      }
    : null
  r.end()
  return { dealing, setup }
}

const decodeCommitment = (b: Uint8Array, culprit: number): Point =>
  decodePoint(b, culprit, 'coefficient commitment')

export const encodeRound3 = (from: number, to: number, sid: Uint8Array, m: Round3): Uint8Array =>
  new Writer(HEADER_BYTES + 32 + RECEIVER_MSG_BYTES)
    .header(hdr(3, from, to, sid))
    .bytes(m.echo, 32)
    .bytes(m.otReceiver, RECEIVER_MSG_BYTES)
    .finish()

export function decodeRound3(msg: InMessage, to: number, sid: Uint8Array): Round3 {
  const r = readHeader(msg, want(3, to, sid))
  const out = {
    echo: r.bytes(32, 'echo').slice(),
    otReceiver: r.bytes(RECEIVER_MSG_BYTES, 'base OT receiver message').slice(),
  }
  r.end()
  return out
}

export const encodeRound4 = (from: number, to: number, sid: Uint8Array, m: Round4): Uint8Array =>
  dkg.encodeRound4(from, to, sid, m, ProtocolId.reshare)

export const decodeRound4 = (msg: InMessage, to: number, sid: Uint8Array): Round4 =>
  dkg.decodeRound4(msg, to, sid, ProtocolId.reshare)
