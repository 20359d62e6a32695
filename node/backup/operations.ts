// Backup and restore of a node home, as the CLI runs them. Both need the node stopped: the store's
// LevelDB lock makes them fail with STORE_LOCKED while a node process holds the home.
//
// Passphrases: the archive key is derived from the archive passphrase, which is the separate
// backup passphrase when the operator gives one (MPC_NODE_BACKUP_PASSPHRASE or a file) and the
// store passphrase otherwise. A separate one is recommended: an archive lives off the machine and
// outlives passphrase changes of the store. Restore uses the same rule, so an archive sealed with an
// old store passphrase is opened by passing that old one as the backup passphrase.

import { randomBytes } from 'node:crypto'
import { access, open, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { homePaths, loadConfig, type NodeConfig, saveConfig } from '../config/index.ts'
import { Secret, wipe } from '../log/secret.ts'
import { Store } from '../store/store.ts'
import { openArchive, type ScryptCost, sealArchive } from './archive.ts'
import { backupError, corruptArchive } from './errors.ts'
import { decodePayload, encodePayload } from './payload.ts'
import { applyRestore, collectBackup, identityPeerId, type RestoreReport, type Skipped } from './snapshot.ts'

export type Passphrase = string | Uint8Array | Secret<Uint8Array>

export type BackupInit = {
  home: string
  out: string
  /** The store passphrase (opens the store; seals the archive when `backupPassphrase` is absent). */
  passphrase: Passphrase
  backupPassphrase?: Passphrase
  /** Overwrite an existing `out`. */
  force?: boolean
  /** scrypt cost of the archive key (default N = 2^17; tests use a small N). */
  scrypt?: ScryptCost
}

export type BackupResult = { file: string; keys: number; peerId: string; skipped: Skipped[] }

export async function backupHome(init: BackupInit): Promise<BackupResult> {
  const paths = homePaths(init.home)
  const file = resolve(init.out)
  if (init.force !== true && (await exists(file))) {
    throw backupError('BACKUP_FILE_EXISTS', 'the output file exists', {
      details: { file },
      hints: ['choose another --out, or pass --force to replace it'],
    })
  }
  const config = await loadConfig(paths.home)
  const policy = await readPolicy(paths.home, config)
  const store = await Store.open({ path: paths.db, passphrase: init.passphrase })
  let collected: Awaited<ReturnType<typeof collectBackup>>
  try {
    collected = await collectBackup(store, config, policy === undefined ? {} : { policy })
  } finally {
    await store.close()
  }
  const { payload, skipped } = collected
  const pass = bytesOf(init.backupPassphrase ?? init.passphrase)
  let plain: Uint8Array | undefined
  try {
    plain = encodePayload(payload)
    const archive = await sealArchive(plain, pass.bytes, {
      source: init.backupPassphrase === undefined ? 'store' : 'backup',
      ...(init.scrypt === undefined ? {} : { scrypt: init.scrypt }),
    })
    await writeAtomic(file, archive)
  } finally {
    wipe(plain, payload.identity, ...payload.keys.map((k) => k.share))
    pass.dispose()
  }
  return { file, keys: payload.keys.length, peerId: payload.peerId, skipped }
}

export type RestoreInit = {
  home: string
  input: string
  /** The store passphrase (opens or creates the store; opens the archive without `backupPassphrase`). */
  passphrase: Passphrase
  backupPassphrase?: Passphrase
  /** Overwrite keys at a newer epoch; replace another identity. */
  force?: boolean
  /** scrypt cost of a store created by the restore (ignored for an existing store). */
  scrypt?: ScryptCost
}

export type RestoreResult = RestoreReport & { file: string; config: 'restored' | 'kept' }

export async function restoreHome(init: RestoreInit): Promise<RestoreResult> {
  const paths = homePaths(init.home)
  const file = resolve(init.input)
  let archive: Uint8Array
  try {
    archive = await readFile(file)
  } catch (cause) {
    throw backupError('BACKUP_IO', 'cannot read the backup archive', { details: { file }, cause })
  }
  const pass = bytesOf(init.backupPassphrase ?? init.passphrase)
  let plain: Uint8Array
  try {
    plain = await openArchive(archive, pass.bytes)
  } finally {
    pass.dispose()
  }
  try {
    const payload = decodePayload(plain)
    // Every check on the archive passes before the store is opened (or created).
    if (identityPeerId(payload.identity) !== payload.peerId) {
      throw corruptArchive('the node identity key does not match the archived peer id')
    }
    const store = await Store.open({
      path: paths.db,
      passphrase: init.passphrase,
      create: true,
      ...(init.scrypt === undefined ? {} : { scrypt: init.scrypt }),
    })
    let report: RestoreReport
    try {
      report = await applyRestore(store, payload, { force: init.force === true })
    } finally {
      await store.close()
    }
    // After the store, like `init`: config.json, written last, marks a complete home.
    let config: RestoreResult['config'] = 'kept'
    if (!(await exists(paths.config))) {
      const policyFile = policyPath(paths.home, payload.config)
      if (payload.policy !== undefined && policyFile !== undefined && !(await exists(policyFile))) {
        await writeAtomic(policyFile, new TextEncoder().encode(payload.policy))
      }
      await saveConfig(paths.home, payload.config)
      config = 'restored'
    }
    return { ...report, file, config }
  } finally {
    wipe(plain)
  }
}

/** The policy file of a home, when `config.policy` names a file inside it. */
function policyPath(home: string, config: NodeConfig): string | undefined {
  const p = config.policy
  if (isAbsolute(p) || p.split(/[\\/]/).includes('..')) return undefined
  return join(home, p)
}

async function readPolicy(home: string, config: NodeConfig): Promise<string | undefined> {
  const file = policyPath(home, config)
  if (file === undefined) return undefined
  return readFile(file, 'utf8').catch(() => undefined)
}

function bytesOf(p: Passphrase): { bytes: Uint8Array; dispose(): void } {
  if (p instanceof Secret) return { bytes: p.expose(), dispose: () => undefined }
  if (p instanceof Uint8Array) return { bytes: p, dispose: () => undefined }
  const bytes = new TextEncoder().encode(p.normalize('NFKC'))
  return { bytes, dispose: () => bytes.fill(0) }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/** Temp file in the same folder (mode 0600, flushed), then rename; the folder is fsynced after. */
async function writeAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(file)
  const tmp = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, bytes, { mode: 0o600, flag: 'wx', flush: true })
    await rename(tmp, file)
  } catch (cause) {
    await rm(tmp, { force: true })
    throw backupError('BACKUP_IO', 'cannot write the backup file', { details: { file }, cause })
  }
  const handle = await open(dir, 'r').catch(() => undefined)
  await handle?.sync().catch(() => undefined)
  await handle?.close()
}
