// The faults table of a run: for each --faults item, how often it acted, which attempts it touched
// and how many of those failed, and one line saying what came of it.

import type { FaultPlan, Partition } from '../faults/spec.ts'
import type { Counters } from './cluster.ts'
import type { NetworkCounters } from './network.ts'
import type { Detection, FaultOutcome } from './types.ts'

export type CrashLog = { at: number; sign: number; sessions: number; restartedAt?: number; reloaded?: string }
export type PartitionState = { p: Partition; active: boolean; from: number; to: number; blocked: number }

export type FaultTableInput = {
  plan: FaultPlan
  /** Attempts touched and failed, by fault spec. */
  state: ReadonlyMap<string, { touched: number; failed: number }>
  network: NetworkCounters
  session: Counters
  partitions: readonly PartitionState[]
  crashes: ReadonlyMap<string, CrashLog>
  detections: readonly Detection[]
  bans: readonly { node: number; stored: number[] }[]
  /** Rewritten messages per malicious node. */
  acts: ReadonlyMap<number, number>
}

export function faultTable(x: FaultTableInput): FaultOutcome[] {
  const { plan, network: nc, session: c } = x
  const malicious = new Set(plan.malicious.map((m) => m.node))
  return plan.items.map(({ kind, spec }) => {
    const st = x.state.get(spec) ?? { touched: 0, failed: 0 }
    const base = { kind, spec, attemptsTouched: st.touched, attemptsFailed: st.failed }
    const retried = `${st.failed} of ${st.touched} touched attempts failed and were retried`
    switch (kind) {
      case 'drop':
        return { ...base, injected: nc.dropped, outcome: `${nc.dropped} messages lost; ${retried}` }
      case 'delay':
        return { ...base, injected: nc.delayed, outcome: `${nc.delayed} messages held back; ${retried}` }
      case 'reorder':
        return {
          ...base,
          injected: nc.reordered,
          outcome: `${nc.reordered} messages out of link order; ${c.earlyBuffered} early arrivals buffered by the session layer; ${retried}`,
        }
      case 'duplicate':
        return {
          ...base,
          injected: nc.duplicated,
          outcome: `${nc.duplicated} messages sent twice; ${c.duplicatesIgnored} second copies ignored; ${retried}`,
        }
      case 'partition': {
        const ps = x.partitions.find((q) => q.p.spec === spec)!
        const span = ps.from < 0 ? 'never active' : `active ${fmt(ps.from)}–${ps.to < 0 ? 'end' : fmt(ps.to)}`
        return {
          ...base,
          injected: ps.blocked,
          outcome: `${span}; ${ps.blocked} deliveries blocked; ${retried}`,
        }
      }
      case 'crash': {
        const log = x.crashes.get(spec)
        if (!log)
          return { ...base, injected: 0, outcome: 'never triggered (the node never reached that round)' }
        return {
          ...base,
          injected: 1,
          outcome: `crashed at ${fmt(log.at)} in signature ${log.sign} (${log.sessions} sessions lost); restarted at ${log.restartedAt === undefined ? 'never' : fmt(log.restartedAt)}, ${log.reloaded ?? 'not reloaded'}; ${retried}`,
        }
      }
      default: {
        // malicious
        const m = plan.malicious.find((q) => q.spec === spec)!
        const namedBy = x.detections.filter((d) => d.culprits.includes(m.node) && !malicious.has(d.node))
        const bannedBy = x.bans.filter((b) => b.stored.includes(m.node)).map((b) => b.node)
        const codes = [...new Set(namedBy.map((d) => d.code))].join(', ') || 'none'
        return {
          ...base,
          injected: x.acts.get(m.node) ?? 0,
          outcome: `${x.acts.get(m.node) ?? 0} tampered messages; named ${namedBy.length} times (${codes}); banned by [${bannedBy}]; ${retried}`,
        }
      }
    }
  })
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)
