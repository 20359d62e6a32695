import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config/index.ts'
import { runInProcess, runProcess } from './testkit.ts'

const PEER = '12D3KooWJbutgL4SE1ZSZ7yQc8f9ECe3QY5oxifY6ScAUDW7xpXk'
const PEER2 = '12D3KooWKv1bpJBUUmWnfyq6L9A7ybLaHJ1ohozbKc51xen5WrnE'
let dir: string
let home: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-peers-'))
  home = join(dir, 'node')
  const r = await runInProcess(['init', '--home', home], { MPC_NODE_PASSPHRASE: 'pw' })
  expect(r.code).toBe(0)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('mpc-node peers', () => {
  it('add, list and remove round-trip through config.json', async () => {
    const add = await runInProcess([
      'peers',
      'add',
      '--home',
      home,
      '--peer-id',
      PEER,
      '--addr',
      '/ip4/127.0.0.1/tcp/4102',
      '--addr',
      '/ip4/10.0.0.2/tcp/4102',
      '--name',
      'device-1',
      '--role',
      'device',
    ])
    expect(add.code).toBe(0)
    const add2 = await runInProcess([
      'peers',
      'add',
      '--home',
      home,
      '--peer-id',
      PEER2,
      '--addr',
      '/ip4/127.0.0.1/tcp/4103',
    ])
    expect(add2.code).toBe(0)

    const list = await runProcess(['peers', 'list', '--home', home, '--json'])
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout).peers).toEqual([
      {
        peerId: PEER,
        addrs: ['/ip4/127.0.0.1/tcp/4102', '/ip4/10.0.0.2/tcp/4102'],
        name: 'device-1',
        role: 'device',
      },
      {
        peerId: PEER2,
        addrs: ['/ip4/127.0.0.1/tcp/4103'],
        name: `peer-${PEER2.slice(-6)}`,
        role: 'provider',
      },
    ])
    const human = await runInProcess(['peers', 'list', '--home', home])
    expect(human.stdout).toContain(`device-1\tdevice\t${PEER}`)

    const rm1 = await runInProcess(['peers', 'remove', '--home', home, '--peer-id', PEER])
    expect(rm1.code).toBe(0)
    expect((await loadConfig(home)).peers.map((p) => p.peerId)).toEqual([PEER2])
    await runInProcess(['peers', 'remove', '--home', home, '--peer-id', PEER2])
    expect((await runInProcess(['peers', 'list', '--home', home])).stdout).toBe('no peers\n')
  })

  it('refuses a duplicate peer and removing an unknown one (exit 1)', async () => {
    const args = ['peers', 'add', '--home', home, '--peer-id', PEER, '--addr', '/ip4/127.0.0.1/tcp/4102']
    expect((await runInProcess(args)).code).toBe(0)
    const dup = await runInProcess(args)
    expect(dup.code).toBe(1)
    expect(dup.stderr).toContain('CLI_PEER_EXISTS')
    await runInProcess(['peers', 'remove', '--home', home, '--peer-id', PEER])
    const gone = await runInProcess(['peers', 'remove', '--home', home, '--peer-id', PEER, '--json'])
    expect(gone.code).toBe(1)
    expect(JSON.parse(gone.stdout).error.code).toBe('CLI_PEER_NOT_FOUND')
  })

  it.each([
    [['peers'], ''],
    [['peers', 'rename', '--home', 'x'], 'unknown peers command'],
    [['peers', 'add', '--home', 'x', '--peer-id', PEER], 'missing --addr'],
    [['peers', 'remove', '--home', 'x'], 'missing --peer-id'],
    [
      ['peers', 'add', '--home', 'x', '--peer-id', PEER, '--addr', '/ip4/1.2.3.4/tcp/1', '--role', 'boss'],
      '--role',
    ],
  ])('usage error %j exits 2', async (args, message) => {
    const r = await runInProcess(args)
    expect(r.code).toBe(2)
    expect(r.stdout + r.stderr).toContain(message)
  })

  it('a malformed peer id or address is a usage error naming the flag', async () => {
    const bad = await runInProcess([
      'peers',
      'add',
      '--home',
      home,
      '--peer-id',
      'bob',
      '--addr',
      '/ip4/127.0.0.1/tcp/1',
    ])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--peer-id: expected an Ed25519 peer id')
    const addr = await runInProcess(['peers', 'add', '--home', home, '--peer-id', PEER, '--addr', 'nowhere'])
    expect(addr.code).toBe(2)
    expect(addr.stderr).toContain('--addr: not a multiaddr')
  })

  it('a home without config.json is a clear error', async () => {
    const r = await runInProcess(['peers', 'list', '--home', join(dir, 'missing')])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('CONFIG_NOT_FOUND')
  })
})
