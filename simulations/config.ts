// Flags of `mpc-node simulate` and the configuration they produce.

import { parseArgs } from 'node:util'
import { usage } from './errors.ts'
import { type FaultPlan, parseDuration, parseFaults } from './faults/spec.ts'

export type EngineName = 'inprocess' | 'processes'

export type NetworkModel = {
  /** Fixed one-way latency of every delivery. */
  latencyMs: number
  /** Mean of the exponential jitter added to it. */
  jitterMs: number
  /** Link bandwidth; a message of b bytes takes b·8/bandwidth on the wire. */
  bandwidthMbit: number
}

export type SimConfig = {
  nodes: number
  threshold: number
  signatures: number
  concurrency: number
  seed: string
  engine: EngineName
  faultSpec: string
  faults: FaultPlan
  network: NetworkModel
  /** A signing attempt not finished this long after it began is abandoned (simulated time). */
  timeoutMs: number
  /** Attempts per signature, the first included. */
  maxAttempts: number
  /** Wait before a retry. */
  backoffMs: number
  /** Half-life of the coordinator's suspicion of a node that stalled or was blamed. */
  suspicionHalfLifeMs: number
}

export type OutputOptions = {
  json: boolean
  /** JSON without wall-clock figures: identical for identical seeds. */
  deterministicReport: boolean
  reportFile?: string
  /** Run a second time and compare outcome digests (the determinism invariant). */
  replay: boolean
  quiet: boolean
  progress: boolean | 'auto'
  help: boolean
}

export const HELP = `Usage: mpc-node simulate [options]

Runs a cluster of nodes in one process through a seeded, simulated network: a DKG, then K signatures
with random signer sets, with faults injected; prints a summary and checks the invariants.

  --nodes N               committee size (default 3)
  --threshold T           signers per signature (default ⌊N/2⌋+1)
  --signatures K          signatures to produce (default 10)
  --concurrency C         signatures in flight at once (default 1)
  --seed S                seed of everything random (default: a fresh one, printed)
  --engine NAME           inprocess (default) | processes (not available in this build)
  --faults SPEC           e.g. drop:0.01,delay:50ms,reorder:0.1,duplicate:0.05,partition:2@sign3-5,
                          crash:3@round2,malicious:2=cote-u (grammar in simulations/README.md)
  --latency DUR           one-way latency (default 10ms)
  --jitter DUR            mean of the exponential jitter (default 5ms)
  --bandwidth MBIT        link bandwidth in Mbit/s (default 1000)
  --timeout DUR           per-attempt timeout in simulated time (default 2s)
  --max-attempts N        attempts per signature, retries included (default 8)
  --backoff DUR           wait before a retry (default 100ms)
  --json                  print one JSON object instead of the summary
  --deterministic-report  print the JSON without wall-clock figures (same seed, same bytes)
  --report FILE.html      write a self-contained HTML report
  --no-replay             skip the second run that checks the same seed gives the same outcome
  --no-progress           no progress bar (it shows on stderr when stderr is a terminal)
  --quiet                 no summary
Exit codes: 0 every invariant holds, 1 an invariant failed, 2 bad flags or fault spec.
`

const OPTIONS = {
  nodes: { type: 'string' },
  threshold: { type: 'string' },
  signatures: { type: 'string' },
  concurrency: { type: 'string' },
  seed: { type: 'string' },
  engine: { type: 'string' },
  faults: { type: 'string', multiple: true },
  latency: { type: 'string' },
  jitter: { type: 'string' },
  bandwidth: { type: 'string' },
  timeout: { type: 'string' },
  'max-attempts': { type: 'string' },
  backoff: { type: 'string' },
  json: { type: 'boolean' },
  'deterministic-report': { type: 'boolean' },
  report: { type: 'string' },
  'no-replay': { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  progress: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

function int(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback
  const v = Number(text)
  if (!Number.isInteger(v) || v < min || v > max)
    throw usage(`--${flag}: "${text}" is not an integer in ${min}..${max}`)
  return v
}

function dur(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  try {
    return parseDuration(text, `--${flag}`)
  } catch {
    throw usage(`--${flag}: "${text}" is not a duration like 50ms or 2s`)
  }
}

/** A fresh seed when none is given (platform CSPRNG; the seed is printed so the run can be replayed). */
export function freshSeed(): string {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(6))
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

export function parseSimArgs(argv: readonly string[]): { config: SimConfig; output: OutputOptions } {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values']
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values
  } catch (e) {
    throw usage(e instanceof Error ? e.message : String(e), ['mpc-node simulate --help lists the flags'])
  }
  const nodes = int('nodes', values.nodes, 3, 2, 64)
  const threshold = int('threshold', values.threshold, Math.floor(nodes / 2) + 1, 2, nodes)
  const signatures = int('signatures', values.signatures, 10, 0, 1_000_000)
  const concurrency = int('concurrency', values.concurrency, 1, 1, 10_000)
  const engine = values.engine ?? 'inprocess'
  if (engine !== 'inprocess' && engine !== 'processes')
    throw usage(`--engine: "${engine}" is not inprocess or processes`)
  const faultSpec = (values.faults ?? []).join(',')
  const bandwidth = values.bandwidth === undefined ? 1000 : Number(values.bandwidth)
  if (!(bandwidth > 0)) throw usage(`--bandwidth: "${values.bandwidth}" is not a positive number of Mbit/s`)
  const timeoutMs = dur('timeout', values.timeout, 2000)
  if (timeoutMs <= 0) throw usage('--timeout must be positive')
  const config: SimConfig = {
    nodes,
    threshold,
    signatures,
    concurrency,
    seed: values.seed ?? freshSeed(),
    engine,
    faultSpec,
    faults: parseFaults(faultSpec, nodes, signatures),
    network: {
      latencyMs: dur('latency', values.latency, 10),
      jitterMs: dur('jitter', values.jitter, 5),
      bandwidthMbit: bandwidth,
    },
    timeoutMs,
    maxAttempts: int('max-attempts', values['max-attempts'], 8, 1, 1000),
    backoffMs: dur('backoff', values.backoff, 100),
    suspicionHalfLifeMs: 5 * timeoutMs,
  }
  const output: OutputOptions = {
    json: values.json === true || values['deterministic-report'] === true,
    deterministicReport: values['deterministic-report'] === true,
    reportFile: values.report,
    replay: values['no-replay'] !== true,
    quiet: values.quiet === true,
    progress: values['no-progress'] === true ? false : values.progress === true ? true : 'auto',
    help: values.help === true,
  }
  return { config, output }
}

/** The configuration as it appears in reports (the fault plan as its normalized items). */
export function describeConfig(c: SimConfig) {
  return {
    engine: c.engine,
    nodes: c.nodes,
    threshold: c.threshold,
    signatures: c.signatures,
    concurrency: c.concurrency,
    faults: c.faults.items.map((i) => i.spec),
    network: c.network,
    timeoutMs: c.timeoutMs,
    maxAttempts: c.maxAttempts,
    backoffMs: c.backoffMs,
    suspicionHalfLifeMs: c.suspicionHalfLifeMs,
  }
}
