// Pending nonces per (chainId, address). Reservations are handed out consecutively under
// concurrency; a nonce whose ceremony fails before broadcast is released and handed out again
// first, so no gap stays behind. State starts from eth_getTransactionCount(address, 'pending') and
// is rebuilt from it after a nonce error or an unknown outcome (resync): nonces the chain does not
// know and nobody holds become free again, nonces the chain already used are skipped.
import type { Address, Client, NonceManager as ViemNonceManager } from 'viem'
import { getTransactionCount } from 'viem/actions'
import { toChainError } from './errors.ts'

/** What the manager reads from the chain (a viem PublicClient fits). */
export type NonceSource = {
  getTransactionCount(args: { address: Address; blockTag: 'pending' }): Promise<number>
}

export type NonceKey = { chainId: number; address: Address; client: NonceSource }

export type NonceLease = {
  readonly nonce: number
  /** Not broadcast (the ceremony or the broadcast was refused): hand the nonce out again. */
  release(): void
  /** Accepted by the node: the nonce stays taken until settle(). */
  broadcast(): void
  /** Mined (success or revert) or replaced: stop tracking. */
  settle(): void
  /** Outcome unknown or the chain disagrees (nonce error, timeout): forget it and resync before the next reservation. */
  invalidate(): void
}

export type NonceManager = {
  reserve(key: NonceKey): Promise<NonceLease>
  /** Rebuild the state of `key` from the chain now. */
  resync(key: NonceKey): Promise<void>
  /** Resync `key` before its next reservation. */
  invalidate(key: Pick<NonceKey, 'chainId' | 'address'>): void
  /** The nonce the next reservation would get, without reserving it. */
  peek(key: NonceKey): Promise<number>
  /** Held and free nonces, for diagnostics and tests. */
  inspect(
    key: Pick<NonceKey, 'chainId' | 'address'>,
  ): { next: number; free: number[]; reserved: number[]; broadcast: number[]; stale: boolean } | undefined
}

type State = {
  next: number
  /** Released or rediscovered nonces below `next`, ascending. */
  free: number[]
  reserved: Set<number>
  broadcast: Set<number>
  stale: boolean
  syncing?: Promise<void>
}

const keyOf = (k: Pick<NonceKey, 'chainId' | 'address'>) => `${k.chainId}:${k.address.toLowerCase()}`

function insertSorted(list: number[], n: number): void {
  if (list.includes(n)) return
  let i = list.length
  while (i > 0 && list[i - 1] > n) i--
  list.splice(i, 0, n)
}

/** Rebuild from the chain's pending count `c`: [c, next) minus held nonces is free. */
function applyChainCount(s: State, c: number): void {
  // A broadcast nonce below the count is taken on chain (by this transaction or another): forget it.
  for (const n of s.broadcast) if (n < c) s.broadcast.delete(n)
  let top = c
  for (const n of [...s.reserved, ...s.broadcast]) top = Math.max(top, n + 1)
  const free: number[] = []
  for (let n = c; n < top; n++) if (!s.reserved.has(n) && !s.broadcast.has(n)) free.push(n)
  s.next = top
  s.free = free
  s.stale = false
}

export function createNonceManager(): NonceManager {
  const states = new Map<string, State>()

  const sync = (key: NonceKey, s: State): Promise<void> => {
    if (s.syncing) return s.syncing
    s.syncing = key.client
      .getTransactionCount({ address: key.address, blockTag: 'pending' })
      .then(
        (c) => applyChainCount(s, c),
        (err) => {
          throw toChainError(err, { step: 'nonce', address: key.address })
        },
      )
      .finally(() => {
        s.syncing = undefined
      })
    return s.syncing
  }

  const ready = async (key: NonceKey): Promise<State> => {
    const id = keyOf(key)
    let s = states.get(id)
    if (s === undefined) {
      s = { next: 0, free: [], reserved: new Set(), broadcast: new Set(), stale: true }
      states.set(id, s)
    }
    // Loop: a lease may invalidate the state while we wait for a sync.
    while (s.stale || s.syncing) await sync(key, s)
    return s
  }

  return {
    async reserve(key) {
      const s = await ready(key)
      const nonce = s.free.length > 0 ? s.free.shift()! : s.next++
      s.reserved.add(nonce)
      let done = false
      const finish = (): boolean => {
        if (done) return false
        done = true
        return true
      }
      return {
        nonce,
        release() {
          if (!s.reserved.has(nonce) || !finish()) return
          s.reserved.delete(nonce)
          if (!s.stale && nonce < s.next) insertSorted(s.free, nonce)
        },
        broadcast() {
          if (!s.reserved.delete(nonce)) return
          s.broadcast.add(nonce)
        },
        settle() {
          if (!finish()) return
          s.reserved.delete(nonce)
          s.broadcast.delete(nonce)
        },
        invalidate() {
          if (!finish()) return
          s.reserved.delete(nonce)
          s.broadcast.delete(nonce)
          s.stale = true
        },
      }
    },
    async resync(key) {
      const id = keyOf(key)
      const s = states.get(id)
      if (s === undefined) {
        await ready(key)
        return
      }
      s.stale = true
      await ready(key)
    },
    invalidate(key) {
      const s = states.get(keyOf(key))
      if (s !== undefined) s.stale = true
    },
    async peek(key) {
      const s = await ready(key)
      return s.free.length > 0 ? s.free[0] : s.next
    },
    inspect(key) {
      const s = states.get(keyOf(key))
      if (s === undefined) return undefined
      return {
        next: s.next,
        free: [...s.free],
        reserved: [...s.reserved].sort((a, b) => a - b),
        broadcast: [...s.broadcast].sort((a, b) => a - b),
        stale: s.stale,
      }
    },
  }
}

/**
 * This manager as a viem NonceManager, for `toThresholdAccount({ nonceManager })`: transactions that
 * viem sends (walletClient.sendTransaction, writeContract) then draw from the same sequence as the
 * submitter. viem signs and broadcasts right after `consume`, so the nonce is held as broadcast;
 * when a send fails viem calls `reset` with the nonce, and the next reservation resyncs from the
 * chain (a failed send does not prove the nonce unused).
 */
export function toViemNonceManager(manager: NonceManager): ViemNonceManager {
  const leases = new Map<string, NonceLease>()
  const MAX_TRACKED = 1024
  const id = (chainId: number, address: Address, nonce: number) =>
    `${chainId}:${address.toLowerCase()}:${nonce}`
  const source = (client: Client): NonceSource => ({
    getTransactionCount: (args) => getTransactionCount(client, args),
  })
  return {
    async consume({ address, chainId, client }) {
      const lease = await manager.reserve({ chainId, address, client: source(client) })
      lease.broadcast()
      leases.set(id(chainId, address, lease.nonce), lease)
      if (leases.size > MAX_TRACKED) leases.delete(leases.keys().next().value!)
      return lease.nonce
    },
    get({ address, chainId, client }) {
      return manager.peek({ chainId, address, client: source(client) })
    },
    increment() {
      // consume() already moved the sequence on.
    },
    reset({ address, chainId, nonce }) {
      const lease = nonce === undefined ? undefined : leases.get(id(chainId, address, nonce))
      if (lease !== undefined) {
        leases.delete(id(chainId, address, nonce!))
        lease.invalidate()
      } else manager.invalidate({ chainId, address })
    },
  }
}
