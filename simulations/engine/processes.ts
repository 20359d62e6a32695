// The `processes` engine: one OS process per node (`mpc-node start`), real libp2p over loopback, real
// LevelDB stores, ceremonies driven through each node's HTTP API. Faults are real too: `crash:N@…`
// SIGKILLs node N when signature K (default: the first) starts and restarts it after DUR; message
// faults (drop, delay, reorder, duplicate, partition) and malicious parties need a tampering
// transport and stay with the in-process engine. Time is wall-clock: there is no seeded scheduler,
// so runs are not replayable byte for byte (the seed still chooses signer sets and messages).

import { rmSync } from 'node:fs'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { hashMessage, hexToBytes } from 'viem'
import { createHomes } from '../../test/support/cluster.ts'
import { call, NodeProcess } from '../../test/support/node-process.ts'
import type { SimConfig } from '../config.ts'
import { SimErrorCodes, SimulationError } from '../errors.ts'
import { seededRng } from '../seeded-rng.ts'
import type {
  AttemptRecord,
  EngineHooks,
  FaultOutcome,
  JobRecord,
  PhaseRecord,
  SimRecord,
  SimulationEngine,
} from './types.ts'

type Key = { keyId: string; publicKey: string }
type Sig = { r: string; s: string; yParity: number; digest: string }

const emptyPhase = (wallMs: number): PhaseRecord => ({
  simulatedMs: wallMs,
  wallMs,
  cpuMs: 0,
  messages: 0,
  bytes: 0,
  bytesSent: new Map(),
  bytesReceived: new Map(),
  compute: new Map(),
  rounds: [],
})

