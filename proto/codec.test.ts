import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { isNodeError } from '../node/errors.ts'
import { decodeControl, decodeEnvelope, encodeControl, encodeEnvelope } from './codec.ts'
import { stv3 } from './gen/mpc.js'
import { peerIdFromBytes, peerIdToBytes } from './peer-id.ts'
import type { Control, Envelope, Proposal } from './types.ts'
import { DEFAULT_WIRE_LIMITS } from './types.ts'

const WIRE_CODES = ['WIRE_TOO_LARGE', 'WIRE_MALFORMED', 'WIRE_INVALID']
const b = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill)
const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex')

function code(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    if (isNodeError(e)) return e.code
    throw e
  }
  return 'OK'
}

/** Calls the decoder and fails the test if it throws anything but a typed wire error. */
function decodesOrWireError(f: () => unknown): void {
  try {
    f()
  } catch (e) {
    if (!isNodeError(e) || !WIRE_CODES.includes(e.code))
      throw new Error(`untyped error escaped: ${String(e)}`)
  }
}

const envelope = (over: Partial<Envelope> = {}): Envelope => ({
  protocol: 'sign',
  keyId: b(32, 1),
  sessionId: b(32, 2),
  round: 2,
  sender: 1,
  to: 3,
  kind: 'direct',
  payload: b(100, 9),
  ...over,
})

let peers: string[] = []
const proposal = (over: Partial<Proposal> = {}): Proposal => ({
  kind: 'sign',
  sessionNonce: b(32, 4),
  committee: peers,
  threshold: 2,
  keyId: b(32, 1),
  signers: [1, 3],
  request: new TextEncoder().encode('{"tx":"0x02"}'),
  derivationPath: [0x8000002c, 60],
  epoch: 3,
  newCommittee: [],
  newThreshold: 0,
  timeoutMs: 30_000,
  ...over,
})

beforeAll(async () => {
  peers = await Promise.all(
    [1, 2, 3].map(async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()),
  )
})

describe('envelope', () => {
  it('round-trips and returns plain Uint8Arrays that do not alias the frame', () => {
    const bytes = encodeEnvelope(envelope())
    const env = decodeEnvelope(bytes)
    expect(env.protocol).toBe('sign')
    expect(env.kind).toBe('direct')
    expect([env.sender, env.to, env.round]).toEqual([1, 3, 2])
    expect(hex(env.payload)).toBe(hex(b(100, 9)))
    expect(Buffer.isBuffer(env.payload)).toBe(false)
    bytes.fill(0)
    expect(hex(env.payload)).toBe(hex(b(100, 9)))
  })

  it('rejects a frame over the size limit before parsing it', () => {
    const limits = { ...DEFAULT_WIRE_LIMITS, maxEnvelopeBytes: 1000 }
    const bytes = encodeEnvelope(envelope({ payload: b(2000) }))
    expect(code(() => decodeEnvelope(bytes, limits))).toBe('WIRE_TOO_LARGE')
  })

  it('rejects unknown fields and other non-canonical encodings', () => {
    const bytes = encodeEnvelope(envelope())
    const withUnknown = Uint8Array.from([...bytes, 0x50, 0x01]) // field 10 varint 1
    expect(code(() => decodeEnvelope(withUnknown))).toBe('WIRE_MALFORMED')
    const explicitDefault = Uint8Array.from([0x28, 0x00, ...bytes]) // round = 0 written explicitly
    expect(code(() => decodeEnvelope(explicitDefault))).toBe('WIRE_MALFORMED')
  })

  it('rejects an unknown version, protocol or delivery kind', () => {
    const ok = new stv3.mpc.v1.Envelope({
      version: 1,
      protocol: 2,
      keyId: b(32),
      sessionId: b(32),
      round: 1,
      sender: 1,
      kind: 1,
      payload: b(3),
    })
    expect(code(() => decodeEnvelope(stv3.mpc.v1.Envelope.encode(ok).finish()))).toBe('OK')
    for (const bad of [{ version: 2 }, { protocol: 9 }, { protocol: 0 }, { kind: 7 }]) {
      const m = new stv3.mpc.v1.Envelope({ ...ok, ...bad })
      expect(code(() => decodeEnvelope(stv3.mpc.v1.Envelope.encode(m).finish()))).toBe('WIRE_INVALID')
    }
  })

  it('rejects inconsistent addressing: slot 0, self-addressed, broadcast with a recipient', () => {
    expect(code(() => encodeEnvelope(envelope({ sender: 0 })))).toBe('WIRE_INVALID')
    expect(code(() => encodeEnvelope(envelope({ to: 1 })))).toBe('WIRE_INVALID')
    expect(code(() => encodeEnvelope(envelope({ kind: 'broadcast', to: 2 })))).toBe('WIRE_INVALID')
    expect(code(() => encodeEnvelope(envelope({ kind: 'direct', to: 0 })))).toBe('WIRE_INVALID')
    expect(code(() => encodeEnvelope(envelope({ sessionId: b(31) })))).toBe('WIRE_INVALID')
    expect(code(() => encodeEnvelope(envelope({ payload: b(0) })))).toBe('WIRE_INVALID')
    expect(code(() => encodeEnvelope(envelope({ protocol: 'control', round: 1 })))).toBe('WIRE_INVALID')
  })
})

