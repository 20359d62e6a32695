// From an engine's record to the report: one JSON object with the totals, distributions, per-round
// and per-party figures, the faults table and the invariants, plus an `outcomeDigest` over everything
// that does not come from the wall clock (same seed and flags, same digest).

import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from '../../protocol/bytes.ts'
import { describeConfig } from '../config.ts'
import type { Detection, FaultOutcome, InvariantName, RoundTiming, SimRecord } from '../engine/types.ts'
import { type Dist, dist, r3, sum } from './stats.ts'

export type InvariantStatus = 'pass' | 'fail' | 'skipped'
export type Invariant = { name: InvariantName; status: InvariantStatus; detail: string }

export type RoundReport = { protocol: 'dkg' | 'sign'; round: number; simulated: Dist; compute: Dist }

export type Report = {
  tool: 'mpc-node simulate'
  engine: string
  seed: string
  config: ReturnType<typeof describeConfig>
  totals: {
    signaturesRequested: number
    signaturesCompleted: number
    signaturesFailed: number
    attempts: number
    retries: number
    messages: number
    bytes: number
    simulatedMs: number
    wallMs: number
    /** CPU time of the signing phase (this process, user + system). */
    cpuMs: number
  }
  dkg: {
    publicKey: string
    simulatedMs: number
    messages: number
    bytes: number
    wallMs: number
    cpuMs: number
    cached: boolean
  }
  latency: { simulated: Dist; compute: Dist; total: Dist; message: Dist }
  throughput: {
    perSimulatedSecond: number
    perWallSecond: number
    series: { atMs: number; completed: number; cumulative: number }[]
  }
  rounds: RoundReport[]
  bytesPerParty: { node: number; sent: number; received: number; dkgSent: number }[]
  computePerPartyRound: {
    node: number
    protocol: 'dkg' | 'sign'
    round: number
    meanMs: number
    calls: number
  }[]
  network: Record<string, number>
  sessionLayer: Record<string, number>
  faults: FaultOutcome[]
  signatures: {
    index: number
    status: 'ok' | 'failed'
    attempts: {
      signers: number[]
      outcome: string
      cause?: string
      detections: Detection[]
      suspects: number[]
      faults: string[]
    }[]
    simulatedMs: number
    computeMs: number
  }[]
  bans: { node: number; banned: number[] }[]
  /** Malicious messages sent, consumed by an honest node's round, and refused there as the class demands. */
  attribution: { acts: number; consumed: number; detected: number }
  violations: { invariant: InvariantName; detail: string }[]
  invariants: Invariant[]
  outcomeDigest: string
}

/** Keys whose values come from the wall clock (left out of the digest and --deterministic-report). */
const WALL_KEYS = new Set([
  'wallMs',
  'compute',
  'computeMs',
  'total',
  'perWallSecond',
  'computePerPartyRound',
  'cached',
  'cpuMs',
])

export function withoutWallClock<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (WALL_KEYS.has(k) ? undefined : v))) as T
}

export function digestOf(report: Omit<Report, 'outcomeDigest'> | Report): string {
  const { outcomeDigest: _, ...rest } = report as Report
  const stable = { ...rest, invariants: rest.invariants.filter((i) => i.name !== 'deterministic') }
  return toHex(sha256(new TextEncoder().encode(JSON.stringify(withoutWallClock(stable)))))
}

