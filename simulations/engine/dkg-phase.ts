// Phase 1: every node runs the DKG through the simulated network (no faults: the cluster is being
// set up) and stores its key share as bytes. Results are memoized per (seed, n, t, network) within a
// process: a second run with the same seed starts from the same stored shares.

import { toHex } from '../../protocol/bytes.ts'
import { DkgParty } from '../../protocol/dkg/party.ts'
import { type KeyShare, serializeKeyShare } from '../../protocol/keyshare.ts'
import type { SimConfig } from '../config.ts'
import type { SeededRng } from '../seeded-rng.ts'
import { Cluster, type Session } from './cluster.ts'
import { Network } from './network.ts'
import { Scheduler } from './scheduler.ts'
import type { PhaseRecord, Progress, RoundTiming } from './types.ts'

export type DkgResult = { stored: Uint8Array[]; record: PhaseRecord & { cached: boolean; publicKey: string } }

const memo = new Map<string, DkgResult>()

/** Forget memoized DKGs (tests that check a DKG replays from its seed). */
export function clearDkgMemo(): void {
  memo.clear()
}

export const cpuSince = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start)
  return (d.user + d.system) / 1000
}

export class DkgFailed extends Error {
  override name = 'DkgFailed'
}

export function runDkgPhase(config: SimConfig, root: SeededRng, progress?: (p: Progress) => void): DkgResult {
  const key = JSON.stringify([config.seed, config.nodes, config.threshold, config.network])
  const hit = memo.get(key)
  if (hit) return { stored: hit.stored.map((b) => b.slice()), record: { ...hit.record, cached: true } }
  const wall0 = performance.now()
  const cpu0 = process.cpuUsage()
  const { nodes: n, threshold: t } = config
  const everyone = Array.from({ length: n }, (_, k) => k + 1)
  const sched = new Scheduler()
  const shares = new Map<number, KeyShare>()
  const sessions = new Map<number, Session<KeyShare>>()
  const computeByRound = new Map<number, number[]>()
  let steps = 0
  const cluster = new Cluster<KeyShare>(n, sched, {
    live: () => true,
    step(info) {
      if (info.round > 0) {
        const list = computeByRound.get(info.round) ?? []
        list.push(info.ms)
        computeByRound.set(info.round, list)
      }
      steps++
      progress?.({ phase: 'dkg', done: steps, total: n * 5 })
    },
    output(node, session, share) {
      shares.set(node, share)
      sessions.set(node, session)
    },
    failure(node, _session, round, error) {
      throw new DkgFailed(`DKG failed at node ${node}, round ${round}: ${String(error)}`)
    },
  })
  cluster.network = new Network(sched, root.fork('dkg-net'), config.network, null, {
    cut: () => null,
    arrive: (e) => cluster.arrive(e),
    touch: () => undefined,
  })
  const rng = root.fork('dkg')
  const context = rng.fill(new Uint8Array(32))
  for (const i of everyone)
    cluster.open(i, 1, new DkgParty({ index: i, n, t, context, rng: rng.fork(`party/${i}`) }), everyone)
  while (sched.step()) {}
  if (shares.size !== n) throw new DkgFailed(`DKG stalled: ${shares.size} of ${n} nodes finished`)

  const rounds: RoundTiming[] = []
  const last = Math.max(...[...sessions.values()].map((s) => s.doneAt.length - 1))
  for (let r = 1; r <= last; r++) {
    const end = (k: number) => Math.max(...[...sessions.values()].map((s) => s.doneAt[k] ?? 0))
    rounds.push({
      protocol: 'dkg',
      round: r,
      simulatedMs: [end(r) - end(r - 1)],
      computeMs: computeByRound.get(r) ?? [],
    })
  }
  const c = cluster.counters
  const result: DkgResult = {
    stored: everyone.map((i) => serializeKeyShare(shares.get(i)!)),
    record: {
      cached: false,
      publicKey: toHex(shares.get(1)!.publicKey),
      simulatedMs: sched.now,
      wallMs: performance.now() - wall0,
      cpuMs: cpuSince(cpu0),
      messages: c.messagesSent,
      bytes: [...c.bytesSent.values()].reduce((a, b) => a + b, 0),
      bytesSent: c.bytesSent,
      bytesReceived: c.bytesReceived,
      compute: c.compute,
      rounds,
    },
  }
  memo.set(key, result)
  return { stored: result.stored.map((b) => b.slice()), record: result.record }
}
