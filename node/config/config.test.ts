import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { isNodeError } from '../errors.ts'
import { Store } from '../store/store.ts'
import { loadConfig, type NodeConfig, saveConfig, validateConfig } from './config.ts'
import { IDENTITY_RECORD, loadOrCreateIdentity } from './identity.ts'

let dir: string
let peers: string[]
beforeAll(async () => {
  peers = await Promise.all(
    [0, 1].map(async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()),
  )
})
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'config-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const config = (): NodeConfig => ({
  name: 'provider-1',
  role: 'provider',
  listen: '/ip4/127.0.0.1/tcp/4101',
  api: { host: '127.0.0.1', port: 8101 },
  chain: { rpcUrl: 'http://127.0.0.1:8545', chainId: 31337 },
  peers: [
    { peerId: peers[0], addrs: ['/ip4/127.0.0.1/tcp/4102'], name: 'device-1', role: 'device' },
    { peerId: peers[1], addrs: [], name: 'recovery-1', role: 'recovery' },
  ],
  policy: 'policy.yaml',
})

function fieldOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    if (isNodeError(e, 'CONFIG_INVALID')) return String(e.details.field)
    throw e
  }
  return 'OK'
}

describe('config', () => {
  it('saves and loads the same config, owner-only', async () => {
    await saveConfig(dir, config())
    expect(await loadConfig(dir)).toEqual(config())
    expect((await stat(join(dir, 'config.json'))).mode & 0o077).toBe(0)
  })

  it('names the offending field', () => {
    const c = config() as unknown as Record<string, unknown>
    expect(fieldOf(() => validateConfig({ ...c, role: 'admin' }))).toBe('role')
    expect(fieldOf(() => validateConfig({ ...c, listen: 'tcp://x' }))).toBe('listen')
    expect(fieldOf(() => validateConfig({ ...c, api: { host: '127.0.0.1', port: 70000 } }))).toBe('api.port')
    expect(fieldOf(() => validateConfig({ ...c, chain: { chainId: 0 } }))).toBe('chain.chainId')
    expect(fieldOf(() => validateConfig({ ...c, chain: { chainId: 1, rpcUrl: 'file:///etc' } }))).toBe(
      'chain.rpcUrl',
    )
    const badPeer = { ...config().peers[0], peerId: 'QmNotAPeer' }
    expect(fieldOf(() => validateConfig({ ...c, peers: [badPeer] }))).toBe('peers[0].peerId')
    const dup = config().peers[0]
    expect(fieldOf(() => validateConfig({ ...c, peers: [dup, { ...dup, name: 'other' }] }))).toBe(
      'peers[1].peerId',
    )
    expect(fieldOf(() => validateConfig({ ...c, peers: [{ ...dup, addrs: ['nope'] }] }))).toBe(
      'peers[0].addrs[0]',
    )
    expect(fieldOf(() => validateConfig(config()))).toBe('OK')
  })

  it('reports a missing or unparsable file with its own code', async () => {
    await expect(loadConfig(dir)).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' })
    await writeFile(join(dir, 'config.json'), '{ nope')
    await expect(loadConfig(dir)).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
  })
})

describe('identity', () => {
  it('persists one Ed25519 identity in the encrypted store across restarts', async () => {
    const open = (create: boolean) =>
      Store.open({ path: join(dir, 'db'), passphrase: 'pw', create, scrypt: { N: 1024, r: 8, p: 1 } })
    let store = await open(true)
    const first = await loadOrCreateIdentity(store)
    await store.close()
    store = await open(false)
    const again = await loadOrCreateIdentity(store)
    expect(again.peerId).toBe(first.peerId)
    expect(again.privateKey.type).toBe('Ed25519')
    // the loaded key still works after its protobuf buffer was zeroed
    const msg = new TextEncoder().encode('hello')
    expect(await first.privateKey.publicKey.verify(msg, await again.privateKey.sign(msg))).toBe(true)
    expect(await store.secrets.get(IDENTITY_RECORD)).toBeDefined()
    await store.close()
    // the raw private key is not on disk in clear
    const raw = Buffer.from(first.privateKey.raw.subarray(0, 32))
    const { readdir } = await import('node:fs/promises')
    for (const f of await readdir(join(dir, 'db'))) {
      expect((await readFile(join(dir, 'db', f))).includes(raw)).toBe(false)
    }
  })
})
