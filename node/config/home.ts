import { readFile, stat } from 'node:fs/promises'
import { NodeError } from '../errors.ts'
import { Secret } from '../log/secret.ts'
import { Store } from '../store/store.ts'
import { type HomePaths, homePaths, loadConfig, type NodeConfig, saveConfig } from './config.ts'
import { type Identity, loadOrCreateIdentity } from './identity.ts'

export const PASSPHRASE_ENV = 'MPC_PASSPHRASE'
export const PASSPHRASE_FILE_ENV = 'MPC_PASSPHRASE_FILE'

/**
 * The store passphrase from a file (`MPC_PASSPHRASE_FILE`, must not be group/world readable) or
 * the `MPC_PASSPHRASE` environment variable. Throws CONFIG_NO_PASSPHRASE or CONFIG_PASSPHRASE_FILE_INSECURE.
 */
export async function readPassphrase(env: NodeJS.ProcessEnv = process.env): Promise<Secret<Uint8Array>> {
  const file = env[PASSPHRASE_FILE_ENV]
  if (file !== undefined && file !== '') {
    const st = await stat(file).catch((cause: unknown) => {
      throw new NodeError('CONFIG_NO_PASSPHRASE', 'passphrase file not readable', {
        details: { file },
        cause,
      })
    })
    if ((st.mode & 0o077) !== 0) {
      throw new NodeError('CONFIG_PASSPHRASE_FILE_INSECURE', 'passphrase file is readable by others', {
        details: { file },
        hints: [`chmod 600 ${file}`],
      })
    }
    const bytes = await readFile(file)
    let end = bytes.length
    while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--
    const out = Uint8Array.from(bytes.subarray(0, end))
    bytes.fill(0)
    if (out.length === 0)
      throw new NodeError('CONFIG_NO_PASSPHRASE', 'passphrase file is empty', { details: { file } })
    return new Secret(out)
  }
  const value = env[PASSPHRASE_ENV]
  if (value !== undefined && value !== '')
    return new Secret(new TextEncoder().encode(value.normalize('NFKC')))
  throw new NodeError('CONFIG_NO_PASSPHRASE', 'no store passphrase given', {
    hints: [`set ${PASSPHRASE_FILE_ENV} to a file readable only by the node, or ${PASSPHRASE_ENV}`],
  })
}

export type HomeInit = {
  home: string
  config: NodeConfig
  passphrase: Secret<Uint8Array> | Uint8Array | string
  /** scrypt cost of the new store (tests use a small N). */
  scrypt?: { N: number; r: number; p: number }
}

/** First run: writes config.json, creates the encrypted store and the node identity. CONFIG_EXISTS if already done. */
export async function initHome(init: HomeInit): Promise<{ peerId: string; paths: HomePaths }> {
  const paths = homePaths(init.home)
  const exists = await stat(paths.config).then(
    () => true,
    () => false,
  )
  if (exists) {
    throw new NodeError('CONFIG_EXISTS', 'node home is already initialised', {
      details: { home: paths.home },
    })
  }
  const store = await Store.open({
    path: paths.db,
    passphrase: init.passphrase,
    create: true,
    scrypt: init.scrypt,
  })
  try {
    const { peerId } = await loadOrCreateIdentity(store)
    await saveConfig(paths.home, init.config)
    return { peerId, paths }
  } finally {
    await store.close()
  }
}

export type OpenedHome = { config: NodeConfig; store: Store; identity: Identity; paths: HomePaths }

/** Loads config.json, opens the store and the identity: what the composition root starts from. */
export async function openHome(
  home: string,
  passphrase: Secret<Uint8Array> | Uint8Array | string,
): Promise<OpenedHome> {
  const paths = homePaths(home)
  const config = await loadConfig(paths.home)
  const store = await Store.open({ path: paths.db, passphrase })
  try {
    const identity = await loadOrCreateIdentity(store)
    return { config, store, identity, paths }
  } catch (e) {
    await store.close()
    throw e
  }
}
