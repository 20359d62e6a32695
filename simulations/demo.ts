// `npm start` / `mpc-node demo`: the whole story on this machine with nothing to set up.
//
//   1. anvil from npm on 127.0.0.1, the STV3 set, four node processes in a temporary folder (the
//      issuer's co-signer, and the investor wallet's provider, device and recovery nodes), each with
//      its policy; the issuer's operator key is a 2-of-3 MPC key holding FINANCIAL_OPERATOR;
//   2. DKG of the investor's wallet (then a reshare to 2-of-3 that enrols the recovery node), DIDs
//      on the STV3 registry, tokens issued and distributed to the wallet through the issuer's key;
//   3. the investor (a DID key) requests a compliant transfer: allowed, signed, landed;
//   4. transfers to a sanctioned party and to a wallet without a DID: refused by policy, with reasons;
//   5. the device is lost: a new device, a reshare by provider and recovery, same address, and the
//      new device co-signs a transfer that lands;
//   6. everything stopped and removed; a summary table, or with --json one JSON object on stdout.
//
// Flags: --json, --keep (keep the temporary folder and its logs), --help. Every child process is
// stopped on exit, on an error and on Ctrl-C (SIGINT/SIGTERM). The stores use a weak scrypt cost
// (MPC_NODE_SCRYPT_N, test-only) and a random passphrase: nothing here is for real funds.
import '../node/runtime/polyfill.ts'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ScenarioArgs } from '../node/cli/scenarios.ts'
import { createActors } from './demo/actors.ts'
import { startChain } from './demo/chain.ts'
import { Narrator } from './demo/narrate.ts'
import { stepDevice } from './demo/step-device.ts'
import { stepSetup } from './demo/step-setup.ts'
import { stepCompliant, stepRefused } from './demo/step-transfers.ts'
import { stepWallet } from './demo/step-wallet.ts'
import type { Story } from './demo/story.ts'
import { demoReport } from './demo/summary.ts'

export const HELP = `Usage: npm start [-- --json] | mpc-node demo [--json] [--keep]

Runs the whole story on loopback with embedded defaults: anvil from npm, the STV3 contracts, four
node processes in a temporary folder, DKG, a compliant transfer, two refused ones, a lost device
replaced by resharing, and a summary. Takes about two minutes; leaves no process behind.

  --json   one JSON object on stdout (the narration goes to stderr)
  --keep   keep the temporary folder (node homes and logs) instead of removing it
  --steps=N  run only the first N steps, then the summary (development)
`

/** Test-only store cost: the demo's stores hold throw-away keys on a throw-away chain. */
export const DEMO_SCRYPT_N = '1024'

const STEPS = [
  { title: 'Chain, nodes and the issuer’s MPC key', run: stepSetup },
  { title: 'The investor’s 2-of-3 wallet, DIDs, issuance and distribution', run: stepWallet },
  { title: 'A compliant transfer', run: stepCompliant },
  { title: 'Non-compliant transfers are refused before any share is computed', run: stepRefused },
  { title: 'The device is lost: reshare to a new device, same address', run: stepDevice },
] as const

function childEnv(env: Record<string, string | undefined>, passphrase: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  for (const k of ['NODE_OPTIONS', 'VITEST', 'MPC_NODE_EMBEDDED_CHAIN', 'MPC_NODE_ALLOW_SKIP_PREFLIGHT'])
    delete out[k]
  return {
    ...out,
    MPC_NODE_PASSPHRASE: passphrase,
    MPC_NODE_SCRYPT_N: DEMO_SCRYPT_N,
    MPC_NODE_LOG_LEVEL: 'info',
  }
}

export default async function demo(args: ScenarioArgs): Promise<number> {
  const { io, values } = args
  if (values.help === true || values.h === true) {
    io.out(HELP)
    return 0
  }
  const json = values.json === true
  const keep = values.keep === true
  const narr = new Narrator(io, json, STEPS.length + 1)
  narr.say('mpc-node demo: MPC threshold signing (DKLs23 over libp2p) with DID-linked policy, STV3 tokens')
  narr.say(
    `note: node stores use MPC_NODE_SCRYPT_N=${DEMO_SCRYPT_N} and a random passphrase — TEST-ONLY settings, loopback only`,
  )
  const root = await mkdtemp(join(tmpdir(), 'mpc-demo-'))
  let story: Story | undefined
  let cleaned: Promise<void> | undefined

  const stopAll = (s: Story | undefined): Promise<void> => {
    cleaned ??= (async () => {
      const nodes = Object.values(s?.nodes ?? {})
      await Promise.all(nodes.map((n) => n?.stop(5_000)))
      await s?.chain.anvil.stop()
      if (!keep) await rm(root, { recursive: true, force: true })
    })()
    return cleaned
  }
  const killNow = () => {
    for (const n of Object.values(story?.nodes ?? {})) n?.killNow()
    if (!keep) rmSync(root, { recursive: true, force: true })
  }
  let interrupted = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      killNow()
      process.exit(130)
    }
    interrupted = true
    narr.say(`\n${signal}: stopping the nodes and the chain, removing ${root}`)
    void stopAll(story).finally(() => process.exit(130))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.on('exit', killNow)

  let failure: unknown
  try {
    const pids: number[] = []
    narr.step(1, STEPS[0].title)
    const chain = await narr.op('start anvil (npm @foundry-rs/anvil) on 127.0.0.1', startChain, (c) => ({
      detail: `${c.anvil.rpcUrl}, chain ${c.anvil.chainId}, pid ${c.anvil.pid}`,
    }))
    pids.push(chain.anvil.pid)
    story = {
      root,
      env: childEnv(io.env, randomBytes(24).toString('base64url')),
      actors: createActors(),
      chain,
      narr,
      homes: {},
      nodes: {},
      pids,
      transfers: [],
      refusals: [],
    }
    const last = Number(values.steps ?? STEPS.length)
    for (const [i, step] of STEPS.entries()) {
      if (i >= last) break
      if (i > 0) narr.step(i + 1, step.title)
      try {
        await step.run(story)
        narr.endStep(step.title, true)
      } catch (e) {
        narr.endStep(step.title, false)
        throw e
      }
    }
  } catch (e) {
    failure = e
  }

  narr.step(STEPS.length + 1, 'Summary')
  await narr.op(
    keep
      ? `stop every node and anvil (kept ${root})`
      : 'stop every node and anvil, remove the temporary folder',
    () => stopAll(story),
  )
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  process.off('exit', killNow)
  const report = demoReport(narr, story, { root, kept: keep, failure })
  narr.endStep('Summary', report.ok)
  narr.say(`\n${narr.table()}`)
  if (report.ok) narr.say(`\ndemo completed in ${(report.durationMs / 1000).toFixed(1)} s`)
  else
    narr.say(
      `\ndemo FAILED after ${(report.durationMs / 1000).toFixed(1)} s: ${report.error?.message.split('\n')[0]}`,
    )
  if (json) io.out(JSON.stringify(report, null, 2))
  return report.ok ? 0 : 1
}