export function buildReport(rec: SimRecord): Report {
  const { config, jobs, checks } = rec
  const ok = jobs.filter((j) => j.status === 'ok')
  const attempts = sum(jobs.map((j) => j.attempts.length))
  const simulated = ok.map((j) => j.doneAt - j.queuedAt)
  const compute = ok.map((j) => sum(j.attempts.map((a) => a.computeMs)))
  const total = simulated.map((s, k) => s + compute[k]!)
  const end = rec.sign.simulatedMs
  const rounds = [...roundsOf(rec.dkg.rounds), ...roundsOf(rec.sign.rounds)]
  const bytesPerParty = Array.from({ length: config.nodes }, (_, k) => ({
    node: k + 1,
    sent: rec.sign.bytesSent.get(k + 1) ?? 0,
    received: rec.sign.bytesReceived.get(k + 1) ?? 0,
    dkgSent: rec.dkg.bytesSent.get(k + 1) ?? 0,
  }))
  const computePerPartyRound = [...perParty('dkg', rec.dkg.compute), ...perParty('sign', rec.sign.compute)]
  const violations = checks.violations.map((v) => ({ ...v }))
  const failedJobs = jobs.filter((j) => j.status !== 'ok')
  const of = (name: InvariantName) => violations.filter((v) => v.invariant === name)
  const status = (name: InvariantName): InvariantStatus => (of(name).length === 0 ? 'pass' : 'fail')
  const unreachable = recoveryImpossible(config)
  const invariants: Invariant[] = [
    {
      name: 'valid-signatures',
      status: checks.signaturesInvalid === 0 ? status('valid-signatures') : 'fail',
      detail: `${checks.signaturesVerified} signature outputs verified with noble secp256k1 (prehash off), ${checks.signaturesInvalid} invalid`,
    },
    {
      name: 'attribution',
      status: status('attribution'),
      detail:
        checks.malicious.length === 0
          ? 'no malicious node; no honest step failed'
          : `${checks.maliciousActs} malicious messages sent, ${checks.actsProcessed} consumed by honest nodes, ${checks.actsDetected} steps refused them with the expected code, kind and culprit`,
    },
    {
      name: 'no-honest-banned',
      status: status('no-honest-banned'),
      detail: `bans at the end (live = stored): ${
        checks.bans
          .filter((b) => b.stored.length > 0)
          .map((b) => `${b.node}→[${b.stored}]`)
          .join(' ') || 'none'
      }`,
    },
    {
      name: 'recovery',
      status: failedJobs.length === 0 ? 'pass' : unreachable ? 'skipped' : 'fail',
      detail:
        failedJobs.length === 0
          ? `all ${jobs.length} signatures completed (${attempts - jobs.length} retries)`
          : `${unreachable ? `not expected (${unreachable}); ` : ''}${failedJobs.length} of ${jobs.length} signatures failed: ${failedJobs
              .slice(0, 5)
              .map((j) => `#${j.index} (${j.attempts.map((a) => a.cause ?? a.outcome).join(', ')})`)
              .join('; ')}`,
    },
  ]
  const series = throughputSeries(
    ok.map((j) => j.doneAt),
    end,
  )
  const report: Omit<Report, 'outcomeDigest'> = {
    tool: 'mpc-node simulate',
    engine: config.engine,
    seed: config.seed,
    config: describeConfig(config),
    totals: {
      signaturesRequested: jobs.length,
      signaturesCompleted: ok.length,
      signaturesFailed: failedJobs.length,
      attempts,
      retries: attempts - jobs.length,
      messages: rec.sign.messages,
      bytes: rec.sign.bytes,
      simulatedMs: r3(end),
      wallMs: r3(rec.wallMs),
      cpuMs: r3(rec.sign.cpuMs),
    },
    dkg: {
      publicKey: rec.dkg.publicKey,
      simulatedMs: r3(rec.dkg.simulatedMs),
      messages: rec.dkg.messages,
      bytes: rec.dkg.bytes,
      wallMs: r3(rec.dkg.wallMs),
      cpuMs: r3(rec.dkg.cpuMs),
      cached: rec.dkg.cached,
    },
    latency: {
      simulated: dist(simulated),
      compute: dist(compute),
      total: dist(total),
      message: dist(rec.sign.messageLatencies),
    },
    throughput: {
      perSimulatedSecond: end > 0 ? r3((ok.length * 1000) / end) : 0,
      perWallSecond: rec.sign.wallMs > 0 ? r3((ok.length * 1000) / rec.sign.wallMs) : 0,
      series,
    },
    rounds,
    bytesPerParty,
    computePerPartyRound,
    network: rec.sign.network,
    sessionLayer: rec.sign.session,
    faults: rec.faults,
    signatures: jobs.map((j) => ({
      index: j.index,
      status: j.status,
      attempts: j.attempts.map((a) => ({
        signers: a.signers,
        outcome: a.outcome,
        ...(a.cause ? { cause: a.cause } : {}),
        detections: a.detections,
        suspects: a.suspects,
        faults: a.faults,
      })),
      simulatedMs: r3(j.doneAt - j.queuedAt),
      computeMs: r3(sum(j.attempts.map((a) => a.computeMs))),
    })),
    bans: checks.bans.map((b) => ({ node: b.node, banned: b.stored })),
    attribution: {
      acts: checks.maliciousActs,
      consumed: checks.actsProcessed,
      detected: checks.actsDetected,
    },
    violations,
    invariants,
  }
  return { ...report, outcomeDigest: digestOf(report) }
}

/**
 * Why the faults leave fewer honest nodes the coordinator can reach than the threshold (then failed
 * signatures are expected and the recovery invariant does not apply), or null.
 */
function recoveryImpossible(config: SimRecord['config']): string | null {
  const malicious = new Set(config.faults.malicious.map((m) => m.node))
  const honest = config.nodes - malicious.size
  if (honest < config.threshold) return `${honest} honest nodes, threshold ${config.threshold}`
  for (const p of config.faults.partitions) {
    const reachable = honest - p.nodes.filter((i) => !malicious.has(i)).length
    if (reachable < config.threshold)
      return `${reachable} honest nodes reachable during ${p.spec}, threshold ${config.threshold}`
  }
  return null
}

function roundsOf(rounds: readonly RoundTiming[]): RoundReport[] {
  return rounds.map((r) => ({
    protocol: r.protocol,
    round: r.round,
    simulated: dist(r.simulatedMs),
    compute: dist(r.computeMs),
  }))
}

function perParty(protocol: 'dkg' | 'sign', m: SimRecord['dkg']['compute']) {
  return [...m.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([node, byRound]) =>
      [...byRound.entries()]
        .sort(([a], [b]) => a - b)
        .map(([round, c]) => ({ node, protocol, round, meanMs: r3(c.ms / c.calls), calls: c.calls })),
    )
}

function throughputSeries(doneAt: number[], end: number) {
  const bins = 40
  const width = end > 0 ? end / bins : 1
  const counts = new Array<number>(bins).fill(0)
  for (const t of doneAt) counts[Math.min(bins - 1, Math.floor(t / width))]!++
  let cumulative = 0
  return counts.map((completed, k) => {
    cumulative += completed
    return { atMs: r3((k + 1) * width), completed, cumulative }
  })
}
