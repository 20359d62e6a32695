// `mpc-node audit export|verify`: the node's hash-chained audit trail as JSON lines, and its check.
//
// Where the trail lives: a LevelDB folder `<home>/audit/`, sublevel `audit`, JSON values keyed by
// the zero-padded seq (AuditLog's layout). The audit log is not secret, but exporting it from a
// home still needs the store passphrase: only the node's operator reads its trail. Like the store,
// the folder is locked while the node runs: stop the node first (or export from a copy).
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { Level } from 'level'
import {
  type AuditKv,
  AuditLog,
  type AuditRecord,
  describeAuditVerification,
  verifyAuditFile,
  verifyAuditLines,
} from '../audit/index.ts'
import type { AuditAnchor, AuditVerification } from '../audit/verify.ts'
import { homePaths, loadConfig } from '../config/index.ts'
import { NodeError } from '../errors.ts'
import { Store } from '../store/store.ts'
import {
  type Command,
  EXIT,
  type Io,
  parse,
  printJson,
  reportError,
  required,
  showHelp,
  UsageError,
} from './io.ts'
import { readPassphrase } from './secrets.ts'

export const AUDIT_DIR = 'audit'
export const AUDIT_SUBLEVEL = 'audit'

const HELP = `Usage:
  mpc-node audit export --home DIR [--passphrase-file FILE]
  mpc-node audit verify (--home DIR | --file F) [--anchor SEQ:HASH] [--json]

export  prints every audit record as one JSON line on stdout, in chain order.
verify  checks the hash chain of a home's trail or of an exported file. Exit 0 and
        { ok: true, count } when intact; exit 1 naming the first changed, removed,
        reordered or malformed record otherwise. --anchor (a head published earlier)
        also detects a truncated tail.
Opening a home needs the store passphrase (MPC_NODE_PASSPHRASE or --passphrase-file)
and the node must be stopped.
`

const OPTIONS = {
  home: { type: 'string' },
  file: { type: 'string' },
  anchor: { type: 'string' },
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Opens a home's audit log (after checking the operator's passphrase against the store). */
export async function withHomeAudit<T>(
  home: string,
  passphrase: string,
  f: (lines: AsyncIterable<string>) => Promise<T>,
): Promise<T> {
  await loadConfig(home)
  const paths = homePaths(home)
  const store = await Store.open({ path: paths.db, passphrase })
  await store.close()
  const dir = join(paths.home, AUDIT_DIR)
  const present = await access(dir).then(
    () => true,
    () => false,
  )
  if (!present) return f((async function* () {})())
  const db = new Level<string, AuditRecord>(dir, { valueEncoding: 'json', createIfMissing: false })
  try {
    await db.open()
  } catch (cause) {
    throw new NodeError('AUDIT_UNREADABLE', 'cannot open the audit log', {
      cause,
      details: { path: dir },
      hints: ['stop the node that uses this home first'],
    })
  }
  try {
    const kv: AuditKv = db.sublevel<string, AuditRecord>(AUDIT_SUBLEVEL, { valueEncoding: 'json' })
    return await f(new AuditLog({ kv }).export())
  } finally {
    await db.close()
  }
}

function parseAnchor(value: string | undefined): AuditAnchor | undefined {
  if (value === undefined) return undefined
  const m = /^([0-9]{1,15}):([0-9a-f]{64})$/.exec(value)
  if (m === null) throw new UsageError('--anchor must be SEQ:HASH (hex sha-256)', 'audit')
  return { seq: Number(m[1]), hash: m[2] }
}

async function run(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.out(HELP)
    return sub === undefined ? EXIT.usage : EXIT.ok
  }
  if (sub !== 'export' && sub !== 'verify') throw new UsageError(`unknown audit command "${sub}"`, 'audit')
  const v = parse('audit', rest, OPTIONS)
  if (v.help === true) return showHelp(io, HELP)
  if (sub === 'export') required(v.home, 'home', 'audit')
  else if ((v.home === undefined) === (v.file === undefined))
    throw new UsageError('give one of --home or --file', 'audit')
  const anchor = parseAnchor(v.anchor)
  try {
    if (sub === 'export') {
      const passphrase = await readPassphrase(io, v['passphrase-file'])
      await withHomeAudit(v.home as string, passphrase, async (lines) => {
        for await (const line of lines) io.out(line)
      })
      return EXIT.ok
    }
    const opts = anchor === undefined ? {} : { anchor }
    let result: AuditVerification
    if (v.file !== undefined) {
      result = await verifyAuditFile(v.file, opts)
    } else {
      const passphrase = await readPassphrase(io, v['passphrase-file'])
      const lines = await withHomeAudit(v.home as string, passphrase, async (it) => {
        const out: string[] = []
        for await (const l of it) out.push(l)
        return out
      })
      result = verifyAuditLines(lines, opts)
    }
    if (v.json === true) printJson(io, result)
    else (result.ok ? io.out : io.err)(describeAuditVerification(result))
    return result.ok ? EXIT.ok : EXIT.failure
  } catch (e) {
    return reportError(e, io, v.json === true)
  }
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'export or verify the audit trail',
  help: HELP,
  run,
}
