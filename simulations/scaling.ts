// Scaling table of the in-process simulator: for each committee size n (threshold ⌊n/2⌋+1), a DKG
// and K fault-free signatures; prints DKG time, signing latency and bytes as a Markdown table.
//   npx tsx simulations/scaling.ts [--sizes 3,5,10,20] [--signatures 5] [--seed scaling] [--json]
// A benchmark script: it prints figures and asserts nothing. Wall-clock figures depend on the machine
// and its load; simulated figures depend only on the flags.

import '../node/runtime/polyfill.ts'
import { parseArgs } from 'node:util'
import { parseSimArgs } from './config.ts'
import { bytes, ms } from './report/format.ts'
import { runSimulation } from './simulate.ts'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '3,5,10,20' },
    signatures: { type: 'string', default: '5' },
    seed: { type: 'string', default: 'scaling' },
    json: { type: 'boolean', default: false },
  },
})

type Row = {
  n: number
  t: number
  dkgWallMs: number
  dkgCpuMs: number
  dkgSimulatedMs: number
  dkgBytes: number
  signComputeP50Ms: number
  signNetworkP50Ms: number
  signTotalP50Ms: number
  signBytes: number
  signBytesPerSigner: number
  wallMs: number
}

const rows: Row[] = []
for (const n of values.sizes.split(',').map(Number)) {
  const t = Math.floor(n / 2) + 1
  const k = Number(values.signatures)
  const { config } = parseSimArgs([
    '--nodes',
    `${n}`,
    '--threshold',
    `${t}`,
    '--signatures',
    `${k}`,
    '--seed',
    values.seed,
  ])
  const t0 = performance.now()
  const r = await runSimulation(config)
  const row: Row = {
    n,
    t,
    dkgWallMs: r.dkg.wallMs,
    dkgCpuMs: r.dkg.cpuMs,
    dkgSimulatedMs: r.dkg.simulatedMs,
    dkgBytes: r.dkg.bytes,
    signComputeP50Ms: r.latency.compute.p50,
    signNetworkP50Ms: r.latency.simulated.p50,
    signTotalP50Ms: r.latency.total.p50,
    signBytes: Math.round(r.totals.bytes / Math.max(1, r.totals.signaturesCompleted)),
    signBytesPerSigner: Math.round(r.totals.bytes / Math.max(1, r.totals.signaturesCompleted) / t),
    wallMs: performance.now() - t0,
  }
  rows.push(row)
  if (!values.json) process.stderr.write(`n=${n} done in ${ms(row.wallMs)}\n`)
}

if (values.json) console.log(JSON.stringify(rows, null, 2))
else {
  console.log(
    '| n | t | DKG compute (wall) | DKG CPU | DKG network (simulated) | DKG bytes | sign p50 compute | sign p50 network | sign p50 total | bytes / signature | bytes / signer / signature |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|---|---|')
  for (const r of rows)
    console.log(
      `| ${r.n} | ${r.t} | ${ms(r.dkgWallMs)} | ${ms(r.dkgCpuMs)} | ${ms(r.dkgSimulatedMs)} | ${bytes(r.dkgBytes)} | ${ms(r.signComputeP50Ms)} | ${ms(r.signNetworkP50Ms)} | ${ms(r.signTotalP50Ms)} | ${bytes(r.signBytes)} | ${bytes(r.signBytesPerSigner)} |`,
    )
}
