// The demo's outcome as one JSON-safe object (printed with --json, asserted by the e2e test).
import { NodeError } from '../../node/errors.ts'
import type { Narrator, OperationRecord, StepRecord } from './narrate.ts'
import type { NodeName, Story } from './story.ts'

export type DemoReport = {
  ok: boolean
  durationMs: number
  error?: { code: string; message: string; details?: Record<string, unknown> }
  tempDir: string
  tempDirKept: boolean
  testOnly: { scryptN: string; note: string }
  chain?: { rpcUrl: string; chainId: number; token?: string; didRegistry?: string; treasury?: string }
  nodes: { name: string; role: string; peerId: string; api?: string; pid?: number; running: boolean }[]
  /** Every child process the demo started (anvil and nodes). */
  pids: number[]
  issuerKey?: { keyId: string; address: string }
  wallet?: {
    keyId: string
    address: string
    addressAfterReplacement?: string
    investorDid: string
  }
  steps: StepRecord[]
  operations: OperationRecord[]
  transfers: Story['transfers']
  refusals: Story['refusals']
}

function errorOf(e: unknown): DemoReport['error'] {
  if (e instanceof NodeError) return { code: e.code, message: e.message, details: e.details }
  return { code: 'DEMO_FAILED', message: e instanceof Error ? e.message : String(e) }
}

export function demoReport(
  narr: Narrator,
  s: Story | undefined,
  o: { root: string; kept: boolean; failure: unknown },
): DemoReport {
  const stv3 = s?.chain.stv3
  const report: DemoReport = {
    ok: o.failure === undefined && narr.steps.every((x) => x.ok) && narr.operations.every((x) => x.ok),
    durationMs: narr.elapsedMs,
    tempDir: o.root,
    tempDirKept: o.kept,
    testOnly: {
      scryptN: s?.env.MPC_NODE_SCRYPT_N ?? '',
      note: 'weak store key derivation and a random throw-away passphrase: demo and tests only',
    },
    nodes: (Object.entries(s?.homes ?? {}) as [NodeName, NonNullable<Story['homes'][NodeName]>][]).map(
      ([name, h]) => {
        const n = s?.nodes[name]
        return {
          name,
          role: h.role,
          peerId: h.peerId,
          ...(n?.ready === undefined ? {} : { api: n.ready.api }),
          ...(n?.pid === undefined ? {} : { pid: n.pid }),
          running: n?.running ?? false,
        }
      },
    ),
    pids: s?.pids ?? [],
    steps: narr.steps,
    operations: narr.operations,
    transfers: s?.transfers ?? [],
    refusals: s?.refusals ?? [],
  }
  if (o.failure !== undefined) report.error = errorOf(o.failure)
  if (s !== undefined) {
    report.chain = { rpcUrl: s.chain.anvil.rpcUrl, chainId: s.chain.anvil.chainId }
    if (stv3 !== undefined)
      Object.assign(report.chain, {
        token: stv3.token,
        didRegistry: stv3.didRegistry,
        treasury: stv3.treasury,
      })
    if (s.issuerKey !== undefined)
      report.issuerKey = { keyId: s.issuerKey.keyId, address: s.issuerKey.address }
    if (s.wallet !== undefined) {
      report.wallet = { keyId: s.wallet.keyId, address: s.wallet.address, investorDid: s.actors.investor.did }
      if (s.walletAfter !== undefined) report.wallet.addressAfterReplacement = s.walletAfter
    }
  }
  return report
}
