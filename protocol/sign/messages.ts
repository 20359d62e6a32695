// Wire layouts of the signing rounds (dkls23.md §7.2–7.3, paper-shaped schedule with the session id
// agreed first, §1.4):
//   wire round 1 (broadcast)  session contribution (32 B): sign_sid = H(dkg_sid, key, epoch, P, path,
//                             digest, contributions of all signers)
//   wire round 2 (direct)     paper round 1: com_i, Bob's OT-extension message for RVOLE(j→i)
//   wire round 3 (direct)     paper round 2: echo, R_i + salt, pk_i, Γ^u, Γ^v, ψ, Alice's RVOLE message
//   wire round 4 (broadcast)  paper round 3: u_i, w_i

import {
  BROADCAST,
  HEADER_BYTES,
  type Header,
  type InMessage,
  ProtocolId,
  readHeader,
  Writer,
} from '../codec.ts'
import { COTE_MSG_BYTES } from '../ot/cote.ts'
import { RVOLE_ALICE_MSG_BYTES } from '../ot/rvole.ts'

const hdr = (round: number, from: number, to: number, session: Uint8Array): Header => ({
  protocol: ProtocolId.sign,
  round,
  from,
  to,
  session,
})
const expect = (round: number, to: number, session: Uint8Array) => ({
  protocol: ProtocolId.sign,
  round,
  to,
  session,
})

export type Round2 = { commitment: Uint8Array; cote: Uint8Array }
export type Round3 = {
  echo: Uint8Array
  R: Uint8Array
  salt: Uint8Array
  pk: Uint8Array
  gammaU: Uint8Array
  gammaV: Uint8Array
  psi: bigint
  rvole: Uint8Array
}
export type Round4 = { u: bigint; w: bigint }

export const encodeRound1 = (from: number, context: Uint8Array, contribution: Uint8Array): Uint8Array =>
  new Writer(HEADER_BYTES + 32)
    .header(hdr(1, from, BROADCAST, context))
    .bytes(contribution, 32)
    .finish()

export function decodeRound1(msg: InMessage, context: Uint8Array): Uint8Array {
  const r = readHeader(msg, expect(1, BROADCAST, context))
  const c = r.bytes(32, 'contribution').slice()
  r.end()
  return c
}

export const encodeRound2 = (from: number, to: number, sid: Uint8Array, m: Round2): Uint8Array =>
  new Writer(HEADER_BYTES + 32 + COTE_MSG_BYTES)
    .header(hdr(2, from, to, sid))
    .bytes(m.commitment, 32)
    .bytes(m.cote, COTE_MSG_BYTES)
    .finish()

export function decodeRound2(msg: InMessage, to: number, sid: Uint8Array): Round2 {
  const r = readHeader(msg, expect(2, to, sid))
  const out = {
    commitment: r.bytes(32, 'commitment').slice(),
    cote: r.bytes(COTE_MSG_BYTES, 'OT extension').slice(),
  }
  r.end()
  return out
}

export const ROUND3_BYTES = HEADER_BYTES + 32 + 33 + 32 + 33 + 33 + 33 + 32 + RVOLE_ALICE_MSG_BYTES

export const encodeRound3 = (from: number, to: number, sid: Uint8Array, m: Round3): Uint8Array =>
  new Writer(ROUND3_BYTES)
    .header(hdr(3, from, to, sid))
    .bytes(m.echo, 32)
    .point(m.R)
    .bytes(m.salt, 32)
    .point(m.pk)
    .point(m.gammaU)
    .point(m.gammaV)
    .scalar(m.psi)
    .bytes(m.rvole, RVOLE_ALICE_MSG_BYTES)
    .finish()

export function decodeRound3(msg: InMessage, to: number, sid: Uint8Array): Round3 {
  const r = readHeader(msg, expect(3, to, sid))
  const out = {
    echo: r.bytes(32, 'echo').slice(),
    R: r.pointBytes('R').slice(),
    salt: r.bytes(32, 'salt').slice(),
    pk: r.pointBytes('pk').slice(),
    gammaU: r.pointBytes('Γ^u').slice(),
    gammaV: r.pointBytes('Γ^v').slice(),
    psi: r.scalar('ψ'),
    rvole: r.bytes(RVOLE_ALICE_MSG_BYTES, 'RVOLE').slice(),
  }
  r.end()
  return out
}

export const encodeRound4 = (from: number, sid: Uint8Array, m: Round4): Uint8Array =>
  new Writer(HEADER_BYTES + 64)
    .header(hdr(4, from, BROADCAST, sid))
    .scalar(m.u)
    .scalar(m.w)
    .finish()

export function decodeRound4(msg: InMessage, sid: Uint8Array): Round4 {
  const r = readHeader(msg, expect(4, BROADCAST, sid))
  const out = { u: r.scalar('u'), w: r.scalar('w') }
  r.end()
  return out
}
