// What an engine returns: the raw record of a run, from which report/ builds the JSON, the summary and
// the HTML. Fields named `wall…`/`compute…` hold wall-clock figures; everything else is a function of
// the configuration and the seed.

import type { EngineName, SimConfig } from '../config.ts'

export type RoundTiming = {
  protocol: 'dkg' | 'sign'
  round: number
  /** Simulated time from the previous round's end (the session start for round 1) to this one's. */
  simulatedMs: number[]
  /** Wall-clock compute per party.next call of the round. */
  computeMs: number[]
}

export type Detection = {
  node: number
  round: number
  code: string
  kind: string
  culprits: number[]
  ban: boolean
}

export type AttemptOutcome = 'ok' | 'timeout' | 'abort' | 'no-signer-set'

export type AttemptRecord = {
  attempt: number
  session: number
  signers: number[]
  startedAt: number
  endedAt: number
  outcome: AttemptOutcome
  /** First terminal failure reported (code), or 'timeout'. */
  cause?: string
  detections: Detection[]
  /** Nodes the coordinator suspects after this attempt (stalled or named). */
  suspects: number[]
  /** Fault kinds that touched this attempt's messages or nodes. */
  faults: string[]
  /** Σ over rounds of the slowest party's compute (the critical path on parallel nodes). */
  computeMs: number
}

export type JobRecord = {
  index: number
  digest: string
  status: 'ok' | 'failed'
  queuedAt: number
  doneAt: number
  attempts: AttemptRecord[]
  signature?: { r: string; s: string; recovery: number }
}

export type FaultOutcome = {
  kind: string
  spec: string
  /** How many times the fault acted (messages dropped, acts of a malicious node, crashes…). */
  injected: number
  /** Attempts it touched, and how many of those failed. */
  attemptsTouched: number
  attemptsFailed: number
  outcome: string
}

export type Violation = { invariant: InvariantName; detail: string }

export type InvariantName =
  | 'valid-signatures'
  | 'attribution'
  | 'no-honest-banned'
  | 'recovery'
  | 'deterministic'

export type ChecksRecord = {
  signaturesVerified: number
  signaturesInvalid: number
  maliciousActs: number
  actsProcessed: number
  actsDetected: number
  violations: Violation[]
  /** Each node's ban list at the end (live share and the one reloaded from storage). */
  bans: { node: number; live: number[]; stored: number[] }[]
  malicious: number[]
}

export type PhaseRecord = {
  simulatedMs: number
  wallMs: number
  /** CPU time of this process during the phase (user + system); less sensitive to machine load. */
  cpuMs: number
  messages: number
  bytes: number
  bytesSent: Map<number, number>
  bytesReceived: Map<number, number>
  compute: Map<number, Map<number, { ms: number; calls: number }>>
  rounds: RoundTiming[]
}

export type SimRecord = {
  config: SimConfig
  dkg: PhaseRecord & { cached: boolean; publicKey: string }
  sign: PhaseRecord & {
    messageLatencies: number[]
    network: Record<string, number>
    session: Record<string, number>
  }
  jobs: JobRecord[]
  faults: FaultOutcome[]
  checks: ChecksRecord
  wallMs: number
}

export type Progress = { phase: 'dkg' | 'sign' | 'replay'; done: number; total: number }

export type EngineHooks = { progress?(p: Progress): void }

export interface SimulationEngine {
  readonly name: EngineName
  run(config: SimConfig, hooks?: EngineHooks): Promise<SimRecord>
}
