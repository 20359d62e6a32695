// Where a node keeps its audit trail: a LevelDB folder `<home>/audit/` of its own (not the encrypted
// store: the trail is not secret and must stay readable by `mpc-node audit export` with the same
// layout), holding sublevels
//   audit   the hash-chained records (AuditLog: JSON values keyed by the zero-padded seq)
//   replay  request jti -> exp (seconds), for replay refusal across restarts
//   spend   signed amounts per key and token, for rolling 24 h limits
// One process owns the folder (LevelDB's LOCK): the running node, or the CLI when the node is stopped.
import { join, resolve } from 'node:path'
import { Level } from 'level'
import { NodeError } from '../errors.ts'
import { type AuditKv, AuditLog } from './log.ts'
import type { AuditRecord } from './record.ts'

export const AUDIT_DIR = 'audit'
export const AUDIT_SUBLEVEL = 'audit'
export const REPLAY_SUBLEVEL = 'replay'
export const SPEND_SUBLEVEL = 'spend'

/** The key-value shape the replay store and spending history use (node/policy/level-stores.ts). */
export type JsonKv<V> = {
  get(key: string): Promise<V | undefined>
  put(key: string, value: V): Promise<void>
  del(key: string): Promise<void>
  iterator(options?: { gte?: string; lt?: string }): AsyncIterable<[string, V]>
}

export type AuditDb = {
  path: string
  log: AuditLog
  /** A JSON-valued sublevel next to the trail (replay ids, spending history). */
  sublevel<V>(name: string): JsonKv<V>
  close(): Promise<void>
}

export function auditDir(home: string): string {
  return join(resolve(home), AUDIT_DIR)
}

/** Opens (creating if missing) a home's audit folder. Throws AUDIT_UNREADABLE when it is locked. */
export async function openAuditDb(home: string, opts: { createIfMissing?: boolean } = {}): Promise<AuditDb> {
  const path = auditDir(home)
  const db = new Level<string, AuditRecord>(path, {
    valueEncoding: 'json',
    createIfMissing: opts.createIfMissing ?? true,
  })
  try {
    await db.open()
  } catch (cause) {
    throw new NodeError('AUDIT_UNREADABLE', 'cannot open the audit log', {
      cause,
      details: { path },
      hints: ['only one process may use a home at a time: stop the node that uses it first'],
    })
  }
  const kv: AuditKv = db.sublevel<string, AuditRecord>(AUDIT_SUBLEVEL, { valueEncoding: 'json' })
  return {
    path,
    log: new AuditLog({ kv }),
    sublevel: <V>(name: string): JsonKv<V> => db.sublevel<string, V>(name, { valueEncoding: 'json' }),
    close: () => db.close(),
  }
}

/** Opens a home's audit log (for the CLI): same folder and sublevel as the running node writes. */
export async function openAuditLog(home: string): Promise<{ log: AuditLog; close(): Promise<void> }> {
  const db = await openAuditDb(home, { createIfMissing: false })
  return { log: db.log, close: db.close }
}
