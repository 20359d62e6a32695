// The terminal summary of a report.

import type { Report } from './build.ts'
import { bytes, ms, rate } from './format.ts'

export function renderSummary(r: Report): string {
  const c = r.config
  const t = r.totals
  const L = r.latency
  const lines: string[] = []
  const row = (label: string, text: string) => lines.push(`${label.padEnd(12)}${text}`)
  lines.push(
    `mpc-node simulate · ${r.engine} engine · ${c.nodes} nodes, threshold ${c.threshold} · ${c.signatures} signatures, concurrency ${c.concurrency} · seed ${r.seed}`,
  )
  row('faults', c.faults.length > 0 ? c.faults.join(', ') : 'none')
  row(
    'dkg',
    `${ms(r.dkg.simulatedMs)} simulated · ${ms(r.dkg.wallMs)} wall, ${ms(r.dkg.cpuMs)} CPU${r.dkg.cached ? ' (memoized)' : ''} · ${r.dkg.messages} messages · ${bytes(r.dkg.bytes)}`,
  )
  row(
    'signatures',
    `${t.signaturesCompleted}/${t.signaturesRequested} completed · ${t.attempts} attempts (${t.retries} retries) · ${t.messages} messages · ${bytes(t.bytes)}`,
  )
  row(
    'time',
    `${ms(t.simulatedMs)} simulated · ${ms(t.wallMs)} wall (DKG included) · signing ${ms(t.cpuMs)} CPU`,
  )
  const d = (x: { p50: number; p95: number; p99: number }) =>
    `p50 ${ms(x.p50)}  p95 ${ms(x.p95)}  p99 ${ms(x.p99)}`
  row('latency', `network ${d(L.simulated)}`)
  row('', `compute ${d(L.compute)}`)
  row('', `total   ${d(L.total)}`)
  row('', `message ${d(L.message)} (one delivery)`)
  row(
    'throughput',
    `${rate(r.throughput.perSimulatedSecond)} in simulated time · ${rate(r.throughput.perWallSecond)} in wall time (compute-bound)`,
  )
  for (const x of r.rounds)
    row(
      x === r.rounds[0] ? 'rounds' : '',
      `${x.protocol} r${x.round}  network p50 ${ms(x.simulated.p50).padStart(8)}  compute/party mean ${ms(x.compute.mean).padStart(8)}`,
    )
  const sent = r.bytesPerParty.map((b) => `${b.node}:${bytes(b.sent)}`).join('  ')
  row('bytes sent', sent)
  if (r.faults.length > 0) {
    lines.push('faults injected')
    const w = Math.max(...r.faults.map((f) => f.spec.length))
    for (const f of r.faults) lines.push(`  ${f.spec.padEnd(w)}  ${f.outcome}`)
  }
  lines.push('invariants')
  for (const i of r.invariants) {
    const mark = i.status === 'pass' ? 'pass' : i.status === 'fail' ? 'FAIL' : 'skip'
    lines.push(`  ${mark}  ${i.name.padEnd(17)} ${i.detail}`)
  }
  for (const v of r.violations.slice(0, 10)) lines.push(`        ${v.invariant}: ${v.detail}`)
  row('digest', r.outcomeDigest)
  return lines.join('\n')
}
