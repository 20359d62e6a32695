// `mpc-node simulate`: a cluster of nodes through a seeded, simulated network with faults injected;
// prints a summary (or --json), optionally writes an HTML report, and exits 1 if an invariant failed.
// Flags: config.ts (HELP); fault grammar: faults/spec.ts and simulations/README.md.

import '../node/runtime/polyfill.ts'
import { writeFileSync } from 'node:fs'
import { useFastCurve } from '../node/crypto/fast-curve.ts'
import { HELP, type OutputOptions, parseSimArgs, type SimConfig } from './config.ts'
import { inprocessEngine } from './engine/inprocess.ts'
import { processesEngine } from './engine/processes.ts'
import type { Progress, SimulationEngine } from './engine/types.ts'
import { SimErrorCodes, SimulationError } from './errors.ts'
import { buildReport, type Report, withoutWallClock } from './report/build.ts'
import { renderHtml } from './report/html.ts'
import { progressBar } from './report/progress.ts'
import { renderSummary } from './report/summary.ts'

export type SimIo = { out(text: string): void; err(text: string): void; isTTY?: boolean }

export const ENGINES: Record<SimConfig['engine'], SimulationEngine> = {
  inprocess: inprocessEngine,
  processes: processesEngine,
}

export type RunOptions = { replay?: boolean; progress?: (p: Progress) => void }

/** Run a simulation and build its report; with `replay`, run it twice and compare outcome digests. */
export async function runSimulation(config: SimConfig, opts: RunOptions = {}): Promise<Report> {
  useFastCurve()
  const engine = ENGINES[config.engine]
  const report = buildReport(await engine.run(config, { progress: opts.progress }))
  if (!opts.replay) {
    report.invariants.push({
      name: 'deterministic',
      status: 'skipped',
      detail: `not replayed (--no-replay); outcome digest ${report.outcomeDigest.slice(0, 16)}…`,
    })
    return report
  }
  const again = buildReport(
    await engine.run(config, {
      progress: opts.progress && ((p) => opts.progress?.({ ...p, phase: 'replay' })),
    }),
  )
  const same = again.outcomeDigest === report.outcomeDigest
  report.invariants.push({
    name: 'deterministic',
    status: same ? 'pass' : 'fail',
    detail: same
      ? `replayed from the seed: identical outcome digest ${report.outcomeDigest.slice(0, 16)}…`
      : `replay gave digest ${again.outcomeDigest.slice(0, 16)}…, first run ${report.outcomeDigest.slice(0, 16)}…`,
  })
  return report
}

const processIo = (): SimIo => ({
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTTY: process.stderr.isTTY === true,
})

/**
 * The CLI entry. Takes the arguments after `simulate`, or the launcher's { argv, io } object
 * (node/cli/scenarios.ts). Returns the exit code.
 */
export default async function simulate(
  args: readonly string[] | { argv: readonly string[]; io?: SimIo },
): Promise<number> {
  const argv = Array.isArray(args) ? (args as readonly string[]) : (args as { argv: readonly string[] }).argv
  const io: SimIo = (!Array.isArray(args) && (args as { io?: SimIo }).io) || processIo()
  let config: SimConfig
  let output: OutputOptions
  try {
    ;({ config, output } = parseSimArgs(argv))
  } catch (e) {
    return fail(io, e)
  }
  if (output.help) {
    io.out(HELP)
    return 0
  }
  // The launcher's io does not say whether stderr is a terminal; the bar writes to process.stderr.
  const tty = io.isTTY ?? process.stderr.isTTY === true
  const showProgress = output.progress === 'auto' ? tty && !output.quiet : output.progress
  const bar = showProgress ? progressBar((t) => process.stderr.write(t)) : undefined
  let report: Report
  try {
    report = await runSimulation(config, {
      replay: output.replay && config.engine !== 'processes',
      progress: bar?.update,
    })
  } catch (e) {
    bar?.done()
    return fail(io, e)
  } finally {
    bar?.done()
  }
  if (output.reportFile) {
    writeFileSync(output.reportFile, renderHtml(report))
    io.err(`report written to ${output.reportFile}`)
  }
  if (output.json)
    io.out(JSON.stringify(output.deterministicReport ? withoutWallClock(report) : report, null, 2))
  else if (!output.quiet) io.out(renderSummary(report))
  return report.invariants.some((i) => i.status === 'fail') ? 1 : 0
}

function fail(io: SimIo, e: unknown): number {
  if (e instanceof SimulationError) {
    io.err(`${e.code}: ${e.message}`)
    for (const h of e.hints) io.err(`  ${h}`)
    return e.code === SimErrorCodes.USAGE ||
      e.code === SimErrorCodes.FAULT_SPEC ||
      e.code === SimErrorCodes.ENGINE_UNAVAILABLE
      ? 2
      : 1
  }
  io.err(`simulation failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  return 1
}

// Run directly: `npx tsx simulations/simulate.ts --nodes 3 …`
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  simulate(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