describe('control', () => {
  it('round-trips every control message', () => {
    const messages: Control[] = [
      { type: 'proposal', proposal: proposal() },
      {
        type: 'proposal',
        proposal: proposal({ kind: 'dkg', signers: [], request: b(0), derivationPath: [] }),
      },
      {
        type: 'proposal',
        proposal: proposal({
          kind: 'reshare',
          derivationPath: [],
          newCommittee: peers.slice(0, 2),
          newThreshold: 2,
        }),
      },
      {
        type: 'response',
        response: { sessionNonce: b(32), accept: true, contribution: b(32, 5), reasons: [] },
      },
      {
        type: 'response',
        response: { sessionNonce: b(32), accept: false, code: 'POLICY_DENIED', reasons: ['limit'] },
      },
      {
        type: 'start',
        start: {
          sessionNonce: b(32),
          contributions: [
            { slot: 1, value: b(32, 1) },
            { slot: 3, value: b(32, 3) },
          ],
        },
      },
      { type: 'result', result: { sessionId: b(32), output: b(65), transcriptHash: b(32) } },
      {
        type: 'abort',
        abort: { sessionId: b(32), code: 'ROUND_TIMEOUT', culprits: [2, 3], reason: 'slot 2 silent' },
      },
    ]
    for (const m of messages) {
      const back = decodeControl(encodeControl(m))
      expect(JSON.stringify(back, (_k, v) => (v instanceof Uint8Array ? hex(v) : v))).toBe(
        JSON.stringify(m, (_k, v) => (v instanceof Uint8Array ? hex(v) : v)),
      )
    }
  })

  it('carries committee peer ids as binary Ed25519 multihashes', () => {
    const bytes = peerIdToBytes(peers[0])
    expect(bytes.length).toBe(38)
    expect(peerIdFromBytes(bytes)).toBe(peers[0])
    expect(peerIdFromBytes(bytes.slice(1))).toBeUndefined()
    expect(code(() => peerIdToBytes('not-a-peer'))).toBe('PEER_ID_INVALID')
  })

  it('rejects proposals that would raise or break the threshold', () => {
    const bad: Partial<Proposal>[] = [
      { threshold: 4 }, // more than n
      { threshold: 1 },
      { committee: [peers[0], peers[0], peers[1]] }, // duplicate member
      { signers: [1] }, // fewer than threshold
      { signers: [3, 1] }, // not ascending
      { signers: [1, 4] }, // outside the committee
      { sessionNonce: b(16) },
      { request: b(0) }, // signing without a request
      { kind: 'dkg', signers: [], request: b(0) }, // derivation path outside signing
      { newCommittee: peers }, // new committee outside resharing
      { timeoutMs: 0 },
    ]
    for (const over of bad) {
      expect(
        code(() => encodeControl({ type: 'proposal', proposal: proposal(over) })),
        JSON.stringify(over),
      ).toBe('WIRE_INVALID')
    }
  })

  it('rejects a response whose accept flag and fields disagree', () => {
    const raw = (r: stv3.mpc.v1.ProposalResponse.$Properties) =>
      stv3.mpc.v1.Control.encode(new stv3.mpc.v1.Control({ response: r })).finish()
    expect(code(() => decodeControl(raw({ sessionNonce: b(32), accept: true })))).toBe('WIRE_INVALID')
    expect(code(() => decodeControl(raw({ sessionNonce: b(32), accept: false, contribution: b(32) })))).toBe(
      'WIRE_INVALID',
    )
    expect(code(() => decodeControl(raw({ sessionNonce: b(32), accept: false, code: 'lower' })))).toBe(
      'WIRE_INVALID',
    )
    expect(
      code(() => decodeControl(raw({ sessionNonce: b(32), accept: false, code: 'X', reasons: ['a\nb'] }))),
    ).toBe('WIRE_INVALID')
  })

  it('rejects a control message with two bodies or none', () => {
    const two = Uint8Array.from([
      ...encodeControl({ type: 'result', result: { sessionId: b(32), output: b(1), transcriptHash: b(32) } }),
      ...encodeControl({ type: 'abort', abort: { sessionId: b(32), code: 'X', culprits: [], reason: '' } }),
    ])
    expect(code(() => decodeControl(two))).not.toBe('OK')
    expect(code(() => decodeControl(new Uint8Array(0)))).toBe('WIRE_INVALID')
  })
})

