// `mpc-node backup` and `mpc-node restore`: an encrypted archive of a stopped node's keys, identity
// and config (format and rules in node/backup/).
import { readFile } from 'node:fs/promises'
import { backupHome, restoreHome } from '../backup/index.ts'
import { NodeError } from '../errors.ts'
import { type Command, EXIT, type Io, parse, printJson, reportError, required, showHelp } from './io.ts'
import { readPassphrase, testScryptCost } from './secrets.ts'

export const BACKUP_PASSPHRASE_ENV = 'MPC_NODE_BACKUP_PASSPHRASE'

const PASSPHRASES = `Passphrases (never on the command line):
  store passphrase   MPC_NODE_PASSPHRASE or --passphrase-file FILE: opens the node's store
  backup passphrase  ${BACKUP_PASSPHRASE_ENV} or --backup-passphrase-file FILE: seals the archive;
                     without one, the archive is sealed with the store passphrase. A separate
                     backup passphrase is recommended: archives live elsewhere and outlive changes
                     of the store passphrase.`

const BACKUP_HELP = `Usage: mpc-node backup --home DIR --out FILE [options]

Writes an encrypted archive of the node in DIR: every active or frozen key (its record, bans and
its share at the current epoch), the node's libp2p identity (a restored node keeps its peer id),
config.json and the policy file. Never presignatures, never shares of a pending refresh. Stop the
node first (a running node holds the store: STORE_LOCKED). The archive is sealed with scrypt +
XChaCha20-Poly1305 and written atomically with mode 0600; no plaintext touches the disk.
Take a new backup after every refresh or reshare: older archives hold retired shares.

${PASSPHRASES}

Options:
  --home DIR                     node home folder
  --out FILE                     archive to write
  --force                        replace FILE if it exists
  --passphrase-file FILE         read the store passphrase from FILE
  --backup-passphrase-file FILE  read the backup passphrase from FILE
  --json                         print { keys, file, peerId, skipped } as JSON
`

const RESTORE_HELP = `Usage: mpc-node restore --home DIR --in FILE [options]

Brings a backup archive back into DIR (created if missing): the identity, every key record and
share in one atomic write, then config.json and the policy file when DIR has none. Refuses while
the node runs (STORE_LOCKED), and refuses a key whose stored epoch is newer than the archive's
(RESTORE_EPOCH_OLDER) or a home of another identity that holds keys (RESTORE_IDENTITY_MISMATCH)
unless --force. Epochs are restored as they were: a share of a retired epoch is refused by its
peers (EPOCH_RETIRED). Errors: BACKUP_BAD_PASSPHRASE, BACKUP_CORRUPT, BACKUP_VERSION.

${PASSPHRASES}
  A new store is created with the store passphrase.

Options:
  --home DIR                     node home folder
  --in FILE                      archive to read
  --force                        overwrite newer epochs / another identity
  --passphrase-file FILE         read the store passphrase from FILE
  --backup-passphrase-file FILE  read the backup passphrase from FILE
  --json                         print { keys, file, peerId, identity, config, restored } as JSON
`

const COMMON = {
  home: { type: 'string' },
  force: { type: 'boolean' },
  'passphrase-file': { type: 'string' },
  'backup-passphrase-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The separate backup passphrase, or undefined to use the store passphrase. */
export async function readBackupPassphrase(io: Io, file: string | undefined): Promise<string | undefined> {
  if (file === undefined) {
    const v = io.env[BACKUP_PASSPHRASE_ENV]
    return v === undefined || v === '' ? undefined : v
  }
  let value: string
  try {
    value = (await readFile(file, 'utf8')).replace(/\r?\n$/, '')
  } catch (cause) {
    throw new NodeError('CLI_PASSPHRASE_UNREADABLE', 'cannot read the backup passphrase file', {
      details: { file },
      cause,
    })
  }
  if (value.length === 0) throw new NodeError('CLI_PASSPHRASE_MISSING', 'the backup passphrase file is empty')
  return value
}

async function runBackup(args: string[], io: Io): Promise<number> {
  const v = parse('backup', args, { ...COMMON, out: { type: 'string' } })
  if (v.help === true) return showHelp(io, BACKUP_HELP)
  const home = required(v.home, 'home', 'backup')
  const out = required(v.out, 'out', 'backup')
  try {
    const passphrase = await readPassphrase(io, v['passphrase-file'])
    const backupPassphrase = await readBackupPassphrase(io, v['backup-passphrase-file'])
    const scrypt = testScryptCost(io)
    const r = await backupHome({
      home,
      out,
      passphrase,
      force: v.force === true,
      ...(backupPassphrase === undefined ? {} : { backupPassphrase }),
      ...(scrypt === undefined ? {} : { scrypt }),
    })
    if (v.json === true) printJson(io, { keys: r.keys, file: r.file, peerId: r.peerId, skipped: r.skipped })
    else {
      io.out(`backed up ${r.keys} key${r.keys === 1 ? '' : 's'} of ${r.peerId} to ${r.file}`)
      for (const s of r.skipped) io.out(`  skipped ${s.keyId} (${s.status})`)
    }
    return EXIT.ok
  } catch (e) {
    return reportError(e, io, v.json === true)
  }
}

async function runRestore(args: string[], io: Io): Promise<number> {
  const v = parse('restore', args, { ...COMMON, in: { type: 'string' } })
  if (v.help === true) return showHelp(io, RESTORE_HELP)
  const home = required(v.home, 'home', 'restore')
  const input = required(v.in, 'in', 'restore')
  try {
    const passphrase = await readPassphrase(io, v['passphrase-file'])
    const backupPassphrase = await readBackupPassphrase(io, v['backup-passphrase-file'])
    const scrypt = testScryptCost(io)
    const r = await restoreHome({
      home,
      input,
      passphrase,
      force: v.force === true,
      ...(backupPassphrase === undefined ? {} : { backupPassphrase }),
      ...(scrypt === undefined ? {} : { scrypt }),
    })
    if (v.json === true) {
      printJson(io, {
        keys: r.keys.length,
        file: r.file,
        peerId: r.peerId,
        identity: r.identity,
        config: r.config,
        restored: r.keys,
      })
    } else {
      io.out(`restored ${r.keys.length} key${r.keys.length === 1 ? '' : 's'} of ${r.peerId} from ${r.file}`)
      io.out(`  identity ${r.identity}, config.json ${r.config}`)
      for (const k of r.keys) io.out(`  ${k.keyId} epoch ${k.epoch}: ${k.action}`)
    }
    return EXIT.ok
  } catch (e) {
    return reportError(e, io, v.json === true)
  }
}

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write an encrypted archive of a stopped node',
  help: BACKUP_HELP,
  run: runBackup,
}

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a node from a backup archive',
  help: RESTORE_HELP,
  run: runRestore,
}
