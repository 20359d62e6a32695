import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../protocol/errors.ts'
import { parseSimArgs } from './config.ts'
import { Checks } from './engine/checks.ts'
import { Coordinator } from './engine/coordinator.ts'
import { parseDuration, parseFaults } from './faults/spec.ts'
import { seededRng } from './seeded-rng.ts'

describe('--faults grammar', () => {
  it('parses every fault kind', () => {
    const p = parseFaults(
      'drop:0.01,delay:50ms,reorder:0.1,duplicate:0.05,partition:2@sign3-5,crash:3@round2,malicious:2=cote',
      5,
      10,
    )
    expect(p.drop).toBe(0.01)
    expect(p.delay).toEqual({ maxMs: 50, p: 1 })
    expect(p.reorder).toBe(0.1)
    expect(p.duplicate).toBe(0.05)
    expect(p.partitions).toEqual([{ spec: 'partition:2@sign3-5', nodes: [2], from: 3, to: 5 }])
    expect(p.crashes).toEqual([{ spec: 'crash:3@round2', node: 3, round: 2, sign: undefined, downMs: 1000 }])
    expect(p.malicious).toEqual([{ spec: 'malicious:2=cote', node: 2, cls: 'cote-u' }])
    expect(p.items.map((i) => i.kind)).toEqual([
      'drop',
      'delay',
      'reorder',
      'duplicate',
      'partition',
      'crash',
      'malicious',
    ])
  })

  it('parses the optional parts', () => {
    const p = parseFaults('delay:2s@0.25,partition:1+4@sign1-2,crash:2@round4/sign7~300ms', 5, 10)
    expect(p.delay).toEqual({ maxMs: 2000, p: 0.25 })
    expect(p.partitions[0]!.nodes).toEqual([1, 4])
    expect(p.crashes[0]).toMatchObject({ node: 2, round: 4, sign: 7, downMs: 300 })
    expect(parseDuration('15')).toBe(15)
    expect(parseDuration('1.5s')).toBe(1500)
  })

  it.each([
    ['drop:1.5', 'not in [0, 1]'],
    ['drop', 'expected kind:args'],
    ['flood:0.1', 'unknown fault kind'],
    ['drop:0.1,drop:0.2', 'given twice'],
    ['partition:9@sign1-2', 'not in 1..5'],
    ['partition:2@sign4-2', 'signature span'],
    ['partition:1+2+3+4+5@sign1-2', 'other side'],
    ['crash:2@round5', 'rounds 1..4'],
    ['crash:2@round2/sign11', 'not in 1..10'],
    ['malicious:2=rowhammer', 'unknown class'],
    ['malicious:2=w,malicious:2=cote-u', 'already malicious'],
    ['delay:fast', 'not a duration'],
  ])('refuses %s', (spec, why) => {
    expect(() => parseFaults(spec, 5, 10)).toThrow(why)
  })

  it('defaults the threshold to a majority and refuses bad flags', () => {
    expect(parseSimArgs(['--nodes', '5', '--seed', 'x']).config).toMatchObject({ nodes: 5, threshold: 3 })
    expect(() => parseSimArgs(['--nodes', '3', '--threshold', '4'])).toThrow('--threshold')
    expect(() => parseSimArgs(['--engine', 'threads'])).toThrow('--engine')
    expect(() => parseSimArgs(['--frobnicate'])).toThrow("Unknown option '--frobnicate'")
  })
})

describe('coordinator', () => {
  it('finds a signer set around banned pairs where a greedy pick would not', () => {
    // 1, 2 and 4 banned 5; 3 did not. Whatever the order, a set of 3 without 5 exists.
    const bans = new Map([
      [1, [5]],
      [2, [5]],
      [4, [5]],
    ])
    const banned = (a: number, b: number) => bans.get(a)?.includes(b) ?? false
    const c = new Coordinator(5, 3, seededRng('coordinator'), 10_000)
    c.suspect(1, 1, 0)
    c.suspect(2, 1, 0)
    c.suspect(4, 1, 0) // 3 and 5 come first in the order
    for (let k = 0; k < 20; k++) {
      const set = c.select(0, banned)
      expect(set).not.toBeNull()
      expect(set).not.toContain(5)
    }
    expect(new Coordinator(3, 3, seededRng('c'), 1).select(0, banned)).toEqual([1, 2, 3])
    const all = (a: number, b: number) => a !== b
    expect(new Coordinator(3, 2, seededRng('c'), 1).select(0, all)).toBeNull()
  })
})

describe('attribution bookkeeping', () => {
  it('judges a replayed payload by the session it is consumed in', () => {
    const checks = new Checks(new Map([[4, 'replay' as const]]))
    const payload = new Uint8Array([1, 2, 3])
    checks.markTampered(payload, 5, 4, 'replay') // replayed in session 5, first sent in session 3
    checks.step({ node: 1, session: 3, round: 2, msgs: [{ from: 4, payload }], ms: 0 })
    expect(checks.violations).toEqual([])
    checks.step({ node: 1, session: 5, round: 2, msgs: [{ from: 4, payload }], ms: 0 })
    expect(checks.violations).toHaveLength(1)
    expect(checks.violations[0]!.detail).toContain(
      'expected SESSION_MISMATCH naming 4 (replay), got no error',
    )
  })

  it('flags an honest failure that no malicious message explains, and ignores malicious nodes', () => {
    const checks = new Checks(new Map([[2, 'w' as const]]))
    const error = new ProtocolError('COTE_CHECK', 'ban', 'x', [3])
    checks.step({ node: 2, session: 1, round: 2, msgs: [], ms: 0, error })
    expect(checks.violations).toEqual([])
    checks.step({ node: 1, session: 1, round: 2, msgs: [], ms: 0, error })
    expect(checks.violations[0]!.detail).toContain('failed without any malicious input')
  })
})