export const processesEngine: SimulationEngine = {
  name: 'processes',
  async run(config: SimConfig, hooks?: EngineHooks): Promise<SimRecord> {
    const f = config.faults
    const unsupported = f.items.filter((i) => i.kind !== 'crash')
    if (unsupported.length > 0)
      throw new SimulationError(
        SimErrorCodes.FAULT_SPEC,
        `the processes engine injects crashes only, not ${unsupported.map((i) => i.kind).join(', ')}`,
        {
          hints: ['use --engine inprocess for message faults and malicious parties'],
        },
      )
    const rng = seededRng(config.seed)
    const t0 = performance.now()
    const homes = await createHomes(
      Array.from({ length: config.nodes }, (_, k) => ({ name: `node-${k + 1}`, role: 'provider' as const })),
    )
    const signTimeoutMs = Math.max(3000, config.timeoutMs)
    const nodes = homes.map(
      (h) => new NodeProcess({ home: h.home, signTimeoutMs, dkgTimeoutMs: 300_000, logLevel: 'warn' }),
    )
    const stopAll = async () => {
      await Promise.all(nodes.map((n) => (n.running ? n.kill() : undefined)))
      rmSync(homes[0]!.home.replace(/\/node-1$/, ''), { recursive: true, force: true })
    }
    try {
      await Promise.all(nodes.map((n) => n.start()))
      // DKG through the first node's API.
      hooks?.progress?.({ phase: 'dkg', done: 0, total: 1 })
      const d0 = performance.now()
      const created = await call<Key>(
        nodes[0]!.api,
        'POST',
        '/v1/keys',
        {
          committee: nodes.map((n) => n.peerId),
          threshold: config.threshold,
        },
        600_000,
      )
      if (created.status !== 201) throw new Error(`DKG failed: ${created.text}`)
      const key = created.body
      const dkgMs = performance.now() - d0
      hooks?.progress?.({ phase: 'dkg', done: 1, total: 1 })

      const down = new Set<number>()
      const crashes = f.crashes.map((c) => ({ c, fired: false, touched: 0, failed: 0 }))
      const jobs: JobRecord[] = []
      const latencies: number[] = []
      let verified = 0
      let invalid = 0
      const s0 = performance.now()
      const pick = (exclude: Set<number>): number[] | null => {
        const pool = nodes.map((_, k) => k + 1).filter((i) => !down.has(i) && !exclude.has(i))
        if (pool.length < config.threshold) return null
        const chosen: number[] = []
        while (chosen.length < config.threshold) {
          const b = rng.fill(new Uint8Array(1))[0]! % pool.length
          chosen.push(pool.splice(b, 1)[0]!)
        }
        return chosen.sort((a, b) => a - b)
      }
      const job = async (index: number): Promise<void> => {
        for (const cr of crashes) {
          if (cr.fired || (cr.c.sign ?? 1) !== index + 1) continue
          cr.fired = true
          const n = nodes[cr.c.node - 1]!
          down.add(cr.c.node)
          await n.kill()
          setTimeout(() => {
            void n.start().then(() => down.delete(cr.c.node))
          }, cr.c.downMs).unref()
        }
        const message = `simulated signature ${index} ${Buffer.from(rng.fill(new Uint8Array(8))).toString('hex')}`
        const digest = hashMessage(message)
        const rec: JobRecord = {
          index,
          digest,
          status: 'failed',
          queuedAt: performance.now() - s0,
          doneAt: 0,
          attempts: [],
        }
        const avoid = new Set<number>()
        for (let attempt = 1; attempt <= config.maxAttempts; attempt++) {
          const signers = pick(avoid)
          const startedAt = performance.now() - s0
          const faults = crashes.filter((c) => c.fired && down.has(c.c.node)).map(() => 'crash')
          if (!signers) {
            rec.attempts.push({
              attempt,
              session: index,
              signers: [],
              startedAt,
              endedAt: startedAt,
              outcome: 'no-signer-set',
              detections: [],
              suspects: [],
              faults,
              computeMs: 0,
            })
            await new Promise((r) => setTimeout(r, Math.max(config.backoffMs, 500)))
            avoid.clear()
            continue
          }
          const via = nodes[signers[0]! - 1]!
          let reply: Awaited<ReturnType<typeof call<Sig & { error?: { code: string } }>>> | undefined
          try {
            reply = await call(
              via.api,
              'POST',
              `/v1/keys/${key.keyId}/signatures`,
              {
                message,
                signers: signers.map((i) => nodes[i - 1]!.peerId),
              },
              signTimeoutMs + 10_000,
            )
          } catch {
            reply = undefined
          }
          const endedAt = performance.now() - s0
          const ok = reply?.status === 200
          const a: AttemptRecord = {
            attempt,
            session: index,
            signers,
            startedAt,
            endedAt,
            outcome: ok ? 'ok' : reply?.status === 504 || reply === undefined ? 'timeout' : 'abort',
            cause: ok
              ? undefined
              : ((reply?.body as { error?: { code: string } } | undefined)?.error?.code ?? 'UNREACHABLE'),
            detections: [],
            suspects: ok ? [] : signers.filter((i) => down.has(i)),
            faults,
            computeMs: 0,
          }
          rec.attempts.push(a)
          for (const cr of crashes)
            if (cr.fired && signers.includes(cr.c.node) && a.startedAt >= 0) {
              cr.touched++
              if (!ok) cr.failed++
            }
          if (ok && reply) {
            const sig = reply.body
            const compact = new secp256k1.Signature(BigInt(sig.r), BigInt(sig.s)).toBytes('compact')
            const good =
              sig.digest === digest &&
              secp256k1.verify(compact, hexToBytes(digest), hexToBytes(key.publicKey as `0x${string}`), {
                prehash: false,
              })
            if (good) verified++
            else invalid++
            rec.status = 'ok'
            rec.signature = { r: sig.r, s: sig.s, recovery: sig.yParity }
            latencies.push(endedAt - startedAt)
            break
          }
          for (const i of signers) if (down.has(i)) avoid.add(i)
          if (avoid.size === 0) for (const i of signers) avoid.add(i)
          await new Promise((r) => setTimeout(r, config.backoffMs))
        }
        rec.doneAt = performance.now() - s0
        jobs[index] = rec
        hooks?.progress?.({ phase: 'sign', done: jobs.filter(Boolean).length, total: config.signatures })
      }
      let next = 0
      await Promise.all(
        Array.from({ length: Math.max(1, config.concurrency) }, async () => {
          while (next < config.signatures) await job(next++)
        }),
      )
      const signMs = performance.now() - s0
      const faults: FaultOutcome[] = crashes.map((cr) => ({
        kind: 'crash',
        spec: cr.c.spec,
        injected: cr.fired ? 1 : 0,
        attemptsTouched: cr.touched,
        attemptsFailed: cr.failed,
        outcome: cr.fired
          ? `SIGKILL, restarted after ${cr.c.downMs} ms; ${cr.failed} attempt(s) failed and were retried`
          : 'not reached',
      }))
      const violations: SimRecord['checks']['violations'] = []
      if (invalid > 0)
        violations.push({ invariant: 'valid-signatures', detail: `${invalid} signatures did not verify` })
      const failedJobs = jobs.filter((j) => j.status !== 'ok').length
      if (failedJobs > 0)
        violations.push({ invariant: 'recovery', detail: `${failedJobs} signatures never completed` })
      const phase = emptyPhase(signMs)
      return {
        config,
        dkg: { ...emptyPhase(dkgMs), cached: false, publicKey: key.publicKey },
        sign: { ...phase, messageLatencies: latencies, network: {}, session: {} },
        jobs,
        faults,
        checks: {
          signaturesVerified: verified,
          signaturesInvalid: invalid,
          maliciousActs: 0,
          actsProcessed: 0,
          actsDetected: 0,
          violations,
          bans: nodes.map((_, k) => ({ node: k + 1, live: [], stored: [] })),
          malicious: [],
        },
        wallMs: performance.now() - t0,
      }
    } finally {
      await stopAll()
    }
  },
}
