// Strict binary codecs for protocol messages. Every message has a fixed header
//   version u8 ‖ protocol u8 ‖ round u8 ‖ from u16 ‖ to u16 ‖ session 32 B
// followed by a body whose layout is fixed by (protocol, round). Readers consume exactly the
// declared layout; trailing or missing bytes, scalars ≥ q, off-curve or identity points are
// `MALFORMED_MESSAGE` errors blaming the sender.

import { ErrorCodes, invalidMessage } from './errors.ts'
import { bigToBytesInto, bytesToBig, curve, decodePoint, decodeScalar, type Point, q } from './math/curve.ts'

export const WIRE_VERSION = 1
export const BROADCAST = 0xffff
export const HEADER_BYTES = 1 + 1 + 1 + 2 + 2 + 32

export const ProtocolId = { dkg: 1, sign: 2, reshare: 3 } as const
export type ProtocolId = (typeof ProtocolId)[keyof typeof ProtocolId]

export type Header = { protocol: ProtocolId; round: number; from: number; to: number; session: Uint8Array }

/** A message as produced by a round: `to` is a party index or BROADCAST. */
export type OutMessage = { from: number; to: number; round: number; payload: Uint8Array }
/** A message handed to a round: `from` is the authenticated sender (the transport's job). */
export type InMessage = { from: number; payload: Uint8Array }

export class Writer {
  private buf: Uint8Array
  private off = 0
  constructor(size: number) {
    this.buf = new Uint8Array(size)
  }
  header(h: Header): this {
    this.u8(WIRE_VERSION).u8(h.protocol).u8(h.round).u16(h.from).u16(h.to)
    return this.bytes(h.session, 32)
  }
  u8(n: number): this {
    this.buf[this.off++] = n
    return this
  }
  u16(n: number): this {
    this.buf[this.off++] = n >>> 8
    this.buf[this.off++] = n & 0xff
    return this
  }
  bytes(b: Uint8Array, len = b.length): this {
    if (b.length !== len) throw new Error(`codec: expected ${len} bytes, got ${b.length}`)
    this.buf.set(b, this.off)
    this.off += len
    return this
  }
  scalar(x: bigint): this {
    bigToBytesInto(x, this.buf, this.off)
    this.off += 32
    return this
  }
  point(p: Point | Uint8Array): this {
    return this.bytes(p instanceof Uint8Array ? p : p.toBytes(true), 33)
  }
  /** Reserve `len` bytes and return a view for in-place writing. */
  reserve(len: number): Uint8Array {
    const v = this.buf.subarray(this.off, this.off + len)
    this.off += len
    return v
  }
  finish(): Uint8Array {
    if (this.off !== this.buf.length) throw new Error(`codec: wrote ${this.off} of ${this.buf.length} bytes`)
    return this.buf
  }
}

export class Reader {
  private off = 0
  constructor(
    private readonly buf: Uint8Array,
    readonly culprit: number,
  ) {}
  private need(n: number, what: string): void {
    if (this.off + n > this.buf.length)
      throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, `truncated ${what}`, this.culprit)
  }
  u8(what = 'u8'): number {
    this.need(1, what)
    return this.buf[this.off++]!
  }
  u16(what = 'u16'): number {
    this.need(2, what)
    const v = (this.buf[this.off]! << 8) | this.buf[this.off + 1]!
    this.off += 2
    return v
  }
  bytes(len: number, what = 'bytes'): Uint8Array {
    this.need(len, what)
    const v = this.buf.subarray(this.off, this.off + len)
    this.off += len
    return v
  }
  scalar(what = 'scalar'): bigint {
    return decodeScalar(this.bytes(32, what), this.culprit, what)
  }
  /** A scalar read without the < q check; only for values that are reduced by construction and re-checked. */
  scalarAt(off: number): bigint {
    const x = bytesToBig(this.buf, off)
    if (x >= q)
      throw invalidMessage(ErrorCodes.MALFORMED_MESSAGE, 'scalar not below the group order', this.culprit)
    return x
  }
  point(what = 'point'): Point {
    return decodePoint(this.bytes(33, what), this.culprit, what)
  }
  /** The raw 33 bytes of a point, after validating it (on the curve, not the identity). */
  pointBytes(what = 'point'): Uint8Array {
    const b = this.bytes(33, what)
    if (!curve().isPoint(b))
      throw invalidMessage(
        ErrorCodes.MALFORMED_MESSAGE,
        `${what}: not a valid compressed point`,
        this.culprit,
      )
    return b
  }
  get offset(): number {
    return this.off
  }
  end(): void {
    if (this.off !== this.buf.length)
      throw invalidMessage(
        ErrorCodes.MALFORMED_MESSAGE,
        `${this.buf.length - this.off} trailing bytes`,
        this.culprit,
      )
  }
}

/**
 * Parse and check a header against what the round expects. A wrong session is SESSION_MISMATCH
 * (abort without ban: the mismatch may come from a relay, TOB-SILA-8); anything else is malformed.
 */
export function readHeader(
  msg: InMessage,
  expect: { protocol: ProtocolId; round: number; to: number; session: Uint8Array | null },
): Reader {
  const r = new Reader(msg.payload, msg.from)
  const version = r.u8('version')
  const protocol = r.u8('protocol')
  const round = r.u8('round')
  const from = r.u16('from')
  const to = r.u16('to')
  const session = r.bytes(32, 'session')
  const fail = (why: string) => invalidMessage(ErrorCodes.UNEXPECTED_MESSAGE, why, msg.from)
  if (version !== WIRE_VERSION) throw fail(`unsupported wire version ${version}`)
  if (protocol !== expect.protocol) throw fail('message of another protocol')
  if (round !== expect.round) throw fail(`message of round ${round}, expected round ${expect.round}`)
  if (from !== msg.from) throw fail('sender field does not match the authenticated sender')
  if (to !== expect.to) throw fail('message addressed to another party')
  if (expect.session) {
    let d = 0
    for (let i = 0; i < 32; i++) d |= session[i]! ^ expect.session[i]!
    if (d !== 0) throw invalidMessage(ErrorCodes.SESSION_MISMATCH, 'message of another session', msg.from)
  }
  return r
}

/** Collect exactly one message from each expected sender. */
export function collect(
  msgs: readonly InMessage[],
  senders: readonly number[],
  round: number,
): Map<number, InMessage> {
  const out = new Map<number, InMessage>()
  const want = new Set(senders)
  for (const m of msgs) {
    if (!want.has(m.from))
      throw invalidMessage(
        ErrorCodes.UNEXPECTED_MESSAGE,
        `round ${round}: unexpected sender ${m.from}`,
        m.from,
      )
    if (out.has(m.from))
      throw invalidMessage(
        ErrorCodes.DUPLICATE_MESSAGE,
        `round ${round}: two messages from ${m.from}`,
        m.from,
      )
    out.set(m.from, m)
  }
  for (const s of senders)
    if (!out.has(s))
      throw invalidMessage(ErrorCodes.MISSING_MESSAGE, `round ${round}: no message from ${s}`, s)
  return out
}
