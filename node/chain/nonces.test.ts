import type { Address, Client } from 'viem'
import { describe, expect, it } from 'vitest'
import { isNodeError } from '../errors.ts'
import { createNonceManager, type NonceKey, type NonceSource, toViemNonceManager } from './nonces.ts'

const address: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

/** A chain whose pending count the test sets; counts the RPC calls. */
type FakeChain = { pending: number; calls: number; fail: boolean; client: NonceSource }

function fakeChain(pending: number): FakeChain {
  const chain: FakeChain = {
    pending,
    calls: 0,
    fail: false,
    client: {
      async getTransactionCount() {
        chain.calls++
        await new Promise((r) => setTimeout(r, 5))
        if (chain.fail) throw new Error('connection refused')
        return chain.pending
      },
    },
  }
  return chain
}

const keyOf = (client: NonceSource, chainId = 1): NonceKey => ({ chainId, address, client })

describe('nonce manager', () => {
  it('hands out consecutive nonces from the pending count under concurrency, one RPC call', async () => {
    const chain = fakeChain(5)
    const m = createNonceManager()
    const leases = await Promise.all(Array.from({ length: 50 }, () => m.reserve(keyOf(chain.client))))
    expect(leases.map((l) => l.nonce).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => 5 + i),
    )
    expect(chain.calls).toBe(1)
  })

  it('keeps separate sequences per chain id and address (case-insensitive)', async () => {
    const chain = fakeChain(3)
    const m = createNonceManager()
    expect((await m.reserve(keyOf(chain.client, 1))).nonce).toBe(3)
    expect((await m.reserve(keyOf(chain.client, 2))).nonce).toBe(3)
    const lower = { chainId: 1, address: address.toLowerCase() as Address, client: chain.client }
    expect((await m.reserve(lower)).nonce).toBe(4)
  })

  it('reuses a released nonce first, so a failed ceremony leaves no gap', async () => {
    const chain = fakeChain(0)
    const m = createNonceManager()
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => m.reserve(keyOf(chain.client))))
    b.release()
    b.release() // idempotent
    a.broadcast()
    c.broadcast()
    expect((await m.reserve(keyOf(chain.client))).nonce).toBe(1)
    expect((await m.reserve(keyOf(chain.client))).nonce).toBe(3)
    // A lease already broadcast cannot be released.
    a.release()
    expect(m.inspect(keyOf(chain.client))?.free).toEqual([])
  })

  it('resyncs after a nonce error: skips nonces the chain used, keeps held ones', async () => {
    const chain = fakeChain(0)
    const m = createNonceManager()
    const k = keyOf(chain.client)
    const leases = await Promise.all([0, 1, 2].map(() => m.reserve(k)))
    leases[2].broadcast() // nonce 2 is out and held
    chain.pending = 6 // someone else used 0..5 with this key
    leases[0].invalidate() // nonce too low
    const next = await m.reserve(k)
    expect(next.nonce).toBe(6)
    expect(chain.calls).toBe(2)
  })

  it('resync frees nonces the chain never saw (dropped or never sent)', async () => {
    const chain = fakeChain(10)
    const m = createNonceManager()
    const k = keyOf(chain.client)
    const leases = await Promise.all([0, 1, 2, 3].map(() => m.reserve(k))) // 10..13
    for (const l of leases) l.broadcast()
    leases[0].settle()
    leases[1].settle() // 10, 11 mined
    chain.pending = 12 // 13 is pending; 12 was dropped
    leases[2].invalidate() // 12 timed out
    const l12 = await m.reserve(k)
    expect(l12.nonce).toBe(12)
    expect((await m.reserve(k)).nonce).toBe(14)
    expect(m.inspect(k)).toMatchObject({ next: 15, free: [], reserved: [12, 14], broadcast: [13] })
  })

  it('explicit resync moves down to the chain when nothing is held', async () => {
    const chain = fakeChain(4)
    const m = createNonceManager()
    const k = keyOf(chain.client)
    for (let i = 0; i < 3; i++) (await m.reserve(k)).settle() // 4, 5, 6 "sent" but lost
    chain.pending = 5
    await m.resync(k)
    expect(m.inspect(k)).toMatchObject({ next: 5, free: [], stale: false })
    expect((await m.reserve(k)).nonce).toBe(5)
  })

  it('an RPC failure while syncing is a typed error and is retried on the next reservation', async () => {
    const chain = fakeChain(2)
    chain.fail = true
    const m = createNonceManager()
    await expect(m.reserve(keyOf(chain.client))).rejects.toSatisfy((e) => isNodeError(e, 'CHAIN_RPC_ERROR'))
    chain.fail = false
    expect((await m.reserve(keyOf(chain.client))).nonce).toBe(2)
  })

  it('serves viem as a NonceManager: consume draws from the shared sequence, reset resyncs', async () => {
    let pending = 9
    let calls = 0
    const client = {
      async request({ method }: { method: string }) {
        calls++
        if (method !== 'eth_getTransactionCount') throw new Error(method)
        return `0x${pending.toString(16)}`
      },
    } as unknown as Client
    const m = createNonceManager()
    const viem = toViemNonceManager(m)
    const chainId = 5
    expect(await viem.get({ address, chainId, client })).toBe(9)
    expect(await viem.consume({ address, chainId, client })).toBe(9)
    const lease = await m.reserve({ chainId, address, client: { getTransactionCount: async () => pending } })
    expect(lease.nonce).toBe(10)
    expect(await viem.consume({ address, chainId, client })).toBe(11)
    expect(calls).toBe(1)
    // viem's send of 11 failed before the node took it: resync, and 11 comes back.
    viem.reset({ address, chainId, nonce: 11 })
    lease.broadcast()
    pending = 11
    expect(await viem.consume({ address, chainId, client })).toBe(11)
    expect(calls).toBe(2)
    // A reset without a nonce also resyncs.
    pending = 20
    viem.reset({ address, chainId })
    expect(await viem.consume({ address, chainId, client })).toBe(20)
  })
})
