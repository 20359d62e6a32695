import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isNodeError } from '../errors.ts'
import type { KeyRecord } from './records.ts'
import { Store } from './store.ts'

const FAST = { N: 1 << 10, r: 8, p: 1 }
const PEERS = [
  '12D3KooWGRUVh7cYFv8ZpPdNhhLCe7GJfQCXGY4BjZnjRh2fFiPm',
  '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq',
  '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK',
]

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const open = (passphrase = 'correct horse battery staple', create = true) =>
  Store.open({ path: join(dir, 'db'), passphrase, create, scrypt: FAST })

async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (isNodeError(e)) return e.code
    throw e
  }
  return 'OK'
}

async function filesUnder(root: string): Promise<Buffer[]> {
  const out: Buffer[] = []
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(await readFile(join(e.parentPath, e.name)))
  }
  return out
}

/** Whether the bytes, their hex or their base64 appear anywhere in the files under `root`. */
async function leaks(root: string, secret: Uint8Array): Promise<string[]> {
  const buf = Buffer.from(secret)
  const needles: [string, Buffer][] = [
    ['raw', buf],
    ['raw prefix', buf.subarray(0, 12)],
    ['hex', Buffer.from(buf.toString('hex'))],
    ['HEX', Buffer.from(buf.toString('hex').toUpperCase())],
    ['base64', Buffer.from(buf.toString('base64').slice(0, 20))],
    ['base64url', Buffer.from(buf.toString('base64url').slice(0, 20))],
  ]
  const found: string[] = []
  for (const file of await filesUnder(root))
    for (const [name, n] of needles) if (file.includes(n)) found.push(name)
  return found
}

const keyRecord = (keyId: string): KeyRecord => ({
  keyId,
  publicKey: `02${'ab'.repeat(32)}`,
  address: `0x${'12'.repeat(20)}`,
  threshold: 2,
  committee: PEERS,
  epoch: 0,
  status: 'active',
  createdAt: 1,
  updatedAt: 1,
})

