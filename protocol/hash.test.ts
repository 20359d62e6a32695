import { keccakP } from '@noble/hashes/sha3.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { defineTag, hash, hashReference, registeredTags } from './hash.ts'
import { keccakP1600 } from './keccak.ts'
import './dkg/party.ts'
import './sign/party.ts'

describe('hash family', () => {
  it('the local Keccak permutation equals noble’s for 12 and 24 rounds', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 200, maxLength: 200 }),
        fc.constantFrom(12, 24),
        (bytes, rounds) => {
          const a = new Uint32Array(bytes.slice().buffer)
          const b = a.slice()
          keccakP(a, rounds)
          keccakP1600(b, rounds)
          expect([...b]).toEqual([...a])
        },
      ),
      { numRuns: 200 },
    )
  })

  it('fast single-block and multi-block paths equal noble’s TurboSHAKE256 over the same encoding', () => {
    const tag = defineTag('test/equivalence')
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 400 }),
        (parts, dkLen) => {
          expect(hash(tag, parts, dkLen)).toEqual(hashReference(tag, parts, dkLen))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('is unambiguous: tuples with the same concatenation hash differently (TSSHOCK)', () => {
    const tag = defineTag('test/tuples')
    const a = hash(tag, [new Uint8Array([1, 2]), new Uint8Array([3])])
    const b = hash(tag, [new Uint8Array([1]), new Uint8Array([2, 3])])
    expect(a).not.toEqual(b)
  })

  it('every domain tag is versioned and registered once', () => {
    const tags = registeredTags()
    expect(new Set(tags).size).toBe(tags.length)
    for (const t of tags) expect(t.startsWith('stv3-dkls23/v1/')).toBe(true)
    expect(() => defineTag('sign/sid')).toThrow(/twice/)
  })
})
