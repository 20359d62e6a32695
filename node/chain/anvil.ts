// A local anvil chain for tests and the demo: spawn the platform binary shipped in
// @foundry-rs/anvil-<os>-<arch> directly (STACK.md trap 7), bind 127.0.0.1 on an OS-chosen port
// and read it from the `Listening on` line, keep draining output, stop by PID.
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { NodeError } from '../errors.ts'

export type AnvilOptions = {
  /** Chain id (default 31337). */
  chainId?: number
  /** Number of funded dev accounts (anvil default 10). */
  accounts?: number
  /** Balance of each dev account in ether (anvil default 10000). */
  balanceEth?: number
  /** Genesis timestamp in seconds, for reproducible block times. */
  timestamp?: number
  /** Seconds between blocks; omitted = automine on every transaction. */
  blockTime?: number
  /** Path to an anvil binary; default: the one from @foundry-rs/anvil-<os>-<arch>. */
  binary?: string
  /** Extra command-line arguments. */
  args?: string[]
  /** How long to wait for `Listening on` (default 30 s). */
  startupTimeoutMs?: number
}

export type AnvilDevAccount = { address: `0x${string}`; privateKey: `0x${string}` }

export type Anvil = {
  rpcUrl: string
  port: number
  chainId: number
  pid: number
  /** The funded dev accounts anvil printed (public, well-known test keys; never use on a real chain). */
  accounts: AnvilDevAccount[]
  stop(): Promise<void>
}

const require = createRequire(import.meta.url)
const TAIL_LINES = 40
const HEX_KEY = /0x[0-9a-fA-F]{64}/g

// Chains still running are killed when this process exits (normally or by process.exit) or is
// ended by SIGINT/SIGTERM/SIGHUP. A signal this module alone listens for is re-raised after the
// cleanup, so the process still dies by it; with other listeners (a graceful shutdown) it is left
// to them. Nothing can catch SIGKILL of the parent.
const live = new Set<ChildProcess>()
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

function killNow(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

function killAll(): void {
  for (const child of live) killNow(child)
}

function onSignal(signal: NodeJS.Signals): void {
  killAll()
  if (process.listenerCount(signal) === 1) {
    uninstall()
    process.kill(process.pid, signal)
  }
}

function install(): void {
  process.on('exit', killAll)
  for (const s of SIGNALS) process.on(s, onSignal)
}

function uninstall(): void {
  process.off('exit', killAll)
  for (const s of SIGNALS) process.off(s, onSignal)
}

function track(child: ChildProcess): void {
  if (live.size === 0) install()
  live.add(child)
  const untrack = () => {
    live.delete(child)
    if (live.size === 0) uninstall()
  }
  child.once('exit', untrack)
  // A failed spawn may emit 'error' without 'exit'.
  child.once('error', () => {
    if (child.pid === undefined) untrack()
  })
}

/** The anvil binary inside the platform package that npm installed with @foundry-rs/anvil. */
export function anvilBinaryPath(): string {
  const os = process.platform
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const pkg = `@foundry-rs/anvil-${os}-${arch}`
  try {
    return join(
      dirname(require.resolve(`${pkg}/package.json`)),
      'bin',
      os === 'win32' ? 'anvil.exe' : 'anvil',
    )
  } catch (cause) {
    throw new NodeError('ANVIL_NOT_INSTALLED', `no anvil binary for ${os}/${arch}`, {
      hints: [`install ${pkg} (an optional dependency of @foundry-rs/anvil), or pass { binary }`],
      cause,
    })
  }
}

export function startAnvil(opts: AnvilOptions = {}): Promise<Anvil> {
  const chainId = opts.chainId ?? 31337
  const args = ['--host', '127.0.0.1', '--port', '0', '--chain-id', String(chainId)]
  if (opts.accounts !== undefined) args.push('--accounts', String(opts.accounts))
  if (opts.balanceEth !== undefined) args.push('--balance', String(opts.balanceEth))
  if (opts.timestamp !== undefined) args.push('--timestamp', String(opts.timestamp))
  if (opts.blockTime !== undefined) args.push('--block-time', String(opts.blockTime))
  args.push(...(opts.args ?? []))
  const binary = opts.binary ?? anvilBinaryPath()
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })

  track(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  // Diagnostics keep a short tail with key material masked (dev keys, but keys nonetheless).
  const tail: string[] = []
  const remember = (line: string) => {
    tail.push(line.replace(HEX_KEY, '0x<key>'))
    if (tail.length > TAIL_LINES) tail.shift()
  }
  createInterface({ input: child.stderr! }).on('line', remember)

  return new Promise<Anvil>((resolve, reject) => {
    const addresses: `0x${string}`[] = []
    const keys: `0x${string}`[] = []
    let section = ''
    let settled = false
    const fail = (code: string, message: string, cause?: unknown) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      killNow(child)
      reject(new NodeError(code, message, { details: { binary, output: [...tail] }, cause }))
    }
    const timer = setTimeout(
      () => fail('ANVIL_START_TIMEOUT', 'anvil did not report a listening port in time'),
      opts.startupTimeoutMs ?? 30_000,
    )
    child.once('error', (e) => fail('ANVIL_START_FAILED', `cannot spawn anvil: ${e.message}`, e))
    child.once('exit', (code, signal) =>
      fail('ANVIL_START_FAILED', `anvil exited before listening (code ${code}, signal ${signal})`),
    )

    // Keep reading stdout for the life of the process so anvil never blocks on a full pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (settled) return
      remember(line)
      if (line.startsWith('Available Accounts')) section = 'accounts'
      else if (line.startsWith('Private Keys')) section = 'keys'
      else if (line.startsWith('Wallet') || line.startsWith('Chain ID')) section = ''
      const entry = /^\(\d+\)\s+(0x[0-9a-fA-F]+)/.exec(line)
      if (entry !== null && section === 'accounts') addresses.push(entry[1] as `0x${string}`)
      if (entry !== null && section === 'keys') keys.push(entry[1] as `0x${string}`)
      const listening = /^Listening on ([\d.]+):(\d+)/.exec(line)
      if (listening === null) return
      settled = true
      clearTimeout(timer)
      const port = Number(listening[2])
      const pid = child.pid!
      resolve({
        rpcUrl: `http://${listening[1]}:${port}`,
        port,
        chainId,
        pid,
        accounts: addresses
          .map((address, i) => ({ address, privateKey: keys[i] }))
          .filter((a) => a.privateKey),
        stop: () => stopProcess(child, pid, exited),
      })
    })
  })
}

async function stopProcess(child: ChildProcess, pid: number, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return // already gone
  }
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref())
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      return
    }
    await exited
  }
}
