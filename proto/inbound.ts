import { NodeError } from '../node/errors.ts'
import { decodeEnvelope } from './codec.ts'
import type { Envelope, WireLimits } from './types.ts'
import { DEFAULT_WIRE_LIMITS } from './types.ts'

/**
 * Decodes a frame received from `fromPeerId` (the Noise-authenticated libp2p identity, never a field
 * of the message) and checks that the claimed sender slot belongs to that peer in `committee`
 * (threats.md #2: the inner `from` field is never trusted on its own) and, for direct messages,
 * that the recipient slot is ours.
 *
 * Throws the codec's WIRE_* errors, or WIRE_SENDER_MISMATCH / WIRE_NOT_FOR_US with the peer named.
 */
export function decodeInbound(
  fromPeerId: string,
  bytes: Uint8Array,
  ctx: { committee: readonly string[]; self: string; limits?: WireLimits },
): Envelope {
  const env = decodeEnvelope(bytes, ctx.limits ?? DEFAULT_WIRE_LIMITS)
  const claimed = ctx.committee[env.sender - 1]
  if (claimed !== fromPeerId) {
    throw new NodeError('WIRE_SENDER_MISMATCH', 'sender slot does not belong to the authenticated peer', {
      details: { peerId: fromPeerId, sender: env.sender },
      hints: ['drop the message; the peer spoofs another party and is a culprit'],
      status: 400,
    })
  }
  if (env.kind === 'direct' && ctx.committee[env.to - 1] !== ctx.self) {
    throw new NodeError('WIRE_NOT_FOR_US', 'direct message addressed to another slot', {
      details: { peerId: fromPeerId, to: env.to },
      hints: ['drop the message; a correct peer never misroutes a direct message'],
      status: 400,
    })
  }
  return env
}
