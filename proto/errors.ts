import { NodeError } from '../node/errors.ts'

// Stable codes for bytes that came off the wire. Every malformed, oversized or semantically invalid
// message becomes one of these; a peer's bytes never surface as a plain Error or crash the node.
export const WireErrorCode = {
  /** The frame is bigger than the limit for its kind. */
  TooLarge: 'WIRE_TOO_LARGE',
  /** The bytes are not a (canonical) protobuf encoding of the expected message. */
  Malformed: 'WIRE_MALFORMED',
  /** The message parses but a field is out of range, missing or inconsistent. */
  Invalid: 'WIRE_INVALID',
} as const
export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode]

const PEER_HINT = 'drop the message and count it against the sending peer'

export function wireTooLarge(what: string, size: number, limit: number): NodeError {
  return new NodeError(WireErrorCode.TooLarge, `${what} too large`, {
    hints: [PEER_HINT],
    details: { message: what, size, limit },
    status: 413,
  })
}

export function wireMalformed(what: string, reason: string, cause?: unknown): NodeError {
  // The cause is protobufjs' own error: it names offsets and wire types, never message contents.
  return new NodeError(WireErrorCode.Malformed, `malformed ${what}`, {
    hints: [PEER_HINT],
    details: { message: what, reason },
    status: 400,
    cause,
  })
}

export function wireInvalid(what: string, field: string, reason: string): NodeError {
  return new NodeError(WireErrorCode.Invalid, `invalid ${what}: ${field}`, {
    hints: [PEER_HINT],
    details: { message: what, field, reason },
    status: 400,
  })
}
