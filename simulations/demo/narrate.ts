// Narration of the demo: step headers, one line per operation with its time, and the records the
// summary table and the --json object are built from. Human text goes to stdout, or to stderr when
// stdout carries the JSON object.
import type { Io } from '../../node/cli/io.ts'

export type Outcome = {
  /** One line shown after the operation's name. */
  detail?: string
  txHash?: string
  /** Transaction status ('success' | 'reverted') or 'refused'. */
  status?: string
  /** For refusals: the API error code and the nodes' denials. */
  refusal?: { code: string; denials: Denial[] }
}

export type Denial = { peerId: string; node?: string; code: string; reasons: string[] }

export type OperationRecord = Outcome & {
  step: number
  name: string
  ms: number
  ok: boolean
  error?: string
}

export type StepRecord = { step: number; title: string; ok: boolean; ms: number }

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

export class Narrator {
  readonly operations: OperationRecord[] = []
  readonly steps: StepRecord[] = []
  readonly #say: (text: string) => void
  readonly #started = Date.now()
  #step = 0
  #stepStarted = 0

  constructor(
    io: Io,
    json: boolean,
    readonly total: number,
  ) {
    this.#say = json ? io.err : io.out
  }

  get elapsedMs(): number {
    return Date.now() - this.#started
  }

  say(text: string): void {
    this.#say(text)
  }

  step(n: number, title: string): void {
    this.#step = n
    this.#stepStarted = Date.now()
    const head = `── ${n}/${this.total}  ${title} `
    this.#say(`\n${head}${'─'.repeat(Math.max(4, 100 - head.length))}`)
  }

  endStep(title: string, ok: boolean): void {
    const ms = Date.now() - this.#stepStarted
    this.steps.push({ step: this.#step, title, ok, ms })
    this.#say(`   ${ok ? 'step done' : 'STEP FAILED'} in ${seconds(ms)} (total ${seconds(this.elapsedMs)})`)
  }

  note(text: string): void {
    this.#say(`   ${text}`)
  }

  /**
   * Runs one operation and prints `✓ name  detail  time`. `slow` operations also print a line
   * when they start, so a long ceremony shows progress. A throw is recorded and rethrown.
   */
  async op<T>(
    name: string,
    run: () => Promise<T>,
    describe: (v: T) => Outcome = () => ({}),
    opts: { slow?: boolean; ok?: (v: T) => boolean } = {},
  ): Promise<T> {
    if (opts.slow) this.#say(`   … ${name}`)
    const t0 = Date.now()
    try {
      const v = await run()
      const ms = Date.now() - t0
      const outcome = describe(v)
      const ok = opts.ok?.(v) ?? true
      this.operations.push({ step: this.#step, name, ms, ok, ...outcome })
      const mark = outcome.refusal !== undefined ? '✗' : ok ? '✓' : '!'
      const detail = outcome.detail === undefined ? '' : `  ${outcome.detail}`
      this.#say(`   ${mark} ${name}${detail}  [${seconds(ms)}]`)
      return v
    } catch (e) {
      const ms = Date.now() - t0
      const error = (e instanceof Error ? e.message : String(e)).split('\n')[0]!
      this.operations.push({ step: this.#step, name, ms, ok: false, error })
      this.#say(`   ! ${name} FAILED: ${error}  [${seconds(ms)}]`)
      throw e
    }
  }

  /** The summary table: every operation with its step, time and result. */
  table(): string {
    const rows = this.operations.map((o) => [
      String(o.step),
      o.name,
      seconds(o.ms),
      o.error !== undefined
        ? `FAILED: ${o.error}`
        : o.refusal !== undefined
          ? `refused ${o.refusal.code}: ${[...new Set(o.refusal.denials.map((d) => d.code))].join(', ')}`
          : o.txHash !== undefined
            ? `${o.status} ${o.txHash}`
            : (o.detail ?? 'ok'),
    ])
    const head = ['#', 'operation', 'time', 'result']
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min(r[i].length, 60))))
    widths[3] = head[3].length
    const line = (r: string[]) =>
      r
        .map((c, i) =>
          i === 3 ? c : c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i]),
        )
        .join('  ')
    return [line(head), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n')
  }
}