describe('valid envelopes round-trip', () => {
  const arbEnvelope = fc
    .record({
      protocol: fc.constantFrom('dkg', 'sign', 'refresh', 'reshare') as fc.Arbitrary<Envelope['protocol']>,
      keyId: fc.uint8Array({ minLength: 1, maxLength: 64 }),
      sessionId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      round: fc.integer({ min: 0, max: 0xffff }),
      sender: fc.integer({ min: 1, max: 255 }),
      to: fc.integer({ min: 0, max: 255 }),
      payload: fc.uint8Array({ minLength: 1, maxLength: 2000 }),
    })
    .filter((e) => e.to !== e.sender)
    .map((e): Envelope => ({ ...e, kind: e.to === 0 ? 'broadcast' : 'direct' }))

  it('decode(encode(e)) equals e, byte for byte', () => {
    fc.assert(
      fc.property(arbEnvelope, (e) => {
        const d = decodeEnvelope(encodeEnvelope(e))
        expect({ ...d, keyId: hex(d.keyId), sessionId: hex(d.sessionId), payload: hex(d.payload) }).toEqual({
          ...e,
          keyId: hex(e.keyId),
          sessionId: hex(e.sessionId),
          payload: hex(e.payload),
        })
      }),
      { numRuns: 500 },
    )
  })
})

describe('decoders never throw anything but a typed wire error', () => {
  const small = { ...DEFAULT_WIRE_LIMITS, maxEnvelopeBytes: 4096 }

  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
        decodesOrWireError(() => decodeEnvelope(bytes, small))
        decodesOrWireError(() => decodeControl(bytes, small))
      }),
      { numRuns: 3000 },
    )
  })

  it('on truncated and bit-flipped valid messages', () => {
    const valid = [
      encodeEnvelope(envelope()),
      encodeEnvelope(envelope({ protocol: 'control', round: 0, kind: 'broadcast', to: 0 })),
      encodeControl({ type: 'proposal', proposal: proposal() }),
      encodeControl({
        type: 'start',
        start: {
          sessionNonce: b(32),
          contributions: [
            { slot: 1, value: b(32) },
            { slot: 2, value: b(32) },
          ],
        },
      }),
    ]
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (msg, cut, pos, mask) => {
          const truncated = msg.slice(0, cut % msg.length)
          const flipped = Uint8Array.from(msg)
          flipped[pos % msg.length] ^= mask
          for (const bytes of [truncated, flipped]) {
            decodesOrWireError(() => decodeEnvelope(bytes))
            decodesOrWireError(() => decodeControl(bytes))
          }
          // A truncated frame never decodes to the same message.
          expect(code(() => decodeEnvelope(truncated))).not.toBe('OK')
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('on oversized input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4097, max: 20_000 }), (n) => {
        expect(code(() => decodeEnvelope(new Uint8Array(n), small))).toBe('WIRE_TOO_LARGE')
        expect(code(() => decodeControl(new Uint8Array(n), small))).toBe('WIRE_TOO_LARGE')
      }),
      { numRuns: 50 },
    )
  })
})
