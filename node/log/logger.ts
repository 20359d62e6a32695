import pino, { type DestinationStream, type Level, type Logger } from 'pino'
import pretty from 'pino-pretty'
import { REDACTED } from './secret.ts'

export type { Logger } from 'pino'

/** Field names whose values never reach a log line, at any of the first three nesting levels. */
export const SECRET_FIELDS = [
  'share',
  'shares',
  'secret',
  'secrets',
  'passphrase',
  'password',
  'seed',
  'privateKey',
  'private_key',
  'mnemonic',
  'keyShare',
  'authorization',
] as const

export const REDACT_PATHS: string[] = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`])

export type LoggerInit = {
  name?: string
  level?: Level | 'silent'
  /** Human-readable output; defaults to whether stdout is a TTY. */
  pretty?: boolean
  /** Where JSON lines go (tests pass a collecting stream); defaults to stdout. */
  destination?: DestinationStream
  /** Extra redaction paths on top of REDACT_PATHS. */
  redact?: string[]
}

/**
 * The node's logger: pino JSON lines by default, pino-pretty when stdout is a TTY.
 * Redaction is by construction: `Secret` values print as "[redacted]" and fields named in
 * SECRET_FIELDS are censored whatever their type.
 */
export function createLogger(init: LoggerInit = {}): Logger {
  const options = {
    name: init.name ?? 'mpc-node',
    level: init.level ?? 'info',
    redact: { paths: [...REDACT_PATHS, ...(init.redact ?? [])], censor: REDACTED },
    base: { pid: process.pid },
  }
  const usePretty = init.pretty ?? (init.destination === undefined && process.stdout.isTTY === true)
  if (usePretty) {
    // A synchronous in-process stream (no worker thread) so lines are not lost on crash or exit.
    return pino(options, pretty({ colorize: true, sync: true, destination: init.destination ?? 1 }))
  }
  return pino(options, init.destination ?? pino.destination({ dest: 1, sync: false }))
}

/** A logger that drops everything (tests and library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
