// Helpers for CLI tests: run the CLI in-process (fast) or as a real process through bin.mjs.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Io } from './io.ts'
import { main } from './main.ts'

export type CliResult = { code: number; stdout: string; stderr: string }

export const BIN = fileURLToPath(new URL('./bin.mjs', import.meta.url))

/** Test env: a small scrypt cost (MPC_NODE_SCRYPT_N is honoured for tests only). */
export const TEST_ENV = { MPC_NODE_SCRYPT_N: '1024' }

export async function runInProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const io: Io = {
    out: (t) => {
      stdout += t.endsWith('\n') ? t : `${t}\n`
    },
    err: (t) => {
      stderr += t.endsWith('\n') ? t : `${t}\n`
    },
    env: { ...TEST_ENV, ...env },
  }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

/** Spawns `node node/cli/bin.mjs ...args` with a clean passphrase environment. */
export function runProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const base: Record<string, string | undefined> = { ...process.env, ...TEST_ENV }
  delete base.MPC_NODE_PASSPHRASE
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += String(d)
    })
    child.stderr.on('data', (d) => {
      stderr += String(d)
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}
