import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createPublicClient, http } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { afterEach, describe, expect, it } from 'vitest'
import { isNodeError } from '../errors.ts'
import { type Anvil, startAnvil } from './anvil.ts'

/** Alive and not a zombie (an orphan may stay unreaped when PID 1 does not reap). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  if (process.platform !== 'linux') return true
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

const ANVIL_TS = fileURLToPath(new URL('./anvil.ts', import.meta.url))

/** Run a node process that starts anvil, prints its PID, then does `then`; resolve with the PID. */
async function anvilInChild(
  then: string,
): Promise<{ anvilPid: number; exited: Promise<void>; kill: () => void }> {
  const code = `const { startAnvil } = await import(${JSON.stringify(ANVIL_TS)}); const a = await startAnvil(); console.log(a.pid); ${then}`
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const first = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).once('line', resolve),
  )
  return { anvilPid: Number(first), exited, kill: () => child.kill('SIGTERM') }
}

async function waitDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100))
  return !isAlive(pid)
}

describe('startAnvil', () => {
  const started: Anvil[] = []
  const orphans: number[] = [] // chains started by child processes: never leave them behind
  afterEach(async () => {
    await Promise.all(started.splice(0).map((a) => a.stop()))
    for (const pid of orphans.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  })

  it('listens on a loopback port, serves the chosen chain id and stops by PID', async () => {
    const anvil = await startAnvil({ chainId: 4242, accounts: 3 })
    started.push(anvil)
    expect(anvil.rpcUrl).toBe(`http://127.0.0.1:${anvil.port}`)
    expect(anvil.port).toBeGreaterThan(0)
    const client = createPublicClient({ transport: http(anvil.rpcUrl) })
    expect(await client.getChainId()).toBe(4242)
    expect(anvil.accounts).toHaveLength(3)
    for (const a of anvil.accounts) expect(privateKeyToAddress(a.privateKey)).toBe(a.address)
    expect(await client.getBalance({ address: anvil.accounts[0].address })).toBeGreaterThan(0n)

    expect(isAlive(anvil.pid)).toBe(true)
    await anvil.stop()
    expect(isAlive(anvil.pid)).toBe(false)
    await anvil.stop() // idempotent
  })

  it('defaults to chain id 31337 and runs two chains side by side', async () => {
    const [a, b] = await Promise.all([startAnvil(), startAnvil()])
    started.push(a, b)
    expect(a.chainId).toBe(31337)
    expect(a.port).not.toBe(b.port)
    expect(await createPublicClient({ transport: http(b.rpcUrl) }).getChainId()).toBe(31337)
  })

  it('kills the chain when the parent process exits without stop()', async () => {
    const run = await anvilInChild('process.exit(0)')
    orphans.push(run.anvilPid)
    await run.exited
    expect(await waitDead(run.anvilPid)).toBe(true)
  })

  it('kills the chain when the parent is terminated by SIGTERM', async () => {
    const run = await anvilInChild('setInterval(() => {}, 1000)')
    orphans.push(run.anvilPid)
    expect(isAlive(run.anvilPid)).toBe(true)
    run.kill()
    await run.exited
    expect(await waitDead(run.anvilPid)).toBe(true)
  })

  it('reports a typed error when the binary cannot start', async () => {
    const err = await startAnvil({ binary: '/nonexistent/anvil' }).catch((e: unknown) => e)
    expect(isNodeError(err, 'ANVIL_START_FAILED')).toBe(true)
  })

  it('reports a typed error when anvil rejects its arguments, without leaking keys', async () => {
    const err = await startAnvil({ args: ['--no-such-flag'] }).catch((e: unknown) => e)
    expect(isNodeError(err, 'ANVIL_START_FAILED')).toBe(true)
    expect(JSON.stringify(isNodeError(err) ? err.details : {})).not.toMatch(/0x[0-9a-f]{64}/i)
  })
})
