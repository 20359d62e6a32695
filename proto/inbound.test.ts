import { describe, expect, it } from 'vitest'
import { isNodeError } from '../node/errors.ts'
import { encodeEnvelope } from './codec.ts'
import { decodeInbound } from './inbound.ts'
import type { Envelope } from './types.ts'

const committee = [
  '12D3KooWGRUVh7cYFv8ZpPdNhhLCe7GJfQCXGY4BjZnjRh2fFiPm',
  '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq',
  '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK',
]
const frame = (over: Partial<Envelope>) =>
  encodeEnvelope({
    protocol: 'dkg',
    keyId: new Uint8Array(32).fill(1),
    sessionId: new Uint8Array(32).fill(2),
    round: 1,
    sender: 2,
    to: 0,
    kind: 'broadcast',
    payload: Uint8Array.of(1),
    ...over,
  })

function code(f: () => unknown): string {
  try {
    f()
    return 'OK'
  } catch (e) {
    return isNodeError(e) ? e.code : 'UNTYPED'
  }
}

describe('decodeInbound', () => {
  const ctx = { committee, self: committee[0] }
  it('accepts a message whose sender slot is the authenticated peer', () => {
    expect(decodeInbound(committee[1], frame({}), ctx).sender).toBe(2)
    expect(code(() => decodeInbound(committee[1], frame({ kind: 'direct', to: 1 }), ctx))).toBe('OK')
  })
  it('rejects a spoofed sender slot (peer 3 claiming to be slot 2)', () => {
    expect(code(() => decodeInbound(committee[2], frame({}), ctx))).toBe('WIRE_SENDER_MISMATCH')
    expect(code(() => decodeInbound(committee[1], frame({ sender: 9 }), ctx))).toBe('WIRE_SENDER_MISMATCH')
  })
  it('rejects a direct message for another slot', () => {
    expect(code(() => decodeInbound(committee[1], frame({ kind: 'direct', to: 3 }), ctx))).toBe(
      'WIRE_NOT_FOR_US',
    )
  })
  it('passes codec errors through typed', () => {
    expect(code(() => decodeInbound(committee[1], Uint8Array.of(0xff, 0xff), ctx))).toMatch(/^WIRE_/)
  })
})
