// Phase 2: K signatures, at most C in flight, each with a seeded random signer set of t nodes, over
// the faulty network. An attempt ends when every signer has output, failed or been told of an abort,
// or at the timeout (the protocol has no retransmission: a lost message stalls the session). A failed
// attempt is retried after a backoff with a set chosen by the coordinator (coordinator.ts), up to
// --max-attempts. Crashed nodes lose their sessions and come back with the share they had stored.

import { toHex } from '../../protocol/bytes.ts'
import { isProtocolError } from '../../protocol/errors.ts'
import { type KeyShare, parseKeyShare, serializeKeyShare } from '../../protocol/keyshare.ts'
import { type Signature, SignParty } from '../../protocol/sign/party.ts'
import type { SimConfig } from '../config.ts'
import { type MaliciousBehaviour, type MaliciousClass, maliciousBehaviour } from '../faults/malicious.ts'
import type { SeededRng } from '../seeded-rng.ts'
import { Checks } from './checks.ts'
import { Cluster, type Session } from './cluster.ts'
import { Coordinator, SUSPICION } from './coordinator.ts'
import { cpuSince, type DkgResult } from './dkg-phase.ts'
import { type CrashLog, faultTable, type PartitionState } from './fault-table.ts'
import { Network } from './network.ts'
import { Scheduler, type Timer } from './scheduler.ts'
import type { AttemptRecord, Detection, JobRecord, Progress } from './types.ts'

type Job = JobRecord & { digestBytes: Uint8Array }

type Attempt = {
  rec: AttemptRecord
  job: Job
  pending: Set<number>
  outputs: Map<number, Signature>
  failures: Map<number, unknown>
  sessions: Map<number, Session<Signature>>
  compute: Map<number, number>
  faults: Set<string>
  over: boolean
  timer?: Timer
}

type FaultState = { touched: number; failed: number }

