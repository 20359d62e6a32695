// Two real `mpc-node start` processes on loopback, driven by the CLI: init, peers, keygen, sign, stop.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { hexToBytes } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, runInProcess, TEST_ENV } from './testkit.ts'

type Ready = { event: string; peerId: string; did: string; multiaddrs: string[]; api: string }
type Started = { child: ChildProcess; ready: Ready; stderr: () => string; exit: Promise<number | null> }

const PASS = 'e2e passphrase'
let dir: string
const nodes: Started[] = []

function start(home: string): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'start', '--home', home], {
    env: { ...process.env, ...TEST_ENV, MPC_NODE_PASSPHRASE: PASS },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d) => {
    stderr += String(d)
  })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const stdoutLines: string[] = []
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    rl.on('line', (line) => {
      stdoutLines.push(line)
      if (stdoutLines.length === 1) resolve({ child, ready: JSON.parse(line), stderr: () => stderr, exit })
    })
    void exit.then((code) => reject(new Error(`node exited with ${code} before ready:\n${stderr}`)))
  })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-e2e-'))
  const ids: { peerId: string; listen: string }[] = []
  for (const name of ['a', 'b']) {
    const r = await runInProcess(
      ['init', '--home', join(dir, name), '--name', name, '--policy', 'dev', '--json'],
      {
        MPC_NODE_PASSPHRASE: PASS,
      },
    )
    expect(r.code, r.stderr).toBe(0)
    ids.push(JSON.parse(r.stdout))
  }
  for (const [self, other] of [
    ['a', 1],
    ['b', 0],
  ] as const) {
    const peer = ids[other]
    const r = await runInProcess([
      'peers',
      'add',
      '--home',
      join(dir, self),
      '--peer-id',
      peer.peerId,
      '--addr',
      peer.listen,
    ])
    expect(r.code, r.stderr).toBe(0)
  }
  nodes.push(...(await Promise.all([start(join(dir, 'a')), start(join(dir, 'b'))])))
})

afterAll(async () => {
  for (const n of nodes) if (n.child.exitCode === null) n.child.kill('SIGKILL')
  await rm(dir, { recursive: true, force: true })
})

describe('two nodes through the CLI', () => {
  it('ready lines, a 2-of-2 keygen, a verifiable signature, and a clean SIGTERM/SIGINT stop', async () => {
    const [a, b] = nodes
    expect(a.ready).toMatchObject({ event: 'ready', peerId: expect.stringMatching(/^12D3KooW/) })
    expect(a.ready.api).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/)
    expect(a.ready.multiaddrs.length).toBeGreaterThan(0)

    const committee = `${a.ready.peerId},${b.ready.peerId}`
    const kg = await runInProcess([
      'keygen',
      '--api',
      a.ready.api,
      '--committee',
      committee,
      '--threshold',
      '2',
      '--json',
    ])
    expect(kg.code, kg.stdout + kg.stderr).toBe(0)
    const key = JSON.parse(kg.stdout)
    const keysAtB = await runInProcess(['keys', '--api', b.ready.api, '--json'])
    expect(JSON.parse(keysAtB.stdout).keys.map((k: { keyId: string }) => k.keyId)).toContain(key.keyId)

    const s = await runInProcess([
      'sign',
      '--api',
      a.ready.api,
      '--key',
      key.keyId,
      '--message',
      'hello',
      '--json',
    ])
    expect(s.code, s.stdout + s.stderr).toBe(0)
    const sig = JSON.parse(s.stdout)
    const compact = new secp256k1.Signature(BigInt(sig.r), BigInt(sig.s)).toBytes('compact')
    expect(
      secp256k1.verify(compact, hexToBytes(sig.digest), hexToBytes(key.publicKey), { prehash: false }),
    ).toBe(true)

    a.child.kill('SIGTERM')
    b.child.kill('SIGINT')
    expect(await a.exit).toBe(0)
    expect(await b.exit).toBe(0)
    expect(a.stderr()).toContain('"msg":"stopping"')
    expect(a.stderr() + b.stderr()).not.toContain(PASS)
  })
})
