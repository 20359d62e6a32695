import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHomes, TEST_PASSPHRASE, type TestHome } from '../../test/support/cluster.ts'
import { dkgShares, snapshotHome, storeShare } from '../backup/test-helpers.ts'
import { homePaths } from '../config/index.ts'
import { Store } from '../store/store.ts'
import { runInProcess, runProcess } from './testkit.ts'

const ENV = { MPC_NODE_PASSPHRASE: TEST_PASSPHRASE }
let root: string
let node: TestHome
let keyId: string
let shares: ReturnType<typeof dkgShares>
let committee: string[]

beforeAll(async () => {
  const homes = await createHomes([
    { name: 'provider', role: 'provider' },
    { name: 'device', role: 'device' },
    { name: 'recovery', role: 'recovery' },
  ])
  node = homes[1]!
  root = join(node.home, '..')
  committee = homes.map((h) => h.peerId)
  shares = dkgShares('cli-backup')
  keyId = (await storeShare(node.home, TEST_PASSPHRASE, shares.get(2)!, committee)).record.keyId
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('mpc-node backup / restore', () => {
  it('--help exits 0; bad invocations exit 2', async () => {
    for (const cmd of ['backup', 'restore']) {
      const help = await runInProcess([cmd, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toContain(`Usage: mpc-node ${cmd} --home DIR`)
      expect(help.stdout).toContain('MPC_NODE_BACKUP_PASSPHRASE')
    }
    expect((await runInProcess(['help'])).stdout).toMatch(/backup .*\n.*restore /)
    const noOut = await runInProcess(['backup', '--home', node.home], ENV)
    expect(noOut.code).toBe(2)
    expect(noOut.stderr).toContain('missing --out')
    expect((await runInProcess(['restore', '--home', node.home], ENV)).code).toBe(2)
    expect(
      (await runInProcess(['backup', '--home', node.home, '--out', 'x', '--passphrase', 'p'], ENV)).code,
    ).toBe(2)
  })

  it('backs up with --json { keys, file }, refuses an existing file, and needs a passphrase', async () => {
    const out = join(root, 'a.backup')
    const r = await runInProcess(['backup', '--home', node.home, '--out', out, '--json'], ENV)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ keys: 1, file: out, peerId: node.peerId, skipped: [] })
    expect(r.stdout + r.stderr).not.toContain(TEST_PASSPHRASE)
    expect((await stat(out)).mode & 0o777).toBe(0o600)
    const again = await runInProcess(['backup', '--home', node.home, '--out', out, '--json'], ENV)
    expect(again.code).toBe(1)
    expect(JSON.parse(again.stdout).error.code).toBe('BACKUP_FILE_EXISTS')
    expect((await runInProcess(['backup', '--home', node.home, '--out', out, '--force'], ENV)).code).toBe(0)
    const none = await runInProcess(['backup', '--home', node.home, '--out', join(root, 'b.backup')])
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('CLI_PASSPHRASE_MISSING')
  })

  it('round trip: wipe the db, restore with --json, same keys, shares and identity', async () => {
    const before = await snapshotHome(node.home, TEST_PASSPHRASE)
    const out = join(root, 'rt.backup')
    expect((await runInProcess(['backup', '--home', node.home, '--out', out], ENV)).code).toBe(0)
    await rm(homePaths(node.home).db, { recursive: true })
    const r = await runInProcess(['restore', '--home', node.home, '--in', out, '--json'], ENV)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      keys: 1,
      file: out,
      peerId: node.peerId,
      identity: 'added',
      config: 'kept',
      restored: [{ keyId, epoch: 0, action: 'added' }],
    })
    expect(await snapshotHome(node.home, TEST_PASSPHRASE)).toEqual(before)
  })

  it('a separate backup passphrase from the environment or a file; a wrong one exits 1', async () => {
    const out = join(root, 'sep.backup')
    const passFile = join(root, 'backup-pass.txt')
    await writeFile(passFile, 'offsite\n', { mode: 0o600 })
    const b = await runInProcess(
      ['backup', '--home', node.home, '--out', out, '--backup-passphrase-file', passFile],
      ENV,
    )
    expect(b.code).toBe(0)
    const target = join(root, 'sep-home')
    const wrong = await runInProcess(['restore', '--home', target, '--in', out, '--json'], ENV)
    expect(wrong.code).toBe(1)
    expect(JSON.parse(wrong.stdout).error).toMatchObject({ code: 'BACKUP_BAD_PASSPHRASE' })
    const bad = await runInProcess(['restore', '--home', target, '--in', out], {
      ...ENV,
      MPC_NODE_BACKUP_PASSPHRASE: 'nope',
    })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('BACKUP_BAD_PASSPHRASE: wrong backup passphrase')
    const ok = await runInProcess(['restore', '--home', target, '--in', out], {
      ...ENV,
      MPC_NODE_BACKUP_PASSPHRASE: 'offsite',
    })
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(`restored 1 key of ${node.peerId}`)
  })

  it('corrupted, truncated and newer-version archives exit 1 with their codes', async () => {
    const out = join(root, 'c.backup')
    expect((await runInProcess(['backup', '--home', node.home, '--out', out], ENV)).code).toBe(0)
    const good = await readFile(out)
    const target = join(root, 'c-home')
    const cases: [string, Buffer][] = [
      [
        'BACKUP_CORRUPT',
        Buffer.concat([good.subarray(0, 500), Buffer.from([good[500]! ^ 1]), good.subarray(501)]),
      ],
      ['BACKUP_CORRUPT', good.subarray(0, good.length - 1)],
      ['BACKUP_VERSION', Buffer.concat([good.subarray(0, 8), Buffer.from([9]), good.subarray(9)])],
    ]
    for (const [code, bytes] of cases) {
      await writeFile(out, bytes)
      const r = await runInProcess(['restore', '--home', target, '--in', out, '--json'], ENV)
      expect([r.code, JSON.parse(r.stdout).error.code]).toEqual([1, code])
    }
  })

  it('RESTORE_EPOCH_OLDER exits 1 unless --force; STORE_LOCKED while the node holds the store', async () => {
    const out = join(root, 'e.backup')
    expect((await runInProcess(['backup', '--home', node.home, '--out', out], ENV)).code).toBe(0)
    await storeShare(node.home, TEST_PASSPHRASE, shares.get(2)!, committee, { epoch: 4 })
    const refused = await runInProcess(['restore', '--home', node.home, '--in', out], ENV)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('RESTORE_EPOCH_OLDER')
    const forced = await runInProcess(['restore', '--home', node.home, '--in', out, '--force', '--json'], ENV)
    expect(forced.code).toBe(0)
    expect(JSON.parse(forced.stdout).restored).toEqual([{ keyId, epoch: 0, action: 'forced' }])
    const held = await Store.open({ path: homePaths(node.home).db, passphrase: TEST_PASSPHRASE })
    try {
      const b = await runInProcess(
        ['backup', '--home', node.home, '--out', join(root, 'l.backup'), '--json'],
        ENV,
      )
      expect([b.code, JSON.parse(b.stdout).error.code]).toEqual([1, 'STORE_LOCKED'])
      const r = await runInProcess(['restore', '--home', node.home, '--in', out, '--json'], ENV)
      expect([r.code, JSON.parse(r.stdout).error.code]).toEqual([1, 'STORE_LOCKED'])
    } finally {
      await held.close()
    }
  })

  it('as a real process: exit codes 0, 1 and 2', async () => {
    const out = join(root, 'p.backup')
    const ok = await runProcess(['backup', '--home', node.home, '--out', out, '--json'], ENV)
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ keys: 1, file: out })
    await writeFile(out, (await readFile(out)).subarray(0, 50))
    const corrupt = await runProcess(['restore', '--home', join(root, 'p-home'), '--in', out], ENV)
    expect(corrupt.code).toBe(1)
    expect(corrupt.stderr).toContain('BACKUP_CORRUPT')
    expect((await runProcess(['restore', '--in', out], ENV)).code).toBe(2)
  })
})
