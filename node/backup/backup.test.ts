// Backup and restore of real node homes (LevelDB stores, real DKG shares): round trip, the typed
// refusals, and no secret byte in the archive file.

import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serializeKeyShare } from '../../protocol/keyshare.ts'
import { createHomes, TEST_PASSPHRASE, type TestHome } from '../../test/support/cluster.ts'
import { homePaths, IDENTITY_RECORD } from '../config/index.ts'
import { Store } from '../store/store.ts'
import { backupHome, restoreHome } from './operations.ts'
import { dkgShares, snapshotHome, storeShare } from './test-helpers.ts'

const COST = { N: 1 << 10, r: 8, p: 1 }
let homes: TestHome[]
let root: string
let committee: string[]
let shares: ReturnType<typeof dkgShares>
let device: TestHome
let keyId: string

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'OK'
  } catch (e) {
    return (e as { code?: string }).code ?? String(e)
  }
}

const backup = (home: TestHome, out: string, extra: { force?: boolean; backupPassphrase?: string } = {}) =>
  backupHome({ home: home.home, out, passphrase: TEST_PASSPHRASE, scrypt: COST, ...extra })
const restore = (
  home: string,
  input: string,
  extra: { force?: boolean; passphrase?: string; backupPassphrase?: string } = {},
) => restoreHome({ home, input, passphrase: TEST_PASSPHRASE, scrypt: COST, ...extra })

