import { describe, expect, it } from 'vitest'
import { seededRng } from '../../simulations/seeded-rng.ts'
import { G, mod } from '../math/curve.ts'
import { receiverRespond, senderFinish, senderStart } from './base-ot.ts'
import { transposeColumns } from './bits.ts'
import { gfMul } from './gf128.ts'
import { pprfReceive, pprfSend } from './pprf.ts'
import { aliceRespond, bobFinish, bobStart } from './rvole.ts'

function setup(seed: string) {
  const rng = seededRng(seed)
  const sid = rng.fill(new Uint8Array(32))
  const choices = rng.fill(new Uint8Array(32))
  const s = senderStart(rng, sid)
  const r = receiverRespond(rng, sid, s.msg, choices, 2)
  const keys = senderFinish(s.state, sid, r.msg, 1)
  return { rng, sid, choices, keys, rkeys: r.keys }
}

describe('base OT', () => {
  it('receiver gets the chosen key, never the other', () => {
    const { choices, keys, rkeys } = setup('base-ot')
    for (let i = 0; i < 256; i++) {
      const w = (choices[i >>> 3]! >>> (i & 7)) & 1
      const chosen = keys.subarray(64 * i + 32 * w, 64 * i + 32 * w + 32)
      const other = keys.subarray(64 * i + 32 * (1 - w), 64 * i + 32 * (1 - w) + 32)
      expect(Buffer.from(rkeys.subarray(32 * i, 32 * i + 32)).equals(Buffer.from(chosen))).toBe(true)
      expect(Buffer.from(rkeys.subarray(32 * i, 32 * i + 32)).equals(Buffer.from(other))).toBe(false)
    }
  })
})

describe('all-but-one OT and RVOLE', () => {
  it('the receiver knows all leaves but the punctured one, and c + d = a·b', () => {
    const { rng, sid, choices, keys, rkeys } = setup('pprf')
    const s = pprfSend(sid, keys)
    const r = pprfReceive(sid, rkeys, choices, s.msg, 1)
    for (let j = 0; j < 64; j++) {
      const dj = (r.delta[j >>> 1]! >>> (4 * (j & 1))) & 0xf
      for (let y = 0; y < 16; y++) {
        const a = r.leaves.subarray((16 * j + y) * 32, (16 * j + y) * 32 + 32)
        const b = s.leaves.subarray((16 * j + y) * 32, (16 * j + y) * 32 + 32)
        expect(Buffer.from(a).equals(Buffer.from(b))).toBe(y !== dj)
      }
    }
    const pairSid = rng.fill(new Uint8Array(32))
    const bob = bobStart(rng, pairSid, s.leaves)
    const a1 = 12345n
    const a2 = mod(-7n)
    const alice = aliceRespond(rng, pairSid, r.leaves, r.delta, bob.msg, a1, a2, 2)
    const d = bobFinish(bob.state, pairSid, alice.msg, 1)
    expect(mod(alice.c1 + d.d1)).toBe(mod(a1 * bob.state.b))
    expect(mod(alice.c2 + d.d2)).toBe(mod(a2 * bob.state.b))
    expect(G.multiply(1n)).toBeDefined()
  })
})

describe('GF(2^128) and transpose', () => {
  it('multiplication is commutative and distributes', () => {
    const rng = seededRng('gf')
    for (let i = 0; i < 20; i++) {
      const a = new Uint32Array(rng.fill(new Uint8Array(16)).buffer)
      const b = new Uint32Array(rng.fill(new Uint8Array(16)).buffer)
      const c = new Uint32Array(rng.fill(new Uint8Array(16)).buffer)
      expect([...gfMul(a, b)]).toEqual([...gfMul(b, a)])
      const bc = b.map((x, k) => x ^ c[k]!)
      const lhs = gfMul(a, bc)
      const rhs = gfMul(a, b).map((x, k) => x ^ gfMul(a, c)[k]!)
      expect([...lhs]).toEqual([...rhs])
    }
  })
  it('transpose matches the naive bit gather', () => {
    const rng = seededRng('tr')
    const rows = 64
    const rowWords = 3
    const m = new Uint32Array(rng.fill(new Uint8Array(rows * rowWords * 4)).buffer)
    const t = transposeColumns(m, rows, rowWords, 64)
    for (let c = 0; c < 64; c++)
      for (let r = 0; r < rows; r++) {
        const want = (m[r * rowWords + (c >>> 5)]! >>> (c & 31)) & 1
        const got = (t[c * 2 + (r >>> 5)]! >>> (r & 31)) & 1
        expect(got).toBe(want)
      }
  })
})