describe('store', () => {
  it('never writes share bytes in clear (raw, hex or base64) to any file', async () => {
    const share = Uint8Array.from(randomBytes(4096))
    const store = await open()
    await store.tx().putShare('aa11', 0, share).putKey(keyRecord('aa11')).commit()
    await store.shares.put('bb22', 1, share)
    await store.close()
    expect(await leaks(join(dir, 'db'), share)).toEqual([])

    // The scanner is sensitive: the same bytes written by a plain LevelDB are found.
    const control = new Level<string, Uint8Array>(join(dir, 'control'), { valueEncoding: 'view' })
    await control.put('x', share, { sync: true })
    await control.put('y', new TextEncoder().encode(Buffer.from(share).toString('hex')), { sync: true })
    await control.close()
    expect(await leaks(join(dir, 'control'), share)).toEqual(expect.arrayContaining(['raw', 'hex']))
  })

  it('reopens with the same passphrase and returns the share', async () => {
    const share = Uint8Array.from(randomBytes(300))
    let store = await open()
    await store.tx().putShare('aa11', 3, share).putKey(keyRecord('aa11')).commit()
    await store.close()
    store = await open('correct horse battery staple', false)
    const got = await store.shares.get('aa11', 3)
    expect(Buffer.from(got!.expose()).equals(Buffer.from(share))).toBe(true)
    expect(await store.shares.epochs('aa11')).toEqual([3])
    expect((await store.keys.get('aa11'))?.committee).toEqual(PEERS)
    expect(await store.shares.get('aa11', 4)).toBeUndefined()
    await store.close()
  })

  it('fails with STORE_BAD_PASSPHRASE on a wrong passphrase', async () => {
    await (await open('right')).close()
    expect(await errorCode(open('wrong', false))).toBe('STORE_BAD_PASSPHRASE')
    // and the folder is released for the right passphrase afterwards
    await (await open('right', false)).close()
  })

  it('refuses an uninitialised folder unless asked to create it, and a second opener', async () => {
    expect(await errorCode(open('p', false))).toBe('STORE_NOT_INITIALIZED')
    const store = await open('p')
    expect(await errorCode(open('p'))).toBe('STORE_LOCKED')
    await store.close()
  })

  it('rejects a ciphertext moved onto another record (associated data binds kind and id)', async () => {
    let store = await open()
    await store.shares.put('aa11', 0, Uint8Array.from(randomBytes(64)))
    await store.shares.put('bb22', 0, Uint8Array.from(randomBytes(64)))
    await store.close()
    const raw = new Level<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' })
    const shares = raw.sublevel<string, Uint8Array>('shares', { valueEncoding: 'view' })
    const sealedA = await shares.get('aa11/0000000000')
    await shares.put('bb22/0000000000', sealedA!)
    const flipped = Uint8Array.from(sealedA!)
    flipped[40] ^= 1
    await shares.put('aa11/0000000000', flipped)
    await raw.close()
    store = await open('correct horse battery staple', false)
    expect(await errorCode(store.shares.get('bb22', 0))).toBe('STORE_CORRUPT')
    expect(await errorCode(store.shares.get('aa11', 0))).toBe('STORE_CORRUPT')
    await store.close()
  })

  it('zeroes the plaintext share after `with`, and erases retired shares', async () => {
    const store = await open()
    await store.shares.put('aa11', 0, Uint8Array.from(randomBytes(64)))
    let seen: Uint8Array | undefined
    const len = await store.shares.with('aa11', 0, (s) => {
      seen = s
      return s.length
    })
    expect(len).toBe(64)
    expect(seen!.every((x) => x === 0)).toBe(true)
    await store.shares.erase('aa11', 0)
    expect(await store.shares.has('aa11', 0)).toBe(false)
    await store.close()
  })

  it('persists bans and enforces them', async () => {
    let store = await open()
    await store.bans.add('aa11', { peerId: PEERS[2], slot: 3, code: 'OT_CHECK_FAILED', at: 5 })
    await store.bans.add('aa11', { peerId: PEERS[2], slot: 3, code: 'OT_CHECK_FAILED', at: 6 })
    await store.close()
    store = await open('correct horse battery staple', false)
    expect((await store.bans.get('aa11')).entries).toHaveLength(1)
    expect(await store.bans.isBanned('aa11', PEERS[2])).toBe(true)
    expect(await store.bans.isBanned('bb22', PEERS[2])).toBe(false)
    expect(await errorCode(store.bans.assertNotBanned('aa11', PEERS))).toBe('PEER_BANNED')
    expect(await errorCode(store.bans.assertNotBanned('aa11', PEERS.slice(0, 2)))).toBe('OK')
    await store.close()
  })

  it('validates records on write and writes nothing from a transaction that fails to build', async () => {
    const store = await open()
    const bad = { ...keyRecord('aa11'), threshold: 9 }
    expect(await errorCode(store.keys.put('aa11', bad))).toBe('STORE_RECORD_INVALID')
    expect(await errorCode(store.keys.put('bb22', keyRecord('aa11')))).toBe('STORE_RECORD_INVALID')
    const tx = store.tx().putShare('cc33', 0, Uint8Array.from(randomBytes(8)))
    expect(() => tx.putKey({ ...keyRecord('cc33'), address: 'nope' })).toThrow()
    expect(tx.size).toBe(1)
    expect(await store.shares.has('cc33', 0)).toBe(false)
    await store.ceremonies.put('ee', {
      sessionId: 'ee',
      kind: 'sign',
      keyId: 'aa11',
      status: 'aborted',
      committee: PEERS,
      slot: 1,
      epoch: 0,
      createdAt: 1,
      updatedAt: 2,
      code: 'ROUND_TIMEOUT',
      culprits: [3],
    })
    expect((await store.ceremonies.get('ee'))?.culprits).toEqual([3])
    await store.close()
    expect(await errorCode(store.shares.get('aa11', 0))).toBe('STORE_CLOSED')
  })
})
