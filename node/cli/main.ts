// The `mpc-node` command. Exit codes: 0 ok, 1 failure, 2 usage.
//   npx mpc-node <command> …        (node/cli/bin.mjs)
//   npx tsx node/cli/main.ts <command> …
import '../runtime/polyfill.ts'
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { auditCommand } from './audit.ts'
import { backupCommand, restoreCommand } from './backup.ts'
import { healthCommand, keygenCommand, keysCommand, sendCommand, signCommand } from './client.ts'
import { initCommand } from './init.ts'
import { type Command, EXIT, type Io, processIo, UsageError } from './io.ts'
import { peersCommand } from './peers.ts'
import { demoCommand, simulateCommand } from './scenarios.ts'
import { startCommand } from './start.ts'

export const COMMANDS: Command[] = [
  initCommand,
  peersCommand,
  startCommand,
  keygenCommand,
  keysCommand,
  signCommand,
  sendCommand,
  healthCommand,
  auditCommand,
  backupCommand,
  restoreCommand,
  demoCommand,
  simulateCommand,
]

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return `Usage: mpc-node <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`mpc-node <command> --help\` for a command's options.
Secrets: the store passphrase comes from MPC_NODE_PASSPHRASE or --passphrase-file, never argv.
`
}

/** Runs one invocation and returns its exit code; never throws. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined) {
    io.err(usage())
    return EXIT.usage
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const c = COMMANDS.find((x) => x.name === rest[0])
    io.out(c === undefined ? usage() : c.help)
    return EXIT.ok
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (command === undefined) {
    io.err(`error: unknown command "${name}"\n\n${usage()}`)
    return EXIT.usage
  }
  try {
    return await command.run(rest, io)
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\nRun \`mpc-node ${e.command} --help\` for usage.`)
      return EXIT.usage
    }
    io.err(`error: CLI_INTERNAL: ${e instanceof Error ? e.message : String(e)}`)
    return EXIT.failure
  }
}

function isEntry(): boolean {
  const arg = process.argv[1]
  if (arg === undefined) return false
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntry()) {
  main(process.argv.slice(2)).then((code) => process.exit(code))
}
