// Reports: the same seed gives the same outcome (digest and deterministic JSON), the CLI entry prints
// one JSON object and exits by the invariants, the HTML report is self-contained and well-formed.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SIGN } from '../test/adversarial/tamper.ts'
import { clearDkgMemo } from './engine/dkg-phase.ts'
import { SIGN_OFFSETS } from './faults/malicious.ts'
import type { Report } from './report/build.ts'
import simulate from './simulate.ts'
import { scenario } from './testkit.ts'

const dir = mkdtempSync(join(tmpdir(), 'sim-report-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function cli(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await simulate({ argv: args, io: { out: (t) => out.push(t), err: (t) => err.push(t) } })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

const base = ['--nodes', '3', '--signatures', '3', '--seed', 'sim-report']
const faults = ['--faults', 'drop:0.05,reorder:0.2,duplicate:0.1,malicious:3=rvole-mu', '--concurrency', '2']

describe('same seed, same outcome', () => {
  it('replays a faulty run to the same outcome digest (the deterministic invariant)', async () => {
    const r = await scenario([...base, ...faults], true)
    expect(r.invariants.find((i) => i.name === 'deterministic')).toMatchObject({ status: 'pass' })
    const other = await scenario([...base, '--faults', 'drop:0.05,reorder:0.2,duplicate:0.1'])
    expect(other.outcomeDigest).not.toBe(r.outcomeDigest)
  })

  it('--deterministic-report prints identical bytes for the same seed, also from a fresh DKG', async () => {
    const a = await cli([...base, ...faults, '--deterministic-report', '--no-replay'])
    clearDkgMemo()
    const b = await cli([...base, ...faults, '--deterministic-report', '--no-replay'])
    expect(a.code).toBe(0)
    expect(b.stdout).toBe(a.stdout)
    const parsed = JSON.parse(a.stdout) as Record<string, unknown>
    expect(JSON.stringify(parsed)).not.toMatch(/wallMs|"compute"|computeMs|perWallSecond/)
  })
})

describe('the CLI entry', () => {
  let report: Report
  it('--json prints one JSON object with every section, exit 0', async () => {
    const r = await cli([...base, ...faults, '--json', '--report', join(dir, 'r.html')])
    expect(r.code).toBe(0)
    report = JSON.parse(r.stdout) as Report
    for (const k of [
      'config',
      'seed',
      'totals',
      'latency',
      'throughput',
      'rounds',
      'bytesPerParty',
      'faults',
      'invariants',
      'outcomeDigest',
    ])
      expect(report).toHaveProperty(k)
    expect(Object.keys(report.latency.total)).toEqual(['count', 'mean', 'p50', 'p95', 'p99', 'max'])
    expect(report.invariants.map((i) => [i.name, i.status])).toEqual([
      ['valid-signatures', 'pass'],
      ['attribution', 'pass'],
      ['no-honest-banned', 'pass'],
      ['recovery', 'pass'],
      ['deterministic', 'pass'],
    ])
    expect(report.rounds.map((x) => `${x.protocol}${x.round}`)).toEqual([
      'dkg1',
      'dkg2',
      'dkg3',
      'dkg4',
      'sign1',
      'sign2',
      'sign3',
      'sign4',
    ])
    expect(r.stderr).toContain('report written to')
  })

  it('writes a self-contained, well-formed HTML report', () => {
    const html = readFileSync(join(dir, 'r.html'), 'utf8')
    expect(checkWellFormed(html)).toEqual([])
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i)
    // histogram, throughput, DKG rounds, signing rounds, bytes per node
    expect((html.match(/<svg /g) ?? []).length).toBe(5)
    expect(new Set(html.match(/https?:\/\/[^"]*/g))).toEqual(new Set(['http://www.w3.org/2000/svg']))
    for (const text of [
      'Invariants',
      'Latency',
      'Throughput',
      'Time per round',
      'Bytes per node',
      'Faults injected',
    ])
      expect(html).toContain(`<h2>${text}</h2>`)
    expect(html).toContain('malicious:3=rvole-mu')
    expect(html).toContain(report.outcomeDigest)
  })

  it('prints a summary, and --help', async () => {
    const r = await cli([...base, '--no-replay'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('pass  valid-signatures')
    const h = await cli(['--help'])
    expect(h.code).toBe(0)
    expect(h.stdout).toContain('--faults SPEC')
  })

  it('exits 2 on a bad flag, a bad fault spec, or a message fault for the processes engine', async () => {
    const bad = await cli(['--faults', 'drop:2'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('SIM_FAULT_SPEC')
    expect((await cli(['--nodes', 'many'])).code).toBe(2)
    // Real processes take crash faults only; message faults need the in-process engine.
    const proc = await cli(['--engine', 'processes', '--faults', 'drop:0.1'])
    expect(proc.code).toBe(2)
    expect(proc.stderr).toContain('SIM_FAULT_SPEC: the processes engine injects crashes only, not drop')
  })
})

describe('tamper offsets', () => {
  it('match the malicious-party table', () => {
    expect(SIGN_OFFSETS.r2).toEqual({ u: SIGN.r2.u, x: SIGN.r2.x, t: SIGN.r2.t })
    const { salt, gammaU, gammaV, atilde, eta, mu } = SIGN.r3
    expect(SIGN_OFFSETS.r3).toEqual({ salt, gammaU, gammaV, atilde, eta, mu })
    expect(SIGN_OFFSETS.r4.w).toBe(SIGN.r4.w)
  })
})

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link'])

/** A strict well-formedness check: balanced tags, quoted attributes, escaped text. Returns problems. */
function checkWellFormed(html: string): string[] {
  const problems: string[] = []
  if (!html.startsWith('<!DOCTYPE html>')) problems.push('no doctype')
  const stack: string[] = []
  const tag = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!DOCTYPE html>/g
  let last = 0
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const text = html.slice(last, m.index)
    if (/[<>]/.test(text)) problems.push(`raw < or > in text near ${JSON.stringify(text.slice(0, 60))}`)
    if (/&(?!(amp|lt|gt|quot|#\d+);)/.test(text))
      problems.push(`bare & near ${JSON.stringify(text.slice(0, 60))}`)
    last = tag.lastIndex
    if (!m[2]) continue
    const [, close, name, , self] = m
    const lower = name!.toLowerCase()
    if (close) {
      const open = stack.pop()
      if (open !== lower) problems.push(`</${lower}> closes <${open}>`)
    } else if (!self && !VOID.has(lower)) stack.push(lower)
  }
  if (/[<>]/.test(html.slice(last).replace(/\s+$/, ''))) problems.push('trailing markup not parsed')
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' ')}`)
  return problems
}
