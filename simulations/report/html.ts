// The self-contained HTML report: inline CSS and SVG only (no script, no external asset), so it opens
// anywhere, offline, without console output. Every value is escaped.

import type { Report } from './build.ts'
import { bytes, ms, rate } from './format.ts'
import { columnChart, esc, PALETTE } from './svg.ts'

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1240px;color:#1d2430;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
.sub{color:#5a6675}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.card{border:1px solid #dde3ea;border-radius:6px;padding:8px 12px;min-width:150px}
.card b{display:block;font-size:19px}.card span{color:#5a6675;font-size:12px}
.grid2{display:flex;flex-wrap:wrap;gap:18px}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border-bottom:1px solid #e6eaef;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f4f6f8;white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.pass{color:#23773a;font-weight:600}.fail{color:#b3261e;font-weight:600}.skipped{color:#7a6a1f;font-weight:600}
code{font-size:12px;background:#f4f6f8;padding:1px 4px;border-radius:3px;word-break:break-all}
svg text.ct{font-size:14px;font-weight:600;fill:#1d2430}svg text.tick{font-size:11px;fill:#5a6675}
svg text.axis{font-size:12px;fill:#3a4655}svg line.grid{stroke:#eef1f4}svg line.axisline{stroke:#8794a3}
`

const td = (v: string | number, num = false) => `<td${num ? ' class="num"' : ''}>${esc(String(v))}</td>`
const th = (...cols: string[]) => `<tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  const body = rows
    .map(
      (r) => `<tr>${r.map((c, i) => (c.startsWith('<td') ? c : td(c, numeric.includes(i)))).join('')}</tr>`,
    )
    .join('\n')
  return `<table>\n<thead>${th(...head)}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`
}

function histogram(r: Report): string {
  const samples = r.signatures.filter((s) => s.status === 'ok').map((s) => s.simulatedMs + s.computeMs)
  const max = Math.max(1, ...samples)
  const bins = Math.min(30, Math.max(5, Math.ceil(Math.sqrt(samples.length)) * 2))
  const width = max / bins
  const counts = new Array<number>(bins).fill(0)
  for (const x of samples) counts[Math.min(bins - 1, Math.floor(x / width))]!++
  const at = (v: number) => Math.min(bins, v / width)
  const L = r.latency.total
  return columnChart({
    title: 'Signature latency (network + compute)',
    integer: true,
    categories: counts.map((_, k) => ms(k * width)),
    series: [{ label: 'signatures', values: counts, color: PALETTE[0] }],
    yLabel: 'signatures',
    xLabel: 'latency (bin start)',
    fmt: (v) => String(Math.round(v)),
    markers: [
      { at: at(L.p50), label: `p50 ${ms(L.p50)}`, color: '#4f9a5b' },
      { at: at(L.p95), label: `p95 ${ms(L.p95)}`, color: '#e08a2c' },
      { at: at(L.p99), label: `p99 ${ms(L.p99)}`, color: '#b04a5a' },
    ],
  })
}

function throughput(r: Report): string {
  const s = r.throughput.series
  return columnChart({
    title: 'Throughput over simulated time',
    integer: true,
    categories: s.map((p) => ms(p.atMs)),
    series: [{ label: 'completed in interval', values: s.map((p) => p.completed), color: PALETTE[0] }],
    line: {
      label: 'cumulative',
      values: s.map((p) => p.cumulative),
      color: PALETTE[1],
      fmt: (v) => String(Math.round(v)),
    },
    yLabel: 'signatures per interval',
    xLabel: 'simulated time (interval end)',
    fmt: (v) => String(Math.round(v)),
  })
}

function rounds(r: Report, protocol: 'dkg' | 'sign'): string {
  const rs = r.rounds.filter((x) => x.protocol === protocol)
  return columnChart({
    title: `Time per ${protocol === 'dkg' ? 'DKG' : 'signing'} round`,
    categories: rs.map((x) => `round ${x.round}`),
    series: [
      { label: 'network wait (p50, simulated)', values: rs.map((x) => x.simulated.p50), color: PALETTE[0] },
      { label: 'compute per party (mean, wall)', values: rs.map((x) => x.compute.mean), color: PALETTE[1] },
    ],
    stacked: true,
    yLabel: 'milliseconds',
    fmt: (v) => ms(v),
    width: 600,
  })
}

function bytesChart(r: Report): string {
  return columnChart({
    title: 'Bytes per node (signing phase)',
    categories: r.bytesPerParty.map((b) => `node ${b.node}`),
    series: [
      { label: 'sent (a broadcast once)', values: r.bytesPerParty.map((b) => b.sent), color: PALETTE[0] },
      { label: 'received', values: r.bytesPerParty.map((b) => b.received), color: PALETTE[2] },
    ],
    yLabel: 'bytes',
    fmt: (v) => bytes(v),
    width: Math.max(600, 60 * r.bytesPerParty.length),
  })
}

export function renderHtml(r: Report): string {
  const c = r.config
  const t = r.totals
  const card = (value: string, label: string) =>
    `<div class="card"><b>${esc(value)}</b><span>${esc(label)}</span></div>`
  const statusCell = (s: string) => `<td class="${s}">${esc(s)}</td>`
  const dists = (['simulated', 'compute', 'total', 'message'] as const).map((k) => {
    const d = r.latency[k]
    return [k, ms(d.p50), ms(d.p95), ms(d.p99), ms(d.mean), ms(d.max), String(d.count)]
  })
  const compute = new Map<string, string[]>()
  for (const x of r.computePerPartyRound) {
    const key = `${x.protocol} r${x.round}`
    const row = compute.get(key) ?? [key]
    row[x.node] = ms(x.meanMs)
    compute.set(key, row)
  }
  const nodes = r.bytesPerParty.map((b) => b.node)
  const sigRows = r.signatures
    .slice(0, 300)
    .map((s) => [
      String(s.index),
      `<td class="${s.status === 'ok' ? 'pass' : 'fail'}">${esc(s.status)}</td>`,
      String(s.attempts.length),
      s.attempts.map((a) => `[${a.signers.join(',')}] ${a.cause ?? a.outcome}`).join('; '),
      [...new Set(s.attempts.flatMap((a) => a.faults))].join(', ') || '—',
      ms(s.simulatedMs),
      ms(s.computeMs),
    ])
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${esc(`mpc-node simulate · ${c.nodes} nodes, t=${c.threshold} · seed ${r.seed}`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Threshold-signing cluster simulation</h1>
<p class="sub">${esc(
    `${r.engine} engine · ${c.nodes} nodes, threshold ${c.threshold} · ${c.signatures} signatures, concurrency ${c.concurrency} · seed ${r.seed} · latency ${c.network.latencyMs} ms + exp(${c.network.jitterMs} ms), ${c.network.bandwidthMbit} Mbit/s · timeout ${ms(c.timeoutMs)}, ≤ ${c.maxAttempts} attempts`,
  )}</p>
<p class="sub">faults: <code>${esc(c.faults.join(',') || 'none')}</code> · outcome digest <code>${esc(r.outcomeDigest)}</code></p>
<div class="cards">
${card(`${t.signaturesCompleted}/${t.signaturesRequested}`, 'signatures completed')}
${card(`${t.attempts}`, `attempts (${t.retries} retries)`)}
${card(ms(r.latency.total.p50), 'latency p50 (network + compute)')}
${card(ms(r.latency.total.p99), 'latency p99')}
${card(rate(r.throughput.perSimulatedSecond), 'throughput, simulated time')}
${card(ms(r.dkg.wallMs), `DKG wall time, ${ms(r.dkg.cpuMs)} CPU${r.dkg.cached ? ', memoized' : ''}`)}
${card(bytes(t.bytes), `signing traffic, ${t.messages} messages`)}
${card(r.invariants.every((i) => i.status !== 'fail') ? 'all hold' : 'FAILED', 'invariants')}
</div>
<h2>Invariants</h2>
${table(
  ['invariant', 'status', 'detail'],
  r.invariants.map((i) => [i.name, statusCell(i.status), i.detail]),
)}
${
  r.violations.length > 0
    ? table(
        ['violated', 'detail'],
        r.violations.map((v) => [v.invariant, v.detail]),
      )
    : ''
}
<h2>Latency</h2>
<div class="grid2">
${histogram(r)}
<div>
${table(['', 'p50', 'p95', 'p99', 'mean', 'max', 'n'], dists, [1, 2, 3, 4, 5, 6])}
<p class="sub">simulated: network time from a signature's first attempt to its end (retries included);<br />compute: wall-clock time of the slowest party per round, summed over rounds and attempts;<br />message: one delivery's simulated latency.</p>
</div>
</div>
<h2>Throughput</h2>
${throughput(r)}
<p class="sub">${esc(`${rate(r.throughput.perSimulatedSecond)} in simulated time (nodes compute in parallel, no CPU contention modelled); ${rate(r.throughput.perWallSecond)} in wall time, every party on one thread.`)}</p>
<h2>Time per round</h2>
<div class="grid2">
${rounds(r, 'dkg')}
${rounds(r, 'sign')}
</div>
${table(
  ['round', ...nodes.map((i) => `node ${i}`)],
  [...compute.values()].map((row) => [row[0]!, ...nodes.map((i) => row[i] ?? '—')]),
  nodes.map((_, k) => k + 1),
)}
<p class="sub">Mean wall-clock compute per party.next call (round 0: start).</p>
<h2>Bytes per node</h2>
${bytesChart(r)}
${table(
  ['node', 'signing sent', 'signing received', 'DKG sent'],
  r.bytesPerParty.map((b) => [`node ${b.node}`, bytes(b.sent), bytes(b.received), bytes(b.dkgSent)]),
  [1, 2, 3],
)}
<h2>Faults injected</h2>
${
  r.faults.length === 0
    ? '<p class="sub">none</p>'
    : table(
        ['fault', 'injected', 'attempts touched', 'failed', 'outcome'],
        r.faults.map((f) => [
          f.spec,
          String(f.injected),
          String(f.attemptsTouched),
          String(f.attemptsFailed),
          f.outcome,
        ]),
        [1, 2, 3],
      )
}
${table(
  ['network / session layer', 'count'],
  [...Object.entries(r.network), ...Object.entries(r.sessionLayer)].map(([k, v]) => [k, String(v)]),
  [1],
)}
<h2>Signatures</h2>
${table(['#', 'status', 'attempts', 'signer sets and outcomes', 'faults', 'network', 'compute'], sigRows, [2, 5, 6])}
${r.signatures.length > 300 ? `<p class="sub">${r.signatures.length - 300} more in the JSON report.</p>` : ''}
</body>
</html>
`
  return html
}
