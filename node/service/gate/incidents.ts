// Incidents the gate raises, for operators to alert on: each is logged as one `incident` event with
// a severity and counted by kind and code. Aborts with culprits and bans are raised by the
// composition root itself (node/service/node.ts), which sees them first.
import type { Logger } from '../../log/index.ts'

export type IncidentKind = 'denial' | 'audit-failure' | 'policy-error' | 'gate-error'
export type Severity = 'low' | 'medium' | 'high' | 'critical'
export type Incident = { kind: IncidentKind; severity: Severity; code: string }

export type Incidents = {
  report(incident: Incident, fields: Record<string, unknown>, message: string): void
  /** Counts so far, keyed `kind:code`. */
  counts(): Record<string, number>
}

const LEVEL: Record<Severity, 'info' | 'warn' | 'error' | 'fatal'> = {
  low: 'info',
  medium: 'warn',
  high: 'error',
  critical: 'error',
}

export function createIncidents(logger: Logger, onIncident?: (i: Incident) => void): Incidents {
  const counts = new Map<string, number>()
  return {
    report(incident, fields, message) {
      const k = `${incident.kind}:${incident.code}`
      counts.set(k, (counts.get(k) ?? 0) + 1)
      logger[LEVEL[incident.severity]](
        { incident: incident.kind, severity: incident.severity, code: incident.code, ...fields },
        message,
      )
      try {
        onIncident?.(incident)
      } catch {
        // A metrics callback never breaks the gate.
      }
    },
    counts: () => Object.fromEntries(counts),
  }
}
