import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LevelReplayStore, LevelSpendingHistory } from './level-stores.ts'

let dir: string
let db: Level<string, string>

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'policy-stores-'))
  db = new Level<string, string>(dir)
})
afterEach(async () => {
  await db.close()
  await rm(dir, { recursive: true, force: true })
})

describe('LevelDB-backed policy stores', () => {
  it('replay store: concurrent adds of one jti admit exactly one, and survive a reopen', async () => {
    const replay = new LevelReplayStore(db.sublevel<string, number>('replay', { valueEncoding: 'json' }))
    const results = await Promise.all(Array.from({ length: 10 }, () => replay.add('jti-1', 100)))
    expect(results.filter(Boolean)).toHaveLength(1)
    await db.close()
    db = new Level<string, string>(dir)
    const again = new LevelReplayStore(db.sublevel<string, number>('replay', { valueEncoding: 'json' }))
    expect(await again.has('jti-1')).toBe(true)
    expect(await again.add('jti-1', 100)).toBe(false)
    expect(await again.prune(101)).toBe(1)
    expect(await again.has('jti-1')).toBe(false)
  })

  it('spending history: sums only the window, per key and token', async () => {
    const h = new LevelSpendingHistory(db.sublevel<string, string>('spent', { valueEncoding: 'utf8' }))
    const rec = (keyId: string, token: string, amount: bigint, atMs: number) =>
      h.record({ keyId, token, amount, atMs, requestHash: `${atMs}` })
    await rec('k1', 'native', 5n, 1000)
    await rec('k1', 'native', 7n, 2000)
    await rec('k1', '0xabc', 100n, 2000)
    await rec('k2', 'native', 1000n, 2000)
    expect(await h.spentSince('k1', 'native', 0)).toBe(12n)
    expect(await h.spentSince('k1', 'native', 1000)).toBe(7n)
    expect(await h.spentSince('k1', '0xabc', 0)).toBe(100n)
    await h.prune('k1', 'native', 1500)
    expect(await h.spentSince('k1', 'native', 0)).toBe(7n)
  })
})
