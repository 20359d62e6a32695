// Everything evaluation needs beyond the policy and the request, gathered ahead of time so that
// `evaluate` stays pure: chain lookups (through an injected view) and spending history.
// A lookup that fails is left out of the context; evaluation then denies (fail closed).

import { type Movement, movementsOf } from './stv3-calls.ts'
import type { NodeRole } from './types.ts'
import type { VerifiedRequest } from './verify-request.ts'

/** Status of the DID linked to an address in the STV3 DID registry. */
export type DidStatus = { exists: boolean; expired: boolean; blocked: boolean; did?: string }

/** Read-only chain lookups (node/chain implements it over viem). */
export type ChainView = {
  canReceive(token: string, address: string): Promise<boolean>
  didOf(address: string): Promise<DidStatus>
}

export type SpendEntry = { keyId: string; token: string; amount: bigint; atMs: number; requestHash: string }

/** Amounts previously signed per key and token, for rolling limits. */
export type SpendingHistory = {
  spentSince(keyId: string, token: string, sinceMs: number): Promise<bigint> | bigint
  record(entry: SpendEntry): Promise<void> | void
}

export type KeyMetadata = {
  keyId: string
  /** Key role, e.g. "investor-wallet", "issuer-operator". */
  role: string
  /** Committee members (node DIDs or peer ids). */
  committee: readonly string[]
  /** DID of the key's owner (an investor for an investor wallet); "key-owner" in rules. */
  ownerDid?: string
}

export type EvaluationContext = {
  nowMs: number
  key: KeyMetadata
  nodeRole: NodeRole
  /** `${token}:${address}` (lower case) -> canReceive result. */
  canReceive: Readonly<Record<string, boolean>>
  /** address (lower case) -> DID status. */
  dids: Readonly<Record<string, DidStatus>>
  /** token ('native' or lower-case address) -> amount signed in the 24 h before nowMs. */
  spent24h: Readonly<Record<string, bigint>>
}

export const DAY_MS = 86_400_000

export function canReceiveKey(token: string, address: string): string {
  return `${token.toLowerCase()}:${address.toLowerCase()}`
}

/** Pre-fetches the chain facts and history the policy will need for this request. */
export async function gatherContext(
  request: VerifiedRequest,
  components: {
    nowMs: number
    key: KeyMetadata
    nodeRole: NodeRole
    chain?: ChainView
    history?: SpendingHistory
  },
): Promise<EvaluationContext> {
  const movements = movementsOf(request.claims, request.call)
  const canReceive: Record<string, boolean> = {}
  const dids: Record<string, DidStatus> = {}
  const spent24h: Record<string, bigint> = {}
  const { chain, history } = components
  const jobs: Promise<void>[] = []
  const recipients = new Set<string>()
  for (const m of movements) {
    if (m.to === undefined) continue
    recipients.add(m.to)
    if (chain !== undefined && m.token !== 'native') {
      const k = canReceiveKey(m.token, m.to)
      jobs.push(settle(chain.canReceive(m.token, m.to), (v) => (canReceive[k] = v)))
    }
  }
  if (chain !== undefined) {
    for (const a of recipients) jobs.push(settle(chain.didOf(a), (v) => (dids[a.toLowerCase()] = v)))
  }
  if (history !== undefined) {
    for (const token of new Set(movements.map((m) => m.token))) {
      const since = components.nowMs - DAY_MS
      jobs.push(
        settle(
          Promise.resolve(history.spentSince(components.key.keyId, token, since)),
          (v) => (spent24h[token] = v),
        ),
      )
    }
  }
  await Promise.all(jobs)
  return {
    nowMs: components.nowMs,
    key: components.key,
    nodeRole: components.nodeRole,
    canReceive,
    dids,
    spent24h,
  }
}

async function settle<T>(p: Promise<T>, use: (v: T) => void): Promise<void> {
  try {
    use(await p)
  } catch {
    // Left out: evaluation denies with CHAIN_VIEW_UNAVAILABLE.
  }
}

/** Records the movements of an allowed, signed request in the spending history. */
export async function recordSpending(
  history: SpendingHistory,
  request: VerifiedRequest,
  keyId: string,
  atMs: number,
) {
  for (const m of movementsOf(request.claims, request.call)) {
    await history.record({ keyId, token: m.token, amount: m.amount, atMs, requestHash: request.hash })
  }
}

/** In-memory spending history (tests, demo). */
export class MemorySpendingHistory implements SpendingHistory {
  readonly entries: SpendEntry[] = []
  spentSince(keyId: string, token: string, sinceMs: number): bigint {
    let sum = 0n
    for (const e of this.entries)
      if (e.keyId === keyId && e.token === token && e.atMs > sinceMs) sum += e.amount
    return sum
  }
  record(entry: SpendEntry): void {
    this.entries.push(entry)
  }
}

export type { Movement }
