// The policy gate and the audit trail of a node (issue: DID-linked policy before co-signing and a
// tamper-evident audit trail). Every participant asks `judge` before it computes anything; every
// ceremony end goes through `finished`. This module is the seam between the ceremony engine and
// node/policy + node/audit.
//
// - Policy: the file named by config.policy, loaded and hot-reloaded by PolicyStore. No valid
//   policy: every proposal is refused (NO_POLICY). A dev policy logs a loud warning at every start.
// - Signing (gate/sign.ts): the request JWS is verified (audience = the key id in hex, replay ids
//   persisted), the context gathered (chain facts over config.chain.rpcUrl when set, else none, so a
//   policy that needs them denies with CHAIN_VIEW_UNAVAILABLE; spending history persisted), the
//   policy evaluates, and the request and the decision are audited before the answer. Requests
//   without a JWS are co-signed only under a dev policy (REQUEST_UNSIGNED otherwise).
// - DKG, refresh, resharing (gate/ceremony.ts): evaluateCeremony with the node's role.
// - Storage: `<home>/audit/` (node/audit/open.ts), the folder `mpc-node audit` reads.
// - Incidents (gate/incidents.ts): denials, audit failures and policy errors, logged with a
//   severity, counted (`incidentCounts()`) and passed to `onIncident` (the /metrics counter).

import type { Proposal } from '../../proto/types.ts'
import { type AuditDb, openAuditDb, REPLAY_SUBLEVEL, SPEND_SUBLEVEL } from '../audit/open.ts'
import { homePaths, type NodeConfig } from '../config/index.ts'
import type { Logger } from '../log/index.ts'
import { LevelReplayStore, LevelSpendingHistory, type Policy, PolicyStore } from '../policy/index.ts'
import type { Admission, CeremonyHooks } from '../sessions/types.ts'
import type { Store } from '../store/store.ts'
import { judgeCeremony } from './gate/ceremony.ts'
import { createChainFacts } from './gate/chain-view.ts'
import { contentOfRequest } from './gate/content.ts'
import { type GateContext, hexOf } from './gate/context.ts'
import { onFinished } from './gate/finish.ts'
import { createIncidents, type Incident } from './gate/incidents.ts'
import { judgeSign } from './gate/sign.ts'
import type { DecodedRequest } from './requests.ts'

export type { Incident } from './gate/incidents.ts'

export type GateInit = { config: NodeConfig; home: string; selfPeerId: string; did: string }
export type GateComponents = {
  store: Store
  logger: Logger
  /** Called for every incident the gate raises (wire it to the /metrics incident counter). */
  onIncident?: (incident: Incident) => void
  clock?: () => number
}

export type Gate = {
  /** Decide on a proposal (DKG or signing). null = no objection. Fail closed: no policy → refuse. */
  judge(proposal: Proposal, fromPeer: string, decoded?: DecodedRequest): Promise<Admission | null>
  /** Turn a signed request (compact JWS) into the transaction or message it asks for. */
  contentOf(jws: string): { transaction?: unknown; message?: unknown }
  /** Record a ceremony's end (audit, spending history, incidents). */
  finished: CeremonyHooks['finished']
  /** Record a submitted transaction. */
  recordTx(info: { keyId: string; txHash: string; status: string }): Promise<void>
  /** Incidents raised so far, keyed `kind:code`. */
  incidentCounts(): Record<string, number>
  /** The policy in force (undefined: none, every proposal is refused). */
  policy(): Policy | undefined
  stop(): Promise<void>
}

const MAX_PENDING = 10_000
const PRUNE_EVERY_MS = 10 * 60_000
const TX_STATUSES = ['sent', 'mined', 'reverted', 'replaced'] as const

