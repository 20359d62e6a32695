import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type ApiServer, createApiServer } from '../api/server.ts'
import { FakeNodeApi } from '../api/testkit.ts'
import { NodeError } from '../errors.ts'
import { silentLogger } from '../log/index.ts'
import { freePort } from './init.ts'
import { runInProcess } from './testkit.ts'

const PEERS = [
  '12D3KooWMm4srrCjx9nBHE73xohcWXCWzSdGN2XTr7Wkwdapkywr',
  '12D3KooWJbutgL4SE1ZSZ7yQc8f9ECe3QY5oxifY6ScAUDW7xpXk',
  '12D3KooWKv1bpJBUUmWnfyq6L9A7ybLaHJ1ohozbKc51xen5WrnE',
]
const TX = {
  chainId: 31337,
  nonce: 3,
  to: `0x${'ab'.repeat(20)}`,
  value: 1000,
  gas: 21000,
  maxFeePerGas: '0x3b9aca00',
  maxPriorityFeePerGas: '1',
}

let api: FakeNodeApi
let server: ApiServer
let url: string
let dir: string

beforeAll(async () => {
  api = new FakeNodeApi()
  server = createApiServer({ api, logger: silentLogger(), port: 0 })
  ;({ url } = await server.start())
  dir = await mkdtemp(join(tmpdir(), 'cli-client-'))
})
afterAll(async () => {
  await server.stop()
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => {
  api.keys.clear()
  api.calls.length = 0
})

describe('client commands', () => {
  it('keygen posts the committee and threshold and prints the key', async () => {
    const r = await runInProcess([
      'keygen',
      '--api',
      url,
      '--committee',
      PEERS.join(','),
      '--threshold',
      '2',
      '--json',
    ])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ keyId: 'k001', threshold: 2, committee: PEERS })
    expect(api.calls).toEqual([{ op: 'createKey', input: { committee: PEERS, threshold: 2 } }])
    const human = await runInProcess([
      'keygen',
      '--api',
      url,
      '--committee',
      PEERS.join(', '),
      '--threshold',
      '3',
    ])
    expect(human.stdout).toContain('created key k002')
  })

  it('keys lists every key or shows one', async () => {
    await api.createKey({ committee: PEERS, threshold: 2 })
    const all = await runInProcess(['keys', '--api', url, '--json'])
    expect(JSON.parse(all.stdout).keys.map((k: { keyId: string }) => k.keyId)).toEqual(['k001'])
    const one = await runInProcess(['keys', '--api', `${url}/`, '--key', 'k001'])
    expect(one.code).toBe(0)
    expect(one.stdout).toContain('k001')
    expect(one.stdout).toContain('2-of-3')
  })

  it('sign sends a message, a raw message, a transaction file, signers and path', async () => {
    await api.createKey({ committee: PEERS, threshold: 2 })
    const msg = await runInProcess(['sign', '--api', url, '--key', 'k001', '--message', 'hello', '--json'])
    expect(msg.code).toBe(0)
    expect(JSON.parse(msg.stdout)).toMatchObject({ keyId: 'k001', yParity: 1 })
    expect(api.calls.at(-1)?.input).toEqual({ message: 'hello' })

    await runInProcess(['sign', '--api', url, '--key', 'k001', '--raw', '0xdead'])
    expect(api.calls.at(-1)?.input).toEqual({ message: { raw: '0xdead' } })

    const file = join(dir, 'tx.json')
    await writeFile(file, JSON.stringify(TX))
    const tx = await runInProcess([
      'sign',
      '--api',
      url,
      '--key',
      'k001',
      '--tx',
      file,
      '--signers',
      `${PEERS[0]},${PEERS[2]}`,
      '--path',
      'm/0/1',
    ])
    expect(tx.code).toBe(0)
    expect(tx.stdout).toContain('signed transaction: 0x02f8')
    expect(api.calls.at(-1)?.input).toEqual({
      transaction: { ...TX, value: '1000', data: '0x', gas: '21000' },
      signers: [PEERS[0], PEERS[2]],
      derivationPath: 'm/0/1',
    })
  })

  it('send submits an inline transaction', async () => {
    await api.createKey({ committee: PEERS, threshold: 2 })
    const r = await runInProcess([
      'send',
      '--api',
      url,
      '--key',
      'k001',
      '--tx',
      JSON.stringify({ to: TX.to, value: TX.value, gas: TX.gas }),
      '--json',
    ])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'success' })
    expect(api.calls.at(-1)).toMatchObject({ op: 'submit', keyId: 'k001' })
  })

  it('API errors are printed with their code and exit 1', async () => {
    const r = await runInProcess(['keys', '--api', url, '--key', 'nope'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('error: KEY_NOT_FOUND: no such key')
    api.failWith = new NodeError('POLICY_DENIED', 'denied by policy', {
      status: 403,
      hints: ['ask an operator'],
    })
    const denied = await runInProcess(['keys', '--api', url, '--json'])
    expect(denied.code).toBe(1)
    expect(JSON.parse(denied.stdout).error).toMatchObject({
      code: 'POLICY_DENIED',
      hints: ['ask an operator'],
      details: { status: 403 },
    })
  })

  it('an unreachable API is exit 1 with a hint', async () => {
    const port = await freePort()
    const r = await runInProcess(['keys', '--api', `http://127.0.0.1:${port}`])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('CLI_API_UNREACHABLE')
    expect(r.stderr).toContain('hint: is the node running?')
  })

  it('reads the API address from --home', async () => {
    const home = join(dir, 'node')
    expect(
      (await runInProcess(['init', '--home', home, '--api', new URL(url).host], { MPC_NODE_PASSPHRASE: 'p' }))
        .code,
    ).toBe(0)
    const h = await runInProcess(['health', '--home', home, '--json'])
    expect(h.code).toBe(0)
    expect(JSON.parse(h.stdout)).toMatchObject({ status: 'ok', peerId: api.peerId })
  })

  it.each([
    [['keygen', '--api', 'x', '--committee', 'a', '--threshold', '2'], '--api must be an http(s) URL'],
    [['keygen', '--committee', 'a', '--threshold', '2'], 'missing --api URL'],
    [['keygen', '--api', 'http://127.0.0.1:1', '--threshold', '2'], 'missing --committee'],
    [
      ['keygen', '--api', 'http://127.0.0.1:1', '--committee', 'a', '--threshold', 'two'],
      '--threshold must be',
    ],
    [['sign', '--api', 'http://127.0.0.1:1', '--key', 'k'], 'give exactly one of'],
    [
      ['sign', '--api', 'http://127.0.0.1:1', '--key', 'k', '--message', 'm', '--raw', '0x'],
      'give exactly one of',
    ],
    [['sign', '--api', 'http://127.0.0.1:1', '--key', 'k', '--tx', '{"chainId":1'], '--tx is not valid JSON'],
    [
      ['sign', '--api', 'http://127.0.0.1:1', '--key', 'k', '--tx', '{"chainId":1}'],
      '--tx: transaction.nonce',
    ],
    [['send', '--api', 'http://127.0.0.1:1', '--key', 'k', '--message', 'm'], "Unknown option '--message'"],
  ])('usage error %j exits 2', async (args, message) => {
    const r = await runInProcess(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(message)
  })
})