beforeAll(async () => {
  homes = await createHomes([
    { name: 'provider', role: 'provider' },
    { name: 'device', role: 'device' },
    { name: 'recovery', role: 'recovery' },
  ])
  root = join(homes[0]!.home, '..')
  device = homes[1]!
  committee = homes.map((h) => h.peerId)
  shares = dkgShares('backup-test')
  keyId = (await storeShare(device.home, TEST_PASSPHRASE, shares.get(2)!, committee)).record.keyId
  const store = await Store.open({ path: homePaths(device.home).db, passphrase: TEST_PASSPHRASE })
  await store.bans.add(keyId, { peerId: committee[2]!, slot: 3, code: 'OT_CHECK_FAILED', at: 7 })
  // A DKG whose confirmation never came: not backed up.
  await store.keys.put('cc'.repeat(32), {
    keyId: 'cc'.repeat(32),
    publicKey: `02${'ab'.repeat(32)}`,
    address: `0x${'12'.repeat(20)}`,
    threshold: 2,
    committee,
    epoch: 0,
    status: 'pending',
    createdAt: 1,
    updatedAt: 1,
  })
  await store.close()
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('backup and restore of a node home', () => {
  it('round-trips: wipe the db, restore, and records, share bytes, bans and identity are identical', async () => {
    const before = await snapshotHome(device.home, TEST_PASSPHRASE)
    const out = join(root, 'device.backup')
    const r = await backup(device, out)
    expect(r).toMatchObject({ file: out, keys: 1, peerId: device.peerId })
    expect(r.skipped).toEqual([{ keyId: 'cc'.repeat(32), status: 'pending' }])
    expect((await stat(out)).mode & 0o777).toBe(0o600)
    expect((await readdir(root)).filter((f) => f.endsWith('.tmp'))).toEqual([])

    await rm(homePaths(device.home).db, { recursive: true })
    const back = await restore(device.home, out)
    expect(back).toMatchObject({
      peerId: device.peerId,
      identity: 'added',
      config: 'kept',
      keys: [{ keyId, epoch: 0, action: 'added' }],
    })
    const after = await snapshotHome(device.home, TEST_PASSPHRASE)
    const { keys, shares: s, bans, epochs, identity } = before
    expect(after.identity).toBe(identity)
    expect(after.keys).toEqual(keys.filter((k) => k.status !== 'pending'))
    expect(after.shares[keyId]).toBe(s[keyId])
    expect(after.shares[keyId]).toBe(Buffer.from(serializeKeyShare(shares.get(2)!)).toString('hex'))
    expect(after.bans[keyId]).toEqual(bans[keyId])
    expect(after.epochs[keyId]).toEqual(epochs[keyId])

    // Restoring again over itself changes nothing but rewriting the same share.
    expect((await restore(device.home, out)).keys).toEqual([{ keyId, epoch: 0, action: 'share-only' }])
    expect(await snapshotHome(device.home, TEST_PASSPHRASE)).toEqual(after)
  })

  it('restores into a missing home: store, identity, config.json and policy file', async () => {
    const out = join(root, 'fresh.backup')
    await backup(device, out)
    const fresh = join(root, 'elsewhere', 'device')
    const r = await restore(fresh, out)
    expect(r).toMatchObject({ identity: 'added', config: 'restored', peerId: device.peerId })
    expect(await readFile(join(fresh, 'config.json'), 'utf8')).toBe(
      await readFile(join(device.home, 'config.json'), 'utf8'),
    )
    expect(await readFile(join(fresh, 'policy.yaml'), 'utf8')).toBe(
      await readFile(join(device.home, 'policy.yaml'), 'utf8'),
    )
    const a = await snapshotHome(fresh, TEST_PASSPHRASE)
    const b = await snapshotHome(device.home, TEST_PASSPHRASE)
    expect(a.identity).toBe(b.identity)
    expect(a.shares).toEqual(b.shares)
  })

  it('keeps every secret out of the archive file (raw, hex, base64 at any alignment)', async () => {
    const out = join(root, 'secrets.backup')
    await backup(device, out)
    const file = await readFile(out)
    const share = shares.get(2)!
    const serialized = serializeKeyShare(share)
    // protocol/keyshare.ts: the secret scalar follows 143 header bytes and n public shares of 33.
    const at = 143 + 33 * share.n
    expect(serialized.subarray(at, at + 32)).toEqual(share.secretShare)
    const store = await Store.open({ path: homePaths(device.home).db, passphrase: TEST_PASSPHRASE })
    const identity = (await store.secrets.get(IDENTITY_RECORD))!
    await store.close()
    const needles: [string, Uint8Array][] = [
      ['serialized share', serialized],
      ['secret scalar', serialized.subarray(at, at + 32)],
      ['identity key', identity],
      ['identity seed', identity.subarray(4, 36)],
      ['passphrase', new TextEncoder().encode(TEST_PASSPHRASE)],
    ]
    for (const [j, p] of share.peers) {
      needles.push([`zero seed ${j}`, p.zeroSeed], [`alice delta ${j}`, p.aliceDelta])
      needles.push([`bob leaves ${j}`, p.bobLeaves.subarray(0, 32)])
    }
    expect(findSecrets(file, needles)).toEqual([])
    // The check itself finds what it looks for.
    expect(
      findSecrets(Buffer.from(Buffer.from(serialized.subarray(at, at + 32)).toString('base64')), needles),
    ).not.toEqual([])
  })

  it('a wrong passphrase is BACKUP_BAD_PASSPHRASE and creates nothing', async () => {
    const out = join(root, 'wrong.backup')
    await backup(device, out)
    const target = join(root, 'never-created')
    expect(await codeOf(restore(target, out, { backupPassphrase: 'not it' }))).toBe('BACKUP_BAD_PASSPHRASE')
    await expect(stat(target)).rejects.toThrow()
  })

  it('a separate backup passphrase seals the archive; the store passphrase alone does not open it', async () => {
    const out = join(root, 'separate.backup')
    await backup(device, out, { backupPassphrase: 'offsite secret' })
    const target = join(root, 'separate-home')
    const err = await restore(target, out).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'BACKUP_BAD_PASSPHRASE', details: { passphrase: 'backup' } })
    const r = await restore(target, out, { backupPassphrase: 'offsite secret' })
    expect(r.peerId).toBe(device.peerId)
  })

  it('a corrupted byte, a truncated file and a version bump are refused before the store is touched', async () => {
    const out = join(root, 'damaged.backup')
    await backup(device, out)
    const good = await readFile(out)
    const target = join(root, 'damaged-home')
    const flipped = Buffer.from(good)
    flipped[good.length >> 1]! ^= 0x40
    await writeFile(out, flipped)
    expect(await codeOf(restore(target, out))).toBe('BACKUP_CORRUPT')
    await writeFile(out, good.subarray(0, good.length - 100))
    expect(await codeOf(restore(target, out))).toBe('BACKUP_CORRUPT')
    const bumped = Buffer.from(good)
    bumped[8] = 2
    await writeFile(out, bumped)
    expect(await codeOf(restore(target, out))).toBe('BACKUP_VERSION')
    await expect(stat(target)).rejects.toThrow()
    expect(await codeOf(restore(target, join(root, 'no-such-file')))).toBe('BACKUP_IO')
  })

  it('refuses to overwrite a newer epoch (RESTORE_EPOCH_OLDER) unless forced, and never deletes shares', async () => {
    const out = join(root, 'epoch0.backup')
    await backup(device, out)
    // The key moved on to epoch 1 after the backup (as a confirmed refresh leaves it).
    await storeShare(device.home, TEST_PASSPHRASE, shares.get(2)!, committee, { epoch: 1 })
    const before = await snapshotHome(device.home, TEST_PASSPHRASE)
    const err = await restore(device.home, out).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'RESTORE_EPOCH_OLDER',
      details: { keys: [{ keyId, stored: 1, archive: 0 }] },
    })
    expect(await snapshotHome(device.home, TEST_PASSPHRASE)).toEqual(before)
    const r = await restore(device.home, out, { force: true })
    expect(r.keys).toEqual([{ keyId, epoch: 0, action: 'forced' }])
    const after = await snapshotHome(device.home, TEST_PASSPHRASE)
    expect(after.keys[0]!.epoch).toBe(0)
    expect(after.epochs[keyId]).toEqual([0, 1])
  })

  it('refuses a home of another identity that holds keys (RESTORE_IDENTITY_MISMATCH) unless forced', async () => {
    const out = join(root, 'identity.backup')
    await backup(device, out)
    const recovery = homes[2]!
    await storeShare(recovery.home, TEST_PASSPHRASE, shares.get(3)!, committee)
    const before = await snapshotHome(recovery.home, TEST_PASSPHRASE)
    const err = await restore(recovery.home, out).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'RESTORE_IDENTITY_MISMATCH',
      details: { stored: recovery.peerId, archive: device.peerId },
    })
    expect(await snapshotHome(recovery.home, TEST_PASSPHRASE)).toEqual(before)
    const forced = await restore(recovery.home, out, { force: true })
    expect(forced).toMatchObject({ identity: 'replaced', peerId: device.peerId })
    expect((await snapshotHome(recovery.home, TEST_PASSPHRASE)).identity).not.toBe(before.identity)
  })

  it('refuses while the home is in use (STORE_LOCKED), and an existing output file unless forced', async () => {
    const out = join(root, 'locked.backup')
    await backup(device, out)
    expect(await codeOf(backup(device, out))).toBe('BACKUP_FILE_EXISTS')
    expect(await codeOf(backup(device, out, { force: true }))).toBe('OK')
    const held = await Store.open({ path: homePaths(device.home).db, passphrase: TEST_PASSPHRASE })
    try {
      expect(await codeOf(backup(device, join(root, 'locked2.backup')))).toBe('STORE_LOCKED')
      expect(await codeOf(restore(device.home, out))).toBe('STORE_LOCKED')
    } finally {
      await held.close()
    }
  })
})

/** Labels of the needles found in `hay` as raw bytes, hex (either case) or base64/base64url. */
function findSecrets(hay: Uint8Array, needles: [string, Uint8Array][]): string[] {
  const buf = Buffer.from(hay)
  const text = buf.toString('latin1')
  const hits: string[] = []
  for (const [label, bytes] of needles) {
    if (buf.indexOf(Buffer.from(bytes)) >= 0) hits.push(`${label} raw`)
    const hex = Buffer.from(bytes).toString('hex')
    if (text.includes(hex) || text.includes(hex.toUpperCase())) hits.push(`${label} hex`)
    for (let shift = 0; shift < 3; shift++) {
      const padded = Buffer.concat([Buffer.alloc(shift), Buffer.from(bytes)])
      for (const enc of ['base64', 'base64url'] as const) {
        const s = padded.toString(enc)
        const inner = s.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6))
        if (text.includes(inner)) hits.push(`${label} ${enc}@${shift}`)
      }
    }
  }
  return hits
}
