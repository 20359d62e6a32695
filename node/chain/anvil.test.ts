import { createPublicClient, http } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { afterEach, describe, expect, it } from 'vitest'
import { isNodeError } from '../errors.ts'
import { type Anvil, startAnvil } from './anvil.ts'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('startAnvil', () => {
  const started: Anvil[] = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map((a) => a.stop()))
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
