// Every released archive format stays readable: the archive written by that release is opened and
// restored into a fresh home with the current code.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config/index.ts'
import { openArchive, readArchiveHeader } from './archive.ts'
import { restoreHome } from './operations.ts'
import { decodePayload } from './payload.ts'
import { snapshotHome } from './test-helpers.ts'

type Fixture = { format: string; passphrase: string; peerId: string; share: string; archive: string }

describe.each(['v1'])('backup archive format %s fixture', (version) => {
  it('opens with its passphrase and restores into a fresh home', async () => {
    const f = JSON.parse(
      await readFile(new URL(`./fixtures/${version}.json`, import.meta.url), 'utf8'),
    ) as Fixture
    const archive = Buffer.from(f.archive, 'hex')
    expect(readArchiveHeader(archive)).toMatchObject({ source: 'backup', scrypt: { N: 1024, r: 8, p: 1 } })
    const payload = decodePayload(await openArchive(archive, new TextEncoder().encode(f.passphrase)))
    expect(payload).toMatchObject({ peerId: f.peerId, policy: 'version: 1\n', config: { name: 'fixture' } })
    expect(payload.keys.map((k) => [k.record.epoch, Buffer.from(k.share).toString('hex')])).toEqual([
      [2, f.share],
    ])
    const dir = await mkdtemp(join(tmpdir(), 'backup-fixture-'))
    try {
      const file = join(dir, 'fixture.backup')
      await writeFile(file, archive)
      const home = join(dir, 'home')
      const r = await restoreHome({
        home,
        input: file,
        passphrase: 'new store passphrase',
        backupPassphrase: f.passphrase,
        scrypt: { N: 1024, r: 8, p: 1 },
      })
      expect(r).toMatchObject({ peerId: f.peerId, identity: 'added', config: 'restored' })
      const s = await snapshotHome(home, 'new store passphrase')
      expect(s.keys).toMatchObject([{ keyId: 'a1'.repeat(32), epoch: 2, status: 'active' }])
      expect(s.shares['a1'.repeat(32)]).toBe(f.share)
      expect(s.bans['a1'.repeat(32)]).toEqual([
        {
          peerId: '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq',
          slot: 2,
          code: 'OT_CHECK_FAILED',
          at: 3,
        },
      ])
      expect((await loadConfig(home)).name).toBe('fixture')
      expect(await readFile(join(home, 'policy.yaml'), 'utf8')).toBe('version: 1\n')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
