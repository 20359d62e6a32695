// Property tests: any single edit, deletion or adjacent swap in a chain is caught at that record.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../identity/canonical.ts'
import { type AuditRecord, GENESIS_HASH, makeRecord } from './record.ts'
import { verifyAuditLines } from './verify.ts'

function chain(n: number): string[] {
  const out: AuditRecord[] = []
  for (let i = 0; i < n; i++) {
    out.push(
      makeRecord(
        i,
        1_000 + i,
        'tx',
        { chainId: 1, txHash: `0x${sha256Hex(String(i))}` },
        out[i - 1]?.hash ?? GENESIS_HASH,
      ),
    )
  }
  return out.map((r) => JSON.stringify(r))
}

describe('verifyAuditLines (properties)', () => {
  it('an edit of any field of any record is named at that record', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.nat(),
        fc.constantFrom('ts', 'kind', 'data', 'chainId'),
        (n, k, field) => {
          const lines = chain(n)
          const i = k % n
          const r = JSON.parse(lines[i])
          if (field === 'ts') r.ts += 1
          else if (field === 'kind') r.kind = 'signature'
          else if (field === 'data') r.data.txHash = `0x${'f'.repeat(64)}`
          else r.data.chainId = 2
          lines[i] = JSON.stringify(r)
          expect(verifyAuditLines(lines)).toEqual({ ok: false, index: i, seq: i, problem: 'changed' })
        },
      ),
    )
  })

  it('a deletion of any record but the last is named by its seq; the last needs the anchor', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(), (n, k) => {
        const lines = chain(n)
        const head = JSON.parse(lines[n - 1])
        const i = k % n
        lines.splice(i, 1)
        const expected = { ok: false, index: i, seq: i, problem: 'removed' }
        if (i < n - 1) expect(verifyAuditLines(lines)).toEqual(expected)
        expect(verifyAuditLines(lines, { anchor: { seq: head.seq, hash: head.hash } })).toEqual(expected)
      }),
    )
  })

  it('a swap of two records is named at the first displaced one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(), fc.nat(), (n, a, b) => {
        const i = a % n
        const j = b % n
        fc.pre(i !== j)
        const [lo, hi] = i < j ? [i, j] : [j, i]
        const lines = chain(n)
        ;[lines[lo], lines[hi]] = [lines[hi], lines[lo]]
        expect(verifyAuditLines(lines)).toEqual({ ok: false, index: lo, seq: hi, problem: 'reordered' })
      }),
    )
  })

  it('never throws on arbitrary input lines', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.json())), (lines) => {
        const r = verifyAuditLines(lines)
        expect(typeof r.ok).toBe('boolean')
      }),
    )
  })
})
