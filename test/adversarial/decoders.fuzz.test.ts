// Garbage, truncated, oversized and reordered messages never throw anything but a typed error, never
// crash, and never change a party's state (TOB-SILA-14: junk is dropped and the protocol completes).

import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { useFastCurve } from '../../node/crypto/fast-curve.ts'
import type { InMessage } from '../../protocol/codec.ts'
import * as dkgMsg from '../../protocol/dkg/messages.ts'
import { isProtocolError } from '../../protocol/errors.ts'
import { type KeyShare, parseKeyShare, serializeKeyShare } from '../../protocol/keyshare.ts'
import * as signMsg from '../../protocol/sign/messages.ts'
import { SignParty } from '../../protocol/sign/party.ts'
import { runDkg, runSign } from '../../simulations/inprocess/ceremony.ts'
import { deliveries } from '../../simulations/inprocess/driver.ts'
import { seededRng } from '../../simulations/seeded-rng.ts'

useFastCurve()

const sid = new Uint8Array(32).fill(9)
const decoders: [string, (m: InMessage) => unknown][] = [
  ['dkg r1', (m) => dkgMsg.decodeRound1(m, sid)],
  ['dkg r2', (m) => dkgMsg.decodeRound2(m, 2, sid)],
  ['dkg r3', (m) => dkgMsg.decodeRound3(m, 2, sid)],
  ['dkg r4', (m) => dkgMsg.decodeRound4(m, 2, sid)],
  ['sign r1', (m) => signMsg.decodeRound1(m, sid)],
  ['sign r2', (m) => signMsg.decodeRound2(m, 2, sid)],
  ['sign r3', (m) => signMsg.decodeRound3(m, 2, sid)],
  ['sign r4', (m) => signMsg.decodeRound4(m, sid)],
]

/** Decoding either succeeds or throws a typed, message-level ProtocolError blaming the sender. */
function typedOrOk(decode: (m: InMessage) => unknown, payload: Uint8Array, from = 1): void {
  try {
    decode({ from, payload })
  } catch (e) {
    if (!isProtocolError(e)) throw new Error(`untyped error: ${String(e)}`)
    expect(e.kind).toBe('invalid')
    expect(e.culprits).toEqual([from])
  }
}

let shares: Map<number, KeyShare>
let recorded: Map<number, Uint8Array[]>
beforeAll(() => {
  const rng = seededRng('fuzz')
  shares = runDkg(rng, 3, 2).shares
  recorded = new Map()
  runSign(rng, shares, [1, 2], new Uint8Array(32).fill(1), {
    tamper: (d) => {
      if (!recorded.has(d.round)) recorded.set(d.round, [])
      recorded.get(d.round)!.push(d.payload)
      return undefined
    },
  })
})

describe('decoders', () => {
  it.each(decoders)('%s: random bytes give typed errors only', (_, decode) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => typedOrOk(decode, b)),
      { numRuns: 300 },
    )
  })

  it('truncated, extended, bit-flipped and reordered real messages give typed errors only', () => {
    const real = [...recorded.values()].flat()
    fc.assert(
      fc.property(
        fc.constantFrom(...real),
        fc.constantFrom(...decoders.map((d) => d[1])),
        fc.nat(),
        fc.integer({ min: 0, max: 3 }),
        (msg, decode, n, mode) => {
          let b: Uint8Array
          if (mode === 0) b = msg.subarray(0, n % msg.length)
          else if (mode === 1) b = new Uint8Array([...msg, ...new Uint8Array((n % 64) + 1)])
          else if (mode === 2) {
            b = msg.slice()
            b[n % b.length]! ^= 1 << (n % 8)
          } else b = msg
          typedOrOk(decode, b)
        },
      ),
      { numRuns: 400 },
    )
  })

  it('an oversized message is refused before any work', () => {
    const big = new Uint8Array(4 << 20)
    for (const [, decode] of decoders) typedOrOk(decode, big)
  })

  it('key-share parsing refuses garbage, truncation and bit flips with a typed error', () => {
    const good = serializeKeyShare(shares.get(1)!)
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 2 }), (n, mode) => {
        const b =
          mode === 0 ? good.subarray(0, n % good.length) : mode === 1 ? new Uint8Array(n % 500) : good.slice()
        if (mode === 2) b[n % 200]! ^= 0x40 // header, ids, points or the secret share
        // Fields without internal redundancy (e.g. the DKG session id) may parse; integrity at rest is
        // the store's AEAD. What must never happen is an untyped error or a crash.
        try {
          parseKeyShare(b)
        } catch (e) {
          expect(isProtocolError(e) && e.code.startsWith('KEYSHARE_')).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('junk does not derail a session', () => {
  it('garbage from a committee member is rejected without changing state, and the signature completes', () => {
    const rng = seededRng('junk')
    const digest = new Uint8Array(32).fill(3)
    const ctx = rng.fill(new Uint8Array(32))
    const parties = [1, 2].map(
      (i) =>
        new SignParty({
          share: shares.get(i)!,
          signers: [1, 2],
          digest,
          context: ctx,
          rng: rng.fork(`${i}`),
        }),
    )
    let pending = parties.flatMap((p) => p.start())
    let outputs = 0
    while (outputs < 2) {
      const next: typeof pending = []
      for (const p of parties) {
        const mine = deliveries(pending, [1, 2]).filter((d) => d.to === p.index)
        // First: junk in place of the real message. Then the real message.
        for (const junk of [
          new Uint8Array(17),
          mine[0]!.payload.subarray(0, 50),
          new Uint8Array(mine[0]!.payload.length),
        ]) {
          let err: unknown
          try {
            p.next([{ from: mine[0]!.from, payload: junk }])
          } catch (e) {
            err = e
          }
          expect(isProtocolError(err) && err.kind === 'invalid').toBe(true)
        }
        const res = p.next(mine.map((d) => ({ from: d.from, payload: d.payload })))
        next.push(...res.messages)
        if (res.output) outputs++
      }
      pending = next
    }
    expect(outputs).toBe(2)
  })
})
