import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config/index.ts'
import { didKeyFromPublicKey } from '../identity/did-key.ts'
import { loadPolicyFile } from '../policy/index.ts'
import { runInProcess, runProcess } from './testkit.ts'

const PASS = 'correct horse battery staple'
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-init-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('mpc-node init (real process)', () => {
  it('creates the home and prints peerId, did and home with --json', async () => {
    const home = join(dir, 'node')
    const r = await runProcess(['init', '--home', home, '--name', 'alpha', '--json'], {
      MPC_NODE_PASSPHRASE: PASS,
    })
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.home).toBe(home)
    expect(out.peerId).toMatch(/^12D3KooW/)
    // The node's DID is the did:key of its libp2p Ed25519 identity key.
    const raw = peerIdFromString(out.peerId).publicKey?.raw as Uint8Array
    expect(out.did).toBe(didKeyFromPublicKey('ed25519', raw).did)
    expect(existsSync(join(home, 'config.json'))).toBe(true)
    expect((await stat(join(home, 'db'))).isDirectory()).toBe(true)
    const config = await loadConfig(home)
    expect(config).toMatchObject({ name: 'alpha', role: 'provider', peers: [], policy: 'policy.yaml' })
    // Dialable addresses: a concrete port, never tcp/0.
    expect(config.listen).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/[1-9][0-9]*$/)
    expect(config.api.port).toBeGreaterThan(0)
    expect(out.api).toBe(`http://127.0.0.1:${config.api.port}`)
    const policy = await loadPolicyFile(join(home, 'policy.yaml'))
    expect(policy.dev).toBe(false)
    expect(policy.document.rules).toEqual([])
    expect(r.stdout + r.stderr).not.toContain(PASS)
  })

  it('refuses to run without a passphrase and creates nothing', async () => {
    const home = join(dir, 'node')
    const r = await runProcess(['init', '--home', home])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('CLI_PASSPHRASE_MISSING')
    expect(r.stderr).toContain('MPC_NODE_PASSPHRASE')
    expect(existsSync(home)).toBe(false)
  })

  it('a wrong passphrase on a second init is a clear error; the right one finds the home initialised', async () => {
    const home = join(dir, 'node')
    const first = await runInProcess(['init', '--home', home, '--json'], { MPC_NODE_PASSPHRASE: PASS })
    expect(first.code).toBe(0)
    const peerId = JSON.parse(first.stdout).peerId
    const wrong = await runProcess(['init', '--home', home], { MPC_NODE_PASSPHRASE: 'not it' })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('STORE_BAD_PASSPHRASE: wrong store passphrase')
    expect(wrong.stderr).not.toContain('not it')
    const again = await runInProcess(['init', '--home', home, '--json'], { MPC_NODE_PASSPHRASE: PASS })
    expect(again.code).toBe(1)
    expect(JSON.parse(again.stdout).error).toMatchObject({
      code: 'CLI_HOME_INITIALIZED',
      details: { peerId },
    })
  })
})

describe('mpc-node init (in process)', () => {
  it('reads the passphrase from --passphrase-file and honours the flags', async () => {
    const home = join(dir, 'node')
    const file = join(dir, 'pass.txt')
    await writeFile(file, `${PASS}\n`)
    const r = await runInProcess([
      'init',
      '--home',
      home,
      '--passphrase-file',
      file,
      '--role',
      'device',
      '--listen',
      '/ip4/127.0.0.1/tcp/4999',
      '--api',
      '127.0.0.1:8999',
      '--chain-id',
      '5',
      '--rpc-url',
      'http://127.0.0.1:8545',
      '--policy',
      'dev',
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('DEVELOPMENT')
    const config = await loadConfig(home)
    expect(config).toMatchObject({
      role: 'device',
      listen: '/ip4/127.0.0.1/tcp/4999',
      api: { host: '127.0.0.1', port: 8999 },
      chain: { chainId: 5, rpcUrl: 'http://127.0.0.1:8545' },
    })
    expect((await loadPolicyFile(join(home, 'policy.yaml'))).dev).toBe(true)
    // The same passphrase from the environment opens the same store.
    const again = await runInProcess(['init', '--home', home, '--json'], { MPC_NODE_PASSPHRASE: PASS })
    expect(JSON.parse(again.stdout).error.code).toBe('CLI_HOME_INITIALIZED')
  })

  it('an empty passphrase file is refused', async () => {
    const file = join(dir, 'empty')
    await writeFile(file, '\n')
    const r = await runInProcess(['init', '--home', join(dir, 'n'), '--passphrase-file', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('CLI_PASSPHRASE_MISSING')
  })

  it.each([
    [['init'], 'missing --home'],
    [['init', '--home', 'x', '--role', 'admin'], '--role must be one of'],
    [['init', '--home', 'x', '--policy', 'open'], '--policy must be starter or dev'],
    [['init', '--home', 'x', '--api', 'localhost'], '--api must be HOST:PORT'],
    [['init', '--home', 'x', '--bogus'], "Unknown option '--bogus'"],
  ])('usage error %j exits 2', async (args, message) => {
    const r = await runInProcess(args, { MPC_NODE_PASSPHRASE: PASS })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(message)
  })

  it('prints the starter policy text with its header', async () => {
    const home = join(dir, 'node')
    await runInProcess(['init', '--home', home], { MPC_NODE_PASSPHRASE: PASS })
    expect(await readFile(join(home, 'policy.yaml'), 'utf8')).toMatch(/^# mpc-node policy \(starter\)/)
  })
})