export async function createGate(init: GateInit, components: GateComponents): Promise<Gate> {
  const logger = components.logger.child({ component: 'gate' })
  const incidents = createIncidents(logger, components.onIncident)
  const path = homePaths(init.home).policy(init.config)
  const db: AuditDb = await openAuditDb(init.home)
  const policies = new PolicyStore({
    path,
    onReload: (next) => {
      logger.info({ policy: path, hash: next.hash }, 'policy in force')
      if (next.dev) warnDev(logger, path)
    },
    onError: (e) =>
      incidents.report(
        { kind: 'policy-error', severity: 'high', code: e.code },
        { policy: path, hints: e.hints },
        policies.current() === undefined
          ? 'no valid policy: this node refuses every proposal'
          : 'policy file rejected: the previous version stays in force',
      ),
  })
  const g: GateContext = {
    config: init.config,
    selfPeerId: init.selfPeerId,
    store: components.store,
    logger,
    policies,
    audit: db.log,
    replay: new LevelReplayStore(db.sublevel<number>(REPLAY_SUBLEVEL)),
    history: new LevelSpendingHistory(db.sublevel<string>(SPEND_SUBLEVEL)),
    chain:
      init.config.chain.rpcUrl === undefined
        ? undefined
        : createChainFacts({ rpcUrl: init.config.chain.rpcUrl, chainId: init.config.chain.chainId }),
    incidents,
    pending: new Map(),
    signedTxs: new Map(),
    clock: components.clock ?? Date.now,
  }
  try {
    await policies.start()
  } catch (e) {
    await db.close()
    throw e
  }
  if (policies.current() === undefined)
    logger.error({ policy: path }, 'NO VALID POLICY: this node refuses every ceremony and signature')
  if (init.config.chain.rpcUrl === undefined)
    logger.info('no chain configured: policies that need chain facts deny (CHAIN_VIEW_UNAVAILABLE)')
  const prune = setInterval(
    () => void g.replay.prune(Math.floor(g.clock() / 1000) - 120).catch(() => undefined),
    PRUNE_EVERY_MS,
  )
  prune.unref()

  // Ceremony ends are recorded one after another, in the order the engine reports them.
  let tail: Promise<void> = Promise.resolve()
  let signing: Promise<unknown> = Promise.resolve()

  return {
    async judge(proposal, fromPeer, decoded) {
      try {
        if (proposal.kind !== 'sign') return await judgeCeremony(g, proposal, fromPeer)
        if (decoded === undefined)
          return {
            accept: false,
            code: 'REQUEST_INVALID',
            reasons: ['REQUEST_INVALID: a signing proposal without a decoded request (gate)'],
          }
        if (g.pending.size >= MAX_PENDING) g.pending.delete(g.pending.keys().next().value as string)
        // One signing judgement at a time, after every earlier ceremony end is recorded: the 24 h
        // totals then include every released signature and every allowed one still running.
        const run = signing.then(async () => {
          await tail
          return judgeSign(g, proposal, fromPeer, decoded)
        })
        signing = run.catch(() => undefined)
        return await run
      } catch (e) {
        incidents.report(
          { kind: 'gate-error', severity: 'high', code: 'POLICY_ERROR' },
          {
            kind: proposal.kind,
            session: hexOf(proposal.sessionNonce).slice(0, 16),
            err: (e as Error).message,
          },
          'the policy gate failed: refusing',
        )
        return {
          accept: false,
          code: 'POLICY_ERROR',
          reasons: ['POLICY_ERROR: the policy gate failed (gate)'],
        }
      }
    },

    contentOf: (jws) => contentOfRequest(jws),

    finished(info) {
      tail = tail
        .then(() => onFinished(g, info))
        .catch((e: unknown) => {
          logger.error({ err: (e as Error).message }, 'recording a ceremony end failed')
        })
    },

    async recordTx(info) {
      await tail // the signature's own records (and its tx hash) come first
      // The chain service reports 'success' for a mined, successful transaction.
      const status = info.status === 'success' ? 'mined' : info.status
      const data: Parameters<typeof db.log.append<'tx'>>[1] = {
        chainId: init.config.chain.chainId,
        txHash: info.txHash,
      }
      const requestHash = g.signedTxs.get(info.txHash.toLowerCase())
      if (requestHash !== undefined) data.requestHash = requestHash
      if ((TX_STATUSES as readonly string[]).includes(status))
        data.status = status as (typeof TX_STATUSES)[number]
      try {
        await db.log.append('tx', data)
      } catch (e) {
        incidents.report(
          { kind: 'audit-failure', severity: 'critical', code: 'AUDIT_WRITE_FAILED' },
          { auditKind: 'tx', keyId: info.keyId, err: (e as Error).message },
          'audit record could not be written',
        )
      }
    },

    incidentCounts: () => incidents.counts(),
    policy: () => policies.current(),

    async stop() {
      clearInterval(prune)
      policies.stop()
      await tail
      await db.close()
    },
  }
}

function warnDev(logger: Logger, path: string): void {
  logger.warn(
    { policy: path, dev: true },
    '!!! DEVELOPMENT POLICY IN FORCE: this node co-signs ANY well-formed request. Never use it in production. !!!',
  )
}
