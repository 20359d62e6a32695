// Wire layouts of the key-generation rounds (Recipe A, dkls23.md §3.1, with the base-OT flow of
// base-ot.ts). Counts are explicit on the wire so that a wrong number of coefficients or proofs is
// detected as such (TOB-SILA-1, -2), not as a length error.

import {
  BROADCAST,
  HEADER_BYTES,
  type Header,
  type InMessage,
  ProtocolId,
  Reader,
  readHeader,
  Writer,
} from '../codec.ts'
import type { Point } from '../math/curve.ts'
import { RECEIVER_MSG_BYTES, SENDER_MSG_BYTES } from '../ot/base-ot.ts'
import { PPRF_MSG_BYTES } from '../ot/pprf.ts'
import { PROOF_BYTES } from '../ot/schnorr.ts'

const hdr = (round: number, from: number, to: number, session: Uint8Array): Header => ({
  protocol: ProtocolId.dkg,
  round,
  from,
  to,
  session,
})

export type Round1 = { sid: Uint8Array; commitment: Uint8Array }
export type Round2 = {
  coefficients: Uint8Array[]
  proofs: Uint8Array[]
  /** Decoded coefficients (validated points). */
  points: Point[]
  opening: Uint8Array
  chainCode: Uint8Array
  share: bigint
  zeroContribution: Uint8Array
  otSender: Uint8Array
}
export type Round3 = { echo: Uint8Array; otReceiver: Uint8Array }
export type Round4 = { publicKey: Uint8Array; publicShare: Uint8Array; proof: Uint8Array; pprf: Uint8Array }

export function encodeRound1(from: number, context: Uint8Array, m: Round1): Uint8Array {
  return new Writer(HEADER_BYTES + 64)
    .header(hdr(1, from, BROADCAST, context))
    .bytes(m.sid, 32)
    .bytes(m.commitment, 32)
    .finish()
}
export function decodeRound1(msg: InMessage, context: Uint8Array): Round1 {
  const r = readHeader(msg, { protocol: ProtocolId.dkg, round: 1, to: BROADCAST, session: context })
  const out = { sid: r.bytes(32, 'sid').slice(), commitment: r.bytes(32, 'commitment').slice() }
  r.end()
  return out
}

export function encodeRound2(
  from: number,
  to: number,
  sid: Uint8Array,
  m: Omit<Round2, 'points'>,
): Uint8Array {
  const size =
    HEADER_BYTES +
    1 +
    33 * m.coefficients.length +
    1 +
    PROOF_BYTES * m.proofs.length +
    32 +
    32 +
    32 +
    32 +
    SENDER_MSG_BYTES
  const w = new Writer(size).header(hdr(2, from, to, sid))
  w.u8(m.coefficients.length)
  for (const c of m.coefficients) w.point(c)
  w.u8(m.proofs.length)
  for (const p of m.proofs) w.bytes(p, PROOF_BYTES)
  return w
    .bytes(m.opening, 32)
    .bytes(m.chainCode, 32)
    .scalar(m.share)
    .bytes(m.zeroContribution, 32)
    .bytes(m.otSender, SENDER_MSG_BYTES)
    .finish()
}
export function decodeRound2(msg: InMessage, to: number, sid: Uint8Array): Round2 {
  const r = readHeader(msg, { protocol: ProtocolId.dkg, round: 2, to, session: sid })
  const nc = r.u8('coefficient count')
  const coefficients: Uint8Array[] = []
  const points: Point[] = []
  for (let k = 0; k < nc; k++) {
    const b = r.bytes(33, 'coefficient commitment')
    coefficients.push(b.slice())
    points.push(readPointAt(r, b))
  }
  const np = r.u8('proof count')
  const proofs: Uint8Array[] = []
  for (let k = 0; k < np; k++) proofs.push(r.bytes(PROOF_BYTES, 'proof').slice())
  const opening = r.bytes(32, 'opening').slice()
  const chainCode = r.bytes(32, 'chain code').slice()
  const share = r.scalar('share')
  const zeroContribution = r.bytes(32, 'zero-share contribution').slice()
  const otSender = r.bytes(SENDER_MSG_BYTES, 'base OT sender message').slice()
  r.end()
  return { coefficients, proofs, points, opening, chainCode, share, zeroContribution, otSender }
}

function readPointAt(r: Reader, b: Uint8Array): Point {
  // Reuse the strict decoder (identity cannot be encoded; off-curve is malformed).
  return new Reader(b, r.culprit).point('coefficient commitment')
}

export function encodeRound3(from: number, to: number, sid: Uint8Array, m: Round3): Uint8Array {
  return new Writer(HEADER_BYTES + 32 + RECEIVER_MSG_BYTES)
    .header(hdr(3, from, to, sid))
    .bytes(m.echo, 32)
    .bytes(m.otReceiver, RECEIVER_MSG_BYTES)
    .finish()
}
export function decodeRound3(msg: InMessage, to: number, sid: Uint8Array): Round3 {
  const r = readHeader(msg, { protocol: ProtocolId.dkg, round: 3, to, session: sid })
  const out = {
    echo: r.bytes(32, 'echo').slice(),
    otReceiver: r.bytes(RECEIVER_MSG_BYTES, 'base OT receiver message').slice(),
  }
  r.end()
  return out
}

/** The final round of key generation and of resharing (same layout; `protocol` tells them apart). */
export function encodeRound4(
  from: number,
  to: number,
  sid: Uint8Array,
  m: Round4,
  protocol: ProtocolId = ProtocolId.dkg,
): Uint8Array {
  return new Writer(HEADER_BYTES + 33 + 33 + PROOF_BYTES + PPRF_MSG_BYTES)
    .header({ ...hdr(4, from, to, sid), protocol })
    .point(m.publicKey)
    .point(m.publicShare)
    .bytes(m.proof, PROOF_BYTES)
    .bytes(m.pprf, PPRF_MSG_BYTES)
    .finish()
}
export function decodeRound4(
  msg: InMessage,
  to: number,
  sid: Uint8Array,
  protocol: ProtocolId = ProtocolId.dkg,
): Round4 {
  const r = readHeader(msg, { protocol, round: 4, to, session: sid })
  const out = {
    publicKey: r.pointBytes('public key').slice(),
    publicShare: r.pointBytes('public share').slice(),
    proof: r.bytes(PROOF_BYTES, 'proof').slice(),
    pprf: r.bytes(PPRF_MSG_BYTES, 'PPRF message').slice(),
  }
  r.end()
  return out
}
