// Three nodes in one process over real libp2p on loopback and real LevelDB stores: DKG, then
// signatures through each node with each pair. (Separate-process tests live in test/e2e.)

import { secp256k1 } from '@noble/curves/secp256k1.js'
import { recoverTransactionAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHomes, TEST_PASSPHRASE } from '../../test/support/cluster.ts'
import { silentLogger } from '../log/index.ts'
import { type RunningNode, startNode } from './node.ts'

let nodes: RunningNode[] = []

beforeAll(async () => {
  const homes = await createHomes([
    // Roles that co-sign routine requests (role-specific refusals are tested in test/e2e/policy).
    { name: 'provider-a', role: 'provider' },
    { name: 'provider-b', role: 'provider' },
    { name: 'provider-c', role: 'provider' },
  ])
  nodes = await Promise.all(
    homes.map((h) => startNode({ home: h.home, passphrase: TEST_PASSPHRASE, logger: silentLogger() })),
  )
})
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()))
})

describe('three nodes in one process', () => {
  it('run a 2-of-3 DKG and sign with every pair through every node', async () => {
    const committee = nodes.map((n) => n.peerId)
    const key = await nodes[0]!.createKey({ committee, threshold: 2 })
    expect(key.status).toBe('active')
    for (const n of nodes) {
      const k = await n.getKey(key.keyId)
      expect(k.publicKey).toBe(key.publicKey)
      expect(k.status).toBe('active')
    }
    const tx = {
      chainId: 31337,
      nonce: 0,
      to: '0x000000000000000000000000000000000000dEaD',
      value: '1000',
      data: '0x',
      gas: '21000',
      maxFeePerGas: '1000000000',
      maxPriorityFeePerGas: '1000000',
    }
    for (const [via, pair] of [
      [0, [0, 1]],
      [1, [1, 2]],
      [2, [0, 2]],
      [0, [1, 2]],
    ] as const) {
      const sig = await nodes[via]!.sign(key.keyId, {
        transaction: { ...tx, nonce: via },
        signers: pair.map((i) => nodes[i]!.peerId),
      })
      const compact = new secp256k1.Signature(BigInt(sig.r), BigInt(sig.s)).toBytes('compact')
      expect(
        secp256k1.verify(
          compact,
          Buffer.from(sig.digest.slice(2), 'hex'),
          Buffer.from(key.publicKey.slice(2), 'hex'),
          { prehash: false },
        ),
      ).toBe(true)
      expect(
        await recoverTransactionAddress({ serializedTransaction: sig.signedTransaction as `0x02${string}` }),
      ).toBe(key.address)
    }
  })
})

describe('key lifecycle across nodes', () => {
  it('refresh keeps the address, moves every node to the next epoch and erases the old shares', async () => {
    const committee = nodes.map((n) => n.peerId)
    const key = await nodes[0]!.createKey({ committee, threshold: 2 })
    const before = await nodes[1]!.store.shares.epochs(key.keyId)
    const r = await nodes[1]!.refresh(key.keyId)
    expect(r.epoch).toBe(1)
    expect(r.address).toBe(key.address)
    // Participants apply the coordinator's commit as it arrives.
    await expect
      .poll(async () => (await Promise.all(nodes.map((n) => n.getKey(key.keyId)))).map((k) => k.epoch))
      .toEqual([1, 1, 1])
    for (const n of nodes) expect(await n.store.shares.epochs(key.keyId)).toEqual([1])
    expect(before).toEqual([0])
    const msg = await nodes[2]!.sign(key.keyId, {
      message: 'after refresh',
      signers: [nodes[2]!.peerId, nodes[0]!.peerId],
    })
    expect(msg.publicKey).toBe(key.publicKey)
  })

  it('xpub and derived addresses', async () => {
    const committee = nodes.map((n) => n.peerId)
    const key = await nodes[0]!.createKey({ committee, threshold: 2 })
    const x = await nodes[1]!.xpub(key.keyId)
    expect(x.xpub.startsWith('xpub')).toBe(true)
    const a = await nodes[2]!.address(key.keyId, 'm/0/7')
    expect(a.address).toMatch(/^0x[0-9a-fA-F]{40}$/)
    const sig = await nodes[0]!.sign(key.keyId, { message: 'derived', derivationPath: 'm/0/7' })
    expect(sig.publicKey).toBe(a.publicKey)
  })
})

describe('presignatures', () => {
  it('sign from the pool in one round; each is used once and removed from every store', async () => {
    const committee = nodes.map((n) => n.peerId)
    const key = await nodes[0]!.createKey({ committee, threshold: 2 })
    const signers = [nodes[0]!.peerId, nodes[1]!.peerId]
    const filled = await nodes[0]!.presign(key.keyId, { count: 2, signers })
    expect(filled.available).toBe(2)
    const idsAt = (i: number) =>
      nodes[i]!.store.secrets.ids({ gte: `presig/${key.keyId}/`, lt: `presig/${key.keyId}0` })
    const before = await idsAt(1)
    expect(before.length).toBe(2)
    expect(await idsAt(0)).toEqual(before)
    const sig = await nodes[0]!.sign(key.keyId, { message: 'from the pool', signers })
    expect(sig.publicKey).toBe(key.publicKey)
    // The presignature used is gone from both signers' stores (a background refill may add new ones).
    const after0 = new Set(await idsAt(0))
    const after1 = new Set(await idsAt(1))
    const consumed = before.filter((id) => !after0.has(id))
    expect(consumed.length).toBe(1)
    expect(after1.has(consumed[0]!)).toBe(false)
  })
})
