// `mpc-node simulate --engine processes`: five real node processes, a crash and restart in the middle
// of the signing run; the cluster keeps signing and the report shows the fault.

import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import simulate from '../../simulations/simulate.ts'

it('five processes with a crash and restart keep signing; the report shows the fault', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-processes-'))
  const report = join(dir, 'report.html')
  const out: string[] = []
  const io = { out: (t: string) => out.push(t), err: () => undefined, isTTY: false }
  const code = await simulate({
    argv: [
      '--engine',
      'processes',
      '--nodes',
      '5',
      '--threshold',
      '3',
      '--signatures',
      '8',
      '--concurrency',
      '2',
      '--seed',
      '5',
      '--faults',
      'crash:2@round1/sign2~2s',
      '--json',
      '--report',
      report,
    ],
    io,
  })
  expect(code).toBe(0)
  const json = JSON.parse(out.join('')) as {
    totals?: unknown
    faults: { spec: string; injected: number }[]
    invariants: { name: string; status: string }[]
  }
  expect(json.faults).toEqual([expect.objectContaining({ spec: 'crash:2@round1/sign2~2s', injected: 1 })])
  for (const inv of json.invariants.filter((i) => i.name !== 'deterministic'))
    expect(inv).toMatchObject({ status: 'pass' })
  const html = readFileSync(report, 'utf8')
  expect(html).toContain('crash:2@round1/sign2~2s')
}, 300_000)
