// Node processes of the demo: `mpc-node start --home DIR` (node/cli/bin.mjs, the real executable)
// as children of this process. Each child's ready line is parsed, its log lines are kept (a short
// tail for errors, and the policy reloads it announces), and every child ever spawned is known so
// that the demo can stop them all: normally, on an error, or on Ctrl-C.
import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { NodeError } from '../../node/errors.ts'

const BIN = fileURLToPath(new URL('../../node/cli/bin.mjs', import.meta.url))
const REPO = fileURLToPath(new URL('../../', import.meta.url))
const TAIL = 40

export type Ready = { event: 'ready'; peerId: string; did: string; multiaddrs: string[]; api: string }

export class NodeProcess {
  ready: Ready | undefined
  readonly tail: string[] = []
  /** Hashes of the policies the node announced in force ('policy in force' log lines). */
  readonly policies = new Set<string>()
  #child: ChildProcess | undefined
  #exited: Promise<void> = Promise.resolve()

  constructor(
    readonly name: string,
    readonly home: string,
    readonly env: Record<string, string>,
    private readonly onSpawn: (pid: number) => void,
    /** File that receives the node's output (appended across restarts). */
    readonly logFile: string,
  ) {}

  get running(): boolean {
    const c = this.#child
    return c !== undefined && c.exitCode === null && c.signalCode === null
  }

  get pid(): number | undefined {
    return this.#child?.pid
  }

  get api(): string {
    if (this.ready === undefined) throw new Error(`${this.name} is not running`)
    return this.ready.api
  }

  get peerId(): string {
    if (this.ready === undefined) throw new Error(`${this.name} is not running`)
    return this.ready.peerId
  }

  async start(timeoutMs = 60_000): Promise<Ready> {
    const child = spawn(process.execPath, [BIN, 'start', '--home', this.home], {
      cwd: REPO,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.#child = child
    if (child.pid !== undefined) this.onSpawn(child.pid)
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()))
    mkdirSync(dirname(this.logFile), { recursive: true })
    const log = createWriteStream(this.logFile, { flags: 'a' })
    child.once('exit', () => log.end())
    const remember = (line: string) => {
      log.write(`${line}\n`)
      this.tail.push(line)
      if (this.tail.length > TAIL) this.tail.shift()
      if (line.includes('"policy in force"')) {
        const hash = /"hash":"([0-9a-f]{64})"/.exec(line)?.[1]
        if (hash !== undefined) this.policies.add(hash)
      }
    }
    createInterface({ input: child.stderr! }).on('line', remember)
    this.ready = await new Promise<Ready>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer)
        reject(
          new NodeError('DEMO_NODE_START_FAILED', `${this.name} ${why}`, {
            details: { home: this.home, log: this.tail.slice(-12) },
          }),
        )
      }
      const timer = setTimeout(() => fail(`sent no ready line in ${timeoutMs} ms`), timeoutMs)
      child.once('exit', (code, signal) => fail(`exited before ready (code ${code}, signal ${signal})`))
      createInterface({ input: child.stdout! }).on('line', (line) => {
        remember(line)
        try {
          const v = JSON.parse(line) as Partial<Ready>
          if (v.event !== 'ready') return
          clearTimeout(timer)
          resolve(v as Ready)
        } catch {
          // not the ready line
        }
      })
    })
    return this.ready
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 8_000): Promise<void> {
    const c = this.#child
    if (c === undefined || !this.running) return this.#exited
    c.kill('SIGTERM')
    const timer = setTimeout(() => c.kill('SIGKILL'), graceMs)
    await this.#exited
    clearTimeout(timer)
  }

  /** Immediate SIGKILL (the process-exit backstop; no await possible there). */
  killNow(): void {
    if (this.running) this.#child?.kill('SIGKILL')
  }

  /** Waits until the node announces the policy with this hash in force (it hot-reloads its file). */
  async policyInForce(hash: string, timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs
    while (!this.policies.has(hash)) {
      if (Date.now() > until || !this.running)
        throw new NodeError('DEMO_POLICY_NOT_RELOADED', `${this.name} did not put its new policy in force`, {
          details: { hash, log: this.tail.slice(-8) },
        })
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}
