// A node as a separate OS process: `mpc-node start --home DIR` (node/cli/bin.mjs, the real
// executable), its ready line parsed, stdout and stderr captured line by line, and a JSON client
// for its HTTP API. Every process spawned here is killed when the test process exits, whatever
// happens to the test (afterAll is the normal path; the exit handlers are the backstop).

import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { TEST_PASSPHRASE } from './cluster.ts'

const BIN = fileURLToPath(new URL('../../node/cli/bin.mjs', import.meta.url))
const REPO = fileURLToPath(new URL('../../', import.meta.url))
/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on Linux). */
const CLOCK_TICKS = 100

export type Ready = { event: 'ready'; peerId: string; did: string; multiaddrs: string[]; api: string }

export type NodeProcessOptions = {
  home: string
  passphrase?: string
  /** Ceremony timeouts (MPC_NODE_SIGN_TIMEOUT_MS / MPC_NODE_DKG_TIMEOUT_MS). */
  signTimeoutMs?: number
  dkgTimeoutMs?: number
  logLevel?: string
  /** Extra node flags (e.g. --cpu-prof) placed before the script. */
  nodeArgs?: string[]
  env?: Record<string, string>
  readyTimeoutMs?: number
}

/** Every live child, so an exit handler can kill what a failed test left behind. */
const live = new Set<ChildProcess>()
let hooked = false
function hookExit(): void {
  if (hooked) return
  hooked = true
  const killAll = () => {
    for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  }
  process.once('exit', killAll)
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(sig, () => {
      killAll()
      process.exit(130)
    })
}

export class NodeProcess {
  readonly stdout: string[] = []
  readonly stderr: string[] = []
  ready!: Ready
  #child: ChildProcess | undefined
  #exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({
    code: null,
    signal: null,
  })

  constructor(readonly opts: NodeProcessOptions) {}

  get pid(): number {
    const pid = this.#child?.pid
    if (pid === undefined) throw new Error('node process not started')
    return pid
  }

  get running(): boolean {
    const c = this.#child
    return c !== undefined && c.exitCode === null && c.signalCode === null
  }

  get api(): string {
    return this.ready.api
  }

  get peerId(): string {
    return this.ready.peerId
  }

  /** Spawns the process and resolves on its ready line; rejects if it exits or stalls first. */
  async start(): Promise<Ready> {
    if (this.running) throw new Error('already running')
    hookExit()
    const o = this.opts
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      MPC_NODE_PASSPHRASE: o.passphrase ?? TEST_PASSPHRASE,
      MPC_NODE_LOG_LEVEL: o.logLevel ?? 'info',
      ...(o.signTimeoutMs === undefined ? {} : { MPC_NODE_SIGN_TIMEOUT_MS: String(o.signTimeoutMs) }),
      ...(o.dkgTimeoutMs === undefined ? {} : { MPC_NODE_DKG_TIMEOUT_MS: String(o.dkgTimeoutMs) }),
      ...o.env,
    }
    delete env.NODE_OPTIONS
    delete env.VITEST
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), BIN, 'start', '--home', o.home], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.#child = child
    live.add(child)
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        live.delete(child)
        resolve({ code, signal })
      }),
    )
    lines(child.stdout!, (l) => this.stdout.push(l))
    lines(child.stderr!, (l) => this.stderr.push(l))
    const timeout = o.readyTimeoutMs ?? 60_000
    this.ready = await new Promise<Ready>((resolve, reject) => {
      const seen = this.stdout.length
      const timer = setTimeout(() => {
        clearInterval(poll)
        reject(new Error(`no ready line from ${o.home} in ${timeout} ms:\n${this.tail()}`))
      }, timeout)
      const poll = setInterval(() => {
        for (const l of this.stdout.slice(seen)) {
          try {
            const v = JSON.parse(l) as Ready
            if (v.event === 'ready') {
              clearInterval(poll)
              clearTimeout(timer)
              return resolve(v)
            }
          } catch {
            // not JSON: keep looking
          }
        }
        if (!this.running) {
          clearInterval(poll)
          clearTimeout(timer)
          reject(new Error(`node ${o.home} exited before ready:\n${this.tail()}`))
        }
      }, 20)
    })
    return this.ready
  }

  /** SIGTERM and wait for a clean exit (SIGKILL after `graceMs`). */
  async stop(graceMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const c = this.#child
    if (!c || !this.running) return this.#exited
    c.kill('SIGTERM')
    const timer = setTimeout(() => c.kill('SIGKILL'), graceMs)
    const r = await this.#exited
    clearTimeout(timer)
    return r
  }

  /** SIGKILL: no shutdown code runs (a crash). */
  async kill(): Promise<void> {
    const c = this.#child
    if (!c || !this.running) return
    c.kill('SIGKILL')
    await this.#exited
  }

  /** Parsed JSON log lines from stderr. */
  logs(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = []
    for (const l of this.stderr) {
      try {
        out.push(JSON.parse(l) as Record<string, unknown>)
      } catch {
        // non-JSON stderr (warnings) stays in `stderr`
      }
    }
    return out
  }

  /** Peak resident set (VmHWM) and current RSS in KiB, from /proc. */
  memory(): { hwmKiB: number; rssKiB: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8')
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
    return { hwmKiB: field('VmHWM'), rssKiB: field('VmRSS') }
  }

  /** CPU time (user + system) the process has used so far, in ms, from /proc/<pid>/stat. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8')
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (clock ticks).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  }

  tail(n = 30): string {
    return [...this.stdout.slice(-5), ...this.stderr.slice(-n)].join('\n')
  }
}

function lines(stream: NodeJS.ReadableStream, push: (line: string) => void): void {
  let buf = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    buf += chunk
    let i = buf.indexOf('\n')
    while (i >= 0) {
      push(buf.slice(0, i))
      buf = buf.slice(i + 1)
      i = buf.indexOf('\n')
    }
  })
  stream.on('end', () => {
    if (buf.length > 0) push(buf)
  })
}

export type ApiReply<T = unknown> = { status: number; body: T; text: string }

/** A JSON call to a node's API. Never throws on HTTP errors; returns status and parsed body. */
export async function call<T = unknown>(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = 120_000,
): Promise<ApiReply<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // Prometheus text and the like
  }
  return { status: res.status, body: parsed as T, text }
}
