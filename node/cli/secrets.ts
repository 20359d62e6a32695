// The store passphrase and (for tests only) the scrypt cost of a new store.
//
// The passphrase comes from `--passphrase-file FILE` (one trailing newline is dropped) or the
// MPC_NODE_PASSPHRASE environment variable; never from a command-line argument, which other
// local users can read from the process table. Without one, commands that open the store refuse.
//
// MPC_NODE_SCRYPT_N (TESTS ONLY) sets scrypt's N for a store created by `init` (r = 8, p = 1).
// The default (N = 2^17) costs ~128 MiB and a few hundred ms per open; tests set e.g. 1024.
// It has no effect on an existing store (its parameters are stored with it) and `init` prints a
// warning whenever it is used.
import { readFile } from 'node:fs/promises'
import { NodeError } from '../errors.ts'
import type { Io } from './io.ts'

export const PASSPHRASE_ENV = 'MPC_NODE_PASSPHRASE'
export const SCRYPT_N_ENV = 'MPC_NODE_SCRYPT_N'

export async function readPassphrase(io: Io, file: string | undefined): Promise<string> {
  let value: string | undefined
  if (file !== undefined) {
    try {
      value = (await readFile(file, 'utf8')).replace(/\r?\n$/, '')
    } catch (cause) {
      throw new NodeError('CLI_PASSPHRASE_UNREADABLE', 'cannot read the passphrase file', {
        details: { file },
        cause,
      })
    }
  } else {
    value = io.env[PASSPHRASE_ENV]
  }
  if (value === undefined || value.length === 0) {
    throw new NodeError(
      'CLI_PASSPHRASE_MISSING',
      file === undefined ? 'no store passphrase given' : 'the passphrase file is empty',
      { hints: [`set ${PASSPHRASE_ENV} or pass --passphrase-file FILE`] },
    )
  }
  return value
}

/** The test-only scrypt cost, or undefined for the store's default. */
export function testScryptCost(io: Io): { N: number; r: number; p: number } | undefined {
  const raw = io.env[SCRYPT_N_ENV]
  if (raw === undefined || raw === '') return undefined
  const N = Number(raw)
  if (!Number.isSafeInteger(N) || N < 2 || N > 1 << 22 || (N & (N - 1)) !== 0) {
    throw new NodeError('CLI_SCRYPT_N_INVALID', `${SCRYPT_N_ENV} must be a power of two from 2 to 2^22`)
  }
  io.err(`warning: ${SCRYPT_N_ENV}=${N} weakens the store key derivation; use it for tests only`)
  return { N, r: 8, p: 1 }
}
