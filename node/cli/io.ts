// What every command gets: output sinks, the environment, and the shared error types.
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { NodeError } from '../errors.ts'

export type Io = {
  /** One line (or block) of result output; stdout in the real CLI. */
  out(text: string): void
  /** Diagnostics and human messages; stderr in the real CLI. */
  err(text: string): void
  env: Record<string, string | undefined>
}

export const processIo = (): Io => ({
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
})

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const

/** Wrong invocation: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message)
  }
}

export type Command = {
  name: string
  summary: string
  help: string
  run(args: string[], io: Io): Promise<number>
}

type Options = NonNullable<ParseArgsConfig['options']>

/** node:util parseArgs in strict mode; parse problems become UsageErrors. */
export function parse<const O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e), command)
  }
}

export function required<T>(value: T | undefined, flag: string, command: string): T {
  if (value === undefined || value === '') throw new UsageError(`missing --${flag}`, command)
  return value
}

export function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export function integer(value: string | undefined, flag: string, command: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^[0-9]{1,9}$/.test(value)) throw new UsageError(`--${flag} must be a non-negative integer`, command)
  return Number(value)
}

/** Prints a failure: JSON on stdout with --json, a human line plus hints on stderr otherwise. */
export function reportError(e: unknown, io: Io, json: boolean): number {
  if (e instanceof UsageError) throw e
  const body =
    e instanceof NodeError
      ? { ...e.toJSON(), ...(e.hints.length > 0 ? { hints: e.hints } : {}) }
      : { code: 'CLI_INTERNAL', message: e instanceof Error ? e.message : String(e) }
  if (json) {
    io.out(JSON.stringify({ error: body }))
  } else {
    io.err(`error: ${body.code}: ${body.message}`)
    for (const h of 'hints' in body && Array.isArray(body.hints) ? body.hints : []) io.err(`  hint: ${h}`)
  }
  return EXIT.failure
}

export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2))
}

/** Prints a command's help on stdout; exit 0. */
export function showHelp(io: Io, help: string): number {
  io.out(help)
  return EXIT.ok
}
