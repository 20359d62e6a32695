// Helpers for the simulator's tests: run a scenario from flags, assert the invariants.

import { expect } from 'vitest'
import { parseSimArgs } from './config.ts'
import type { Report } from './report/build.ts'
import { runSimulation } from './simulate.ts'

/** Run a scenario from CLI flags (no replay unless asked). */
export async function scenario(args: string[], replay = false): Promise<Report> {
  const { config } = parseSimArgs(args)
  return runSimulation(config, { replay })
}

/** Every invariant holds (determinism may be skipped); on failure, show the violations. */
export function expectInvariantsHold(r: Report): void {
  const failed = r.invariants.filter((i) => i.status === 'fail')
  expect(failed, JSON.stringify({ failed, violations: r.violations }, null, 2)).toEqual([])
  expect(r.violations).toEqual([])
}

export const fault = (r: Report, kind: string) => {
  const f = r.faults.find((x) => x.kind === kind)
  if (!f) throw new Error(`no ${kind} fault in the report`)
  return f
}

export const honestDetections = (r: Report, malicious: readonly number[]) =>
  r.signatures
    .flatMap((s) => s.attempts.flatMap((a) => a.detections))
    .filter((d) => !malicious.includes(d.node))
