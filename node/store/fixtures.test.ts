import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { describe, expect, it } from 'vitest'
import { Store } from './store.ts'

// Every released on-disk format stays readable: the raw entries of a store written by that release
// are loaded into a fresh LevelDB and opened with the current code.
type Fixture = { format: string; passphrase: string; share: string; entries: [string, string][] }

describe.each(['v1'])('store format %s fixture', (version) => {
  it('opens, verifies the passphrase and reads every record', async () => {
    const fixture = JSON.parse(
      await readFile(new URL(`./fixtures/${version}.json`, import.meta.url), 'utf8'),
    ) as Fixture
    const dir = await mkdtemp(join(tmpdir(), 'fixture-'))
    try {
      const raw = new Level<string, Uint8Array>(dir, { valueEncoding: 'view' })
      await raw.batch(
        fixture.entries.map(([key, v]) => ({ type: 'put' as const, key, value: Buffer.from(v, 'hex') })),
      )
      await raw.close()
      await expect(Store.open({ path: dir, passphrase: 'not it' })).rejects.toMatchObject({
        code: 'STORE_BAD_PASSPHRASE',
      })
      const store = await Store.open({ path: dir, passphrase: fixture.passphrase })
      const share = await store.shares.get('aa11', 2)
      expect(Buffer.from(share!.expose()).toString('hex')).toBe(fixture.share)
      expect(await store.keys.get('aa11')).toMatchObject({ threshold: 2, epoch: 2, status: 'active' })
      expect(await store.bans.isBanned('aa11', '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq')).toBe(
        true,
      )
      await store.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
