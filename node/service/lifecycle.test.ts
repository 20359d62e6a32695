// Device replacement across real nodes in one process (libp2p on loopback, LevelDB stores):
// provider and recovery reshare a 2-of-3 key to a committee with a new device; the address stays,
// the new device co-signs, and the lost device's old share is refused by everyone.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHomes, TEST_PASSPHRASE } from '../../test/support/cluster.ts'
import { silentLogger } from '../log/index.ts'
import { type RunningNode, startNode } from './node.ts'

let nodes: RunningNode[] = []
beforeAll(async () => {
  const homes = await createHomes([
    { name: 'provider', role: 'provider' },
    { name: 'device-a', role: 'provider' },
    { name: 'recovery', role: 'provider' },
    { name: 'device-b', role: 'provider' },
  ])
  nodes = await Promise.all(
    homes.map((h) => startNode({ home: h.home, passphrase: TEST_PASSPHRASE, logger: silentLogger() })),
  )
})
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()))
})

describe('device replacement', () => {
  it('moves the key to a new device without changing the address; the old device is locked out', async () => {
    const [provider, deviceA, recovery, deviceB] = nodes as [
      RunningNode,
      RunningNode,
      RunningNode,
      RunningNode,
    ]
    const key = await provider.createKey({
      committee: [provider.peerId, deviceA.peerId, recovery.peerId],
      threshold: 2,
    })
    // The coordinator changes position in the new committee (slot 1 → 2).
    const committee = [deviceB.peerId, provider.peerId, recovery.peerId]
    const moved = await provider.reshare(key.keyId, {
      committee,
      threshold: 2,
      dealers: [provider.peerId, recovery.peerId],
    })
    expect(moved.address).toBe(key.address)
    expect(moved.epoch).toBe(1)
    expect(moved.committee).toEqual(committee)
    await expect.poll(async () => (await deviceB.getKey(key.keyId)).status).toBe('active')
    await expect.poll(async () => (await recovery.getKey(key.keyId)).epoch).toBe(1)
    const sig = await deviceB.sign(key.keyId, {
      message: 'new device',
      signers: [deviceB.peerId, provider.peerId],
    })
    expect(sig.publicKey).toBe(key.publicKey)
    // The lost device still holds epoch 0 and the old committee: every ceremony it starts is refused.
    expect((await deviceA.getKey(key.keyId)).epoch).toBe(0)
    await expect(
      deviceA.sign(key.keyId, { message: 'old device', signers: [deviceA.peerId, provider.peerId] }),
    ).rejects.toMatchObject({
      code: 'CEREMONY_REFUSED',
      details: { denials: [{ code: 'EPOCH_RETIRED' }] },
    })
  })
})

describe('pending epochs survive a restart', () => {
  it('a refresh leaves committed markers (persisted with the pending share) on every node', async () => {
    const [provider, deviceA, recovery] = nodes as [RunningNode, RunningNode, RunningNode, RunningNode]
    const key = await provider.createKey({
      committee: [provider.peerId, deviceA.peerId, recovery.peerId],
      threshold: 2,
    })
    await expect.poll(async () => (await recovery.getKey(key.keyId)).status).toBe('active')
    await provider.refresh(key.keyId)
    for (const n of [provider, deviceA, recovery]) {
      await expect.poll(async () => (await n.getKey(key.keyId)).epoch).toBe(1)
      const markers = (await n.store.ceremonies.list()).filter((c) => c.keyId === key.keyId)
      // One for the DKG, one for the refresh; both committed.
      expect(markers.map((c) => c.status).sort()).toEqual(['completed', 'completed'])
    }
  })
})
