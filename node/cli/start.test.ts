import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeNodeApi } from '../api/testkit.ts'
import { silentLogger } from '../log/index.ts'
import type { Io } from './io.ts'
import { type RunningNode, runStart, type StartNode } from './start.ts'
import { runInProcess } from './testkit.ts'

let dir: string
let home: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-start-'))
  home = join(dir, 'node')
  expect((await runInProcess(['init', '--home', home], { MPC_NODE_PASSPHRASE: 'pw' })).code).toBe(0)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function capture(env: Record<string, string>): { io: Io; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t), env }, out, err }
}

class FakeRunningNode extends FakeNodeApi implements RunningNode {
  stopped = 0
  multiaddrs(): string[] {
    return [`/ip4/127.0.0.1/tcp/4101/p2p/${this.peerId}`]
  }
  async stop(): Promise<void> {
    this.stopped++
  }
}

describe('mpc-node start (with a stand-in node)', () => {
  it('prints one ready line, serves the API, and stops cleanly on the stop signal', async () => {
    const node = new FakeRunningNode()
    const seen: { home: string; passphrase: string | Uint8Array }[] = []
    const startNode: StartNode = async (opts) => {
      seen.push({ home: opts.home, passphrase: opts.passphrase })
      return node
    }
    let stop!: () => void
    const stopSignal = new Promise<void>((r) => {
      stop = r
    })
    const { io, out } = capture({ MPC_NODE_PASSPHRASE: 'pw' })
    const done = runStart(['--home', home], io, { startNode, stopSignal, logger: silentLogger() })
    await expect.poll(() => out.length, { timeout: 10_000 }).toBe(1)
    const ready = JSON.parse(out[0])
    expect(ready).toMatchObject({
      event: 'ready',
      peerId: node.peerId,
      did: node.did,
      multiaddrs: node.multiaddrs(),
    })
    expect(ready.api).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/)
    expect(seen).toEqual([{ home, passphrase: 'pw' }])
    const health = await fetch(`${ready.api}/v1/health`)
    expect(health.status).toBe(200)
    stop()
    expect(await done).toBe(0)
    expect(node.stopped).toBe(1)
    await expect(fetch(`${ready.api}/v1/health`)).rejects.toThrow()
  })

  it('without a passphrase it refuses before starting anything', async () => {
    let started = false
    const { io, out, err } = capture({})
    const code = await runStart(['--home', home], io, {
      startNode: async () => {
        started = true
        return new FakeRunningNode()
      },
      stopSignal: new Promise(() => undefined),
      logger: silentLogger(),
    })
    expect(code).toBe(1)
    expect(started).toBe(false)
    expect(out).toEqual([])
    expect(err.join('\n')).toContain('CLI_PASSPHRASE_MISSING')
  })

  it('stops the node when the API cannot listen', async () => {
    const node = new FakeRunningNode()
    const blocker = await import('node:net').then(
      (net) =>
        new Promise<import('node:net').Server>((resolve) => {
          const s = net.createServer().listen(0, '127.0.0.1', () => resolve(s))
        }),
    )
    const port = (blocker.address() as import('node:net').AddressInfo).port
    const other = join(dir, 'busy')
    const init = await runInProcess(['init', '--home', other, '--api', `127.0.0.1:${port}`], {
      MPC_NODE_PASSPHRASE: 'pw',
    })
    expect(init.code).toBe(0)
    const { io } = capture({ MPC_NODE_PASSPHRASE: 'pw' })
    const code = await runStart(['--home', other], io, {
      startNode: async () => node,
      stopSignal: new Promise(() => undefined),
      logger: silentLogger(),
    })
    blocker.close()
    expect(code).toBe(1)
    expect(node.stopped).toBe(1)
  })
})

describe('mpc-node demo / simulate', () => {
  const demo = fileURLToPath(new URL('../../simulations/demo.ts', import.meta.url))
  it.skipIf(existsSync(demo))('a missing scenario module is a clear error, exit 1', async () => {
    const r = await runInProcess(['demo', '--nodes', '3'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('CLI_SCENARIO_UNAVAILABLE: cannot load simulations/demo.ts')
  })
})

describe('top level', () => {
  it('no command or an unknown one exits 2; --help exits 0 for every command', async () => {
    expect((await runInProcess([])).code).toBe(2)
    const unknown = await runInProcess(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown command "frobnicate"')
    for (const c of [
      'init',
      'peers',
      'start',
      'keygen',
      'keys',
      'sign',
      'send',
      'health',
      'audit',
      'demo',
      'simulate',
    ]) {
      const r = await runInProcess([c, '--help'])
      expect(r.code, c).toBe(0)
      expect(r.stdout, c).toContain(`mpc-node ${c}`)
    }
    expect((await runInProcess(['--help'])).stdout).toContain('Commands:')
    expect((await runInProcess(['help', 'sign'])).stdout).toContain('mpc-node sign')
  })
})