export function runSignPhase(
  config: SimConfig,
  root: SeededRng,
  dkg: DkgResult,
  progress?: (p: Progress) => void,
) {
  const wall0 = performance.now()
  const cpu0 = process.cpuUsage()
  const { nodes: n, threshold: t, faults: plan } = config
  const everyone = Array.from({ length: n }, (_, k) => k + 1)
  const sched = new Scheduler()
  const stored = new Map(everyone.map((i) => [i, dkg.stored[i - 1]!]))
  const shares = new Map<number, KeyShare | null>(everyone.map((i) => [i, parseKeyShare(stored.get(i)!)]))
  const publicKey = shares.get(1)!.publicKey
  const behaviours = new Map<number, MaliciousBehaviour>(
    plan.malicious.map((m) => [m.node, maliciousBehaviour(m.cls)]),
  )
  const checks = new Checks(new Map<number, MaliciousClass>(plan.malicious.map((m) => [m.node, m.cls])))
  const coordinator = new Coordinator(n, t, root.fork('select'), config.suspicionHalfLifeMs)
  const attempts = new Map<number, Attempt>()
  const faultState = new Map<string, FaultState>(plan.items.map((i) => [i.spec, { touched: 0, failed: 0 }]))
  const specOf = (kind: string) => plan.items.find((i) => i.kind === kind)?.spec ?? kind
  const acts = new Map<number, number>()
  const roundSim = new Map<number, number[]>()
  const roundCompute = new Map<number, number[]>()
  const crashLog = new Map<string, CrashLog>()
  const partitionState: PartitionState[] = plan.partitions.map((p) => ({
    p,
    active: false,
    from: -1,
    to: -1,
    blocked: 0,
  }))

  // A node writes its share back whenever its ban list changed (the only mutable part of a share).
  const storedBans = new Map(everyone.map((i) => [i, banList(shares.get(i)!)]))
  const persist = (i: number) => {
    const share = shares.get(i)
    if (!share || banList(share) === storedBans.get(i)) return
    stored.set(i, serializeKeyShare(share))
    storedBans.set(i, banList(share))
  }

  const cluster: Cluster<Signature> = new Cluster<Signature>(n, sched, {
    live: (s) => attempts.get(s)?.over === false,
    step(info) {
      const att = attempts.get(info.session)
      if (!att) return
      att.compute.set(info.round, Math.max(att.compute.get(info.round) ?? 0, info.ms))
      if (info.round > 0) push(roundCompute, info.round, info.ms)
      checks.step(info)
      const e = info.error
      if (isProtocolError(e) && e.kind === 'invalid')
        att.rec.detections.push(detection(info.node, info.round, e))
    },
    output(node, session, sig) {
      const att = attempts.get(session.id)
      if (!att) return
      checks.verify(sig, att.job.digestBytes, publicKey, `signature ${att.job.index}, node ${node}`)
      att.outputs.set(node, sig)
      att.sessions.set(node, session)
      att.pending.delete(node)
      if (att.pending.size === 0) endAttempt(att, false)
    },
    failure(node, session, round, error) {
      const att = attempts.get(session.id)
      if (att) fail(att, node, round, error)
    },
    crashHere(node, session, round) {
      const att = attempts.get(session)
      if (!att) return false
      const c = plan.crashes.find(
        (x) =>
          x.node === node &&
          x.round === round &&
          !crashLog.has(x.spec) &&
          (x.sign ?? att.job.index) === att.job.index,
      )
      if (!c) return false
      crashLog.set(c.spec, { at: sched.now, sign: att.job.index, sessions: cluster.node(node).sessions.size })
      shares.set(node, null)
      for (const s of cluster.node(node).sessions.keys()) attempts.get(s)?.faults.add(c.spec)
      sched.after(c.downMs, () => {
        cluster.restart(node)
        const share = parseKeyShare(stored.get(node)!)
        shares.set(node, share)
        const log = crashLog.get(c.spec)!
        log.restartedAt = sched.now
        log.reloaded = `key share reloaded from storage (${[...share.banned].length} bans)`
      })
      return true
    },
    rewrite(node, session, to, round, payload) {
      const b = behaviours.get(node)
      const att = attempts.get(session)
      if (!b || !att) return undefined
      const out = b.rewrite(session, to, round, payload)
      if (!out) return undefined
      checks.markTampered(out, session, node, b.cls)
      acts.set(node, (acts.get(node) ?? 0) + 1)
      att.faults.add(plan.malicious.find((m) => m.node === node)!.spec)
      return out
    },
  })
  const net = root.fork('net')
  cluster.network = new Network(sched, net, config.network, plan, {
    cut(a, b) {
      for (const ps of partitionState) {
        if (!ps.active) continue
        const inA = ps.p.nodes.includes(a)
        const inB = ps.p.nodes.includes(b)
        if (inA !== inB) {
          ps.blocked++
          return ps.p.spec
        }
      }
      return null
    },
    arrive: (e) => cluster.arrive(e),
    touch(session, fault) {
      attempts.get(session)?.faults.add(fault.includes(':') ? fault : specOf(fault))
    },
  })

  // --- jobs and attempts -------------------------------------------------------------------------
  const digests = root.fork('digest')
  const jobs: Job[] = Array.from({ length: config.signatures }, (_, k) => {
    const digestBytes = digests.fill(new Uint8Array(32))
    return {
      index: k + 1,
      digest: toHex(digestBytes),
      digestBytes,
      status: 'failed',
      queuedAt: 0,
      doneAt: 0,
      attempts: [],
    }
  })
  let next = 0
  let inFlight = 0
  let finished = 0
  let sessionIds = 0
  const done = new Set<number>()

  const banned = (a: number, b: number) => {
    const s = shares.get(a) ?? parseKeyShare(stored.get(a)!)
    return s.banned.has(b)
  }

  function dispatch(): void {
    while (inFlight < config.concurrency && next < jobs.length) {
      const job = jobs[next++]!
      inFlight++
      job.queuedAt = sched.now
      for (const ps of partitionState)
        if (!ps.active && ps.from < 0 && ps.p.from <= job.index) {
          ps.active = true
          ps.from = sched.now
        }
      startAttempt(job)
    }
  }

  function startAttempt(job: Job): void {
    const signers = coordinator.select(sched.now, banned)
    const session = ++sessionIds
    const rec: AttemptRecord = {
      attempt: job.attempts.length + 1,
      session,
      signers: signers ?? [],
      startedAt: sched.now,
      endedAt: sched.now,
      outcome: 'no-signer-set',
      detections: [],
      suspects: [],
      faults: [],
      computeMs: 0,
    }
    job.attempts.push(rec)
    if (!signers) return finishJob(job, undefined)
    const att: Attempt = {
      rec,
      job,
      pending: new Set(signers),
      outputs: new Map(),
      failures: new Map(),
      sessions: new Map(),
      compute: new Map(),
      faults: new Set(),
      over: false,
    }
    attempts.set(session, att)
    const rng = root.fork(`sign/${job.index}/${rec.attempt}`)
    const context = rng.fill(new Uint8Array(32))
    for (const i of signers)
      cluster.network.control(0, i, () => {
        const share = shares.get(i)
        if (att.over || !share || !cluster.node(i).up) return
        let party: SignParty
        try {
          party = new SignParty({
            share,
            signers,
            digest: job.digestBytes,
            context,
            rng: rng.fork(`party/${i}`),
          })
        } catch (e) {
          return fail(att, i, 0, e)
        }
        cluster.open(i, session, party, signers)
      })
    att.timer = sched.after(config.timeoutMs, () => {
      if (!att.over) endAttempt(att, true)
    })
  }

  function fail(att: Attempt, node: number, round: number, error: unknown): void {
    if (att.over) return
    const first = att.failures.size === 0
    att.failures.set(node, error)
    att.pending.delete(node)
    if (isProtocolError(error)) att.rec.detections.push(detection(node, round, error))
    persist(node)
    if (first)
      for (const j of att.pending)
        cluster.network.control(node, j, () => {
          if (att.over || !cluster.close(j, att.rec.session)) return
          att.pending.delete(j)
          if (att.pending.size === 0) endAttempt(att, false)
        })
    if (att.pending.size === 0) endAttempt(att, false)
  }

  function endAttempt(att: Attempt, timedOut: boolean): void {
    att.over = true
    att.timer?.cancel()
    const { rec, job } = att
    const now = sched.now
    const suspects = new Map<number, number>()
    const suspect = (i: number, w: number) => suspects.set(i, Math.max(suspects.get(i) ?? 0, w))
    if (timedOut)
      for (const j of att.pending) {
        const s = cluster.node(j).sessions.get(rec.session)
        if (!s) suspect(j, SUSPICION.stalled)
        else for (const k of s.others) if (!s.buffer.get(s.party.round)?.has(k)) suspect(k, SUSPICION.stalled)
      }
    for (const j of rec.signers) {
      cluster.close(j, rec.session)
      persist(j)
    }
    for (const d of rec.detections) for (const c of d.culprits) suspect(c, SUSPICION.named)
    const unattributed = [...att.failures.values()].some(
      (e) => !isProtocolError(e) || e.culprits.length === 0,
    )
    if (unattributed)
      for (const j of rec.signers) if (!att.failures.has(j)) suspect(j, SUSPICION.unattributed)
    const ok = att.outputs.size === rec.signers.length
    rec.endedAt = now
    rec.outcome = ok ? 'ok' : timedOut ? 'timeout' : 'abort'
    if (!ok) {
      const firstFailure = [...att.failures.values()][0]
      rec.cause = timedOut
        ? 'timeout'
        : isProtocolError(firstFailure)
          ? firstFailure.code
          : String(firstFailure)
      for (const [i, w] of suspects)
        coordinator.suspect(i, w, now, w === SUSPICION.stalled ? 'stall' : 'blame')
      rec.suspects = [...suspects.keys()].sort((a, b) => a - b)
    }
    rec.faults = [...att.faults].sort()
    rec.computeMs = [...att.compute.values()].reduce((a, b) => a + b, 0)
    for (const f of rec.faults) {
      const st = faultState.get(f)
      if (!st) continue
      st.touched++
      if (!ok) st.failed++
    }
    if (ok) {
      const sigs = [...att.outputs.values()]
      const [sig] = sigs
      if (sigs.some((s) => s.r !== sig!.r || s.s !== sig!.s))
        checks.violate('valid-signatures', `signature ${job.index}: signers output different signatures`)
      const sessions = [...att.sessions.values()]
      const end = (r: number) => Math.max(...sessions.map((s) => s.doneAt[r] ?? 0))
      for (let r = 1; r <= 4; r++) push(roundSim, r, end(r) - end(r - 1))
      return finishJob(job, sig)
    }
    if (job.attempts.length < config.maxAttempts) sched.after(config.backoffMs, () => startAttempt(job))
    else finishJob(job, undefined)
  }

  function finishJob(job: Job, sig: Signature | undefined): void {
    job.status = sig ? 'ok' : 'failed'
    job.doneAt = sched.now
    if (sig)
      job.signature = {
        r: sig.r.toString(16).padStart(64, '0'),
        s: sig.s.toString(16).padStart(64, '0'),
        recovery: sig.recovery,
      }
    inFlight--
    finished++
    done.add(job.index)
    progress?.({ phase: 'sign', done: finished, total: jobs.length })
    for (const ps of partitionState)
      if (ps.active && jobs.slice(ps.p.from - 1, ps.p.to).every((j) => done.has(j.index))) {
        ps.active = false
        ps.to = sched.now
      }
    dispatch()
  }

  dispatch()
  while (sched.step()) {}

  // --- end-of-run checks and the faults table ------------------------------------------------------
  const malicious = new Set(plan.malicious.map((m) => m.node))
  const bans = everyone.map((i) => {
    const live = [...(shares.get(i) ?? parseKeyShare(stored.get(i)!)).banned].sort((a, b) => a - b)
    const fromStore = [...parseKeyShare(stored.get(i)!).banned].sort((a, b) => a - b)
    for (const b of new Set([...live, ...fromStore]))
      if (!malicious.has(b)) checks.violate('no-honest-banned', `node ${i} banned honest node ${b}`)
    if (live.join() !== fromStore.join())
      checks.violate('no-honest-banned', `node ${i}: stored bans [${fromStore}] differ from live [${live}]`)
    return { node: i, live, stored: fromStore }
  })
  for (const d of checks.banDetections)
    if (!bans[d.node - 1]!.stored.includes(d.culprit))
      checks.violate(
        'attribution',
        `node ${d.node} detected a ban-class act of ${d.culprit} but did not persist the ban`,
      )

  const c = cluster.counters
  const nc = cluster.network.counters
  const faults = faultTable({
    plan,
    state: faultState,
    network: nc,
    session: c,
    partitions: partitionState,
    crashes: crashLog,
    detections: [...attempts.values()].flatMap((a) => a.rec.detections),
    bans,
    acts,
  })

  const rounds = [...roundCompute.keys()]
    .sort((a, b) => a - b)
    .map((r) => ({
      protocol: 'sign' as const,
      round: r,
      simulatedMs: roundSim.get(r) ?? [],
      computeMs: roundCompute.get(r) ?? [],
    }))
  return {
    jobs: jobs.map(({ digestBytes: _, ...j }) => j),
    faults,
    checks,
    bans,
    malicious: [...malicious].sort((a, b) => a - b),
    phase: {
      simulatedMs: Math.max(0, ...jobs.map((j) => j.doneAt)),
      wallMs: performance.now() - wall0,
      cpuMs: cpuSince(cpu0),
      messages: c.messagesSent,
      bytes: [...c.bytesSent.values()].reduce((a, b) => a + b, 0),
      bytesSent: c.bytesSent,
      bytesReceived: c.bytesReceived,
      compute: c.compute,
      rounds,
      messageLatencies: nc.latencies,
      network: {
        deliveries: nc.deliveries,
        bytesDelivered: nc.bytesDelivered,
        dropped: nc.dropped,
        delayed: nc.delayed,
        reordered: nc.reordered,
        duplicated: nc.duplicated,
        partitioned: nc.partitioned,
      },
      session: {
        earlyBuffered: c.earlyBuffered,
        duplicatesIgnored: c.duplicatesIgnored,
        stale: c.stale,
        lostToDownNode: c.lostToDownNode,
      },
    },
  }
}

function detection(
  node: number,
  round: number,
  e: { code: string; kind: string; culprits: readonly number[]; ban: boolean },
): Detection {
  return { node, round, code: e.code, kind: e.kind, culprits: [...e.culprits], ban: e.ban }
}

const banList = (s: KeyShare) => [...s.banned].sort((a, b) => a - b).join()

function push(m: Map<number, number[]>, k: number, v: number): void {
  const list = m.get(k) ?? []
  list.push(v)
  m.set(k, list)
}
