// Backup and restore with real nodes in one process (libp2p on loopback, LevelDB stores): a node
// whose database is lost comes back from its archive with the same peer id and co-signs; an archive
// older than a refresh brings back a retired share, which the other nodes refuse (EPOCH_RETIRED).

import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHomes, TEST_PASSPHRASE, type TestHome } from '../../test/support/cluster.ts'
import { homePaths } from '../config/index.ts'
import { silentLogger } from '../log/index.ts'
import { type RunningNode, startNode } from '../service/node.ts'
import { backupHome, restoreHome } from './operations.ts'

const COST = { N: 1 << 10, r: 8, p: 1 }
let homes: TestHome[] = []
let nodes: (RunningNode | undefined)[] = []
const start = (h: TestHome) =>
  startNode({ home: h.home, passphrase: TEST_PASSPHRASE, logger: silentLogger() })
const node = (i: number): RunningNode => nodes[i]!

async function stop(i: number): Promise<void> {
  await nodes[i]?.stop()
  nodes[i] = undefined
}

beforeAll(async () => {
  homes = await createHomes([
    { name: 'provider-a', role: 'provider' },
    { name: 'provider-b', role: 'provider' },
    { name: 'provider-c', role: 'provider' },
  ])
  nodes = await Promise.all(homes.map(start))
})
afterAll(async () => {
  await Promise.all(nodes.map((n) => n?.stop()))
  if (homes[0] !== undefined) await rm(join(homes[0].home, '..'), { recursive: true, force: true })
})

describe('a node restored from its backup', () => {
  it('keeps its peer id and signs again; restored to a retired epoch, it is refused by its peers', async () => {
    const committee = nodes.map((n) => n!.peerId)
    const key = await node(0).createKey({ committee, threshold: 2 })
    await expect
      .poll(async () => (await Promise.all(nodes.map((n) => n!.getKey(key.keyId)))).map((k) => k.status))
      .toEqual(['active', 'active', 'active'])
    const archive = join(homes[1]!.home, '..', 'provider-b.backup')
    const peerId = node(1).peerId

    // The node is stopped, backed up, and loses its database.
    await stop(1)
    const b = await backupHome({
      home: homes[1]!.home,
      out: archive,
      passphrase: TEST_PASSPHRASE,
      scrypt: COST,
    })
    expect(b.keys).toBe(1)
    await rm(homePaths(homes[1]!.home).db, { recursive: true })
    const r = await restoreHome({
      home: homes[1]!.home,
      input: archive,
      passphrase: TEST_PASSPHRASE,
      scrypt: COST,
    })
    expect(r).toMatchObject({
      peerId,
      identity: 'added',
      keys: [{ keyId: key.keyId, epoch: 0, action: 'added' }],
    })
    nodes[1] = await start(homes[1]!)
    expect(node(1).peerId).toBe(peerId)
    for (const via of [1, 0]) {
      const sig = await node(via).sign(key.keyId, {
        message: `after restore via ${via}`,
        signers: [node(0).peerId, node(1).peerId],
      })
      expect(sig.publicKey).toBe(key.publicKey)
    }

    // A refresh moves everyone to epoch 1; the archive now holds a retired share.
    const refreshed = await node(0).refresh(key.keyId)
    expect(refreshed.epoch).toBe(1)
    await expect
      .poll(async () => (await Promise.all(nodes.map((n) => n!.getKey(key.keyId)))).map((k) => k.epoch))
      .toEqual([1, 1, 1])
    await stop(1)
    await expect(
      restoreHome({ home: homes[1]!.home, input: archive, passphrase: TEST_PASSPHRASE }),
    ).rejects.toMatchObject({ code: 'RESTORE_EPOCH_OLDER' })
    // Forced anyway: the epoch is restored as it was (0), and the peers refuse it.
    await restoreHome({ home: homes[1]!.home, input: archive, passphrase: TEST_PASSPHRASE, force: true })
    nodes[1] = await start(homes[1]!)
    expect((await node(1).getKey(key.keyId)).epoch).toBe(0)
    const refused = { code: 'CEREMONY_REFUSED', details: { denials: [{ code: 'EPOCH_RETIRED' }] } }
    await expect(
      node(1).sign(key.keyId, { message: 'retired share', signers: [node(1).peerId, node(0).peerId] }),
    ).rejects.toMatchObject(refused)
    await expect(
      node(0).sign(key.keyId, { message: 'with a retired peer', signers: [node(0).peerId, node(1).peerId] }),
    ).rejects.toMatchObject(refused)
    const ok = await node(0).sign(key.keyId, {
      message: 'the current epoch still works',
      signers: [node(0).peerId, node(2).peerId],
    })
    expect(ok.publicKey).toBe(key.publicKey)
  })
})
