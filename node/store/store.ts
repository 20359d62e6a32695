import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Level } from 'level'
import { NodeError } from '../errors.ts'
import { Secret } from '../log/secret.ts'
import { BanRepository } from './bans.ts'
import { deriveKey, type KdfParams, newKdfParams, seal, unseal } from './crypto.ts'
import { bytesCodec, type CeremonyRecord, ceremonyCodec, hexId, type KeyRecord, keyCodec } from './records.ts'
import { type BatchOp, Repository, type StoreCore, type Sublevel } from './repository.ts'
import { ShareRepository } from './shares.ts'

export type StoreInit = {
  /** Database folder (the node home's `db/`). */
  path: string
  /** Operator secret the record key is derived from. The store does not dispose it. */
  passphrase: Secret<Uint8Array> | Uint8Array | string
  /** Initialise an empty folder (first run). Opening an uninitialised store otherwise fails. */
  create?: boolean
  /** scrypt cost for a new store (tests use a small N). Ignored when the store exists. */
  scrypt?: { N: number; r: number; p: number }
}

const VERIFIER_PLAINTEXT = new TextEncoder().encode('stv3-mpc-node store verifier v1')
const META_KDF = 'kdf'
const META_VERIFIER = 'verifier'

type StoredKdf = { version: 1; alg: 'scrypt'; N: number; r: number; p: number; dkLen: 32; salt: string }

/**
 * The node's encrypted store: one LevelDB folder, typed repositories in sublevels, every record
 * sealed with XChaCha20-Poly1305 under a scrypt-derived key, atomic synced batches through the root.
 */
export class Store {
  readonly shares: ShareRepository
  readonly keys: Repository<KeyRecord>
  readonly bans: BanRepository
  readonly ceremonies: Repository<CeremonyRecord>
  /** Small named secrets (the node's libp2p identity key). */
  readonly secrets: Repository<Uint8Array>

  readonly #root: Level<string, Uint8Array>
  #key: Uint8Array | undefined

  private constructor(root: Level<string, Uint8Array>, key: Uint8Array) {
    this.#root = root
    this.#key = key
    const core: StoreCore = { recordKey: () => this.#recordKey(), write: (ops) => this.write(ops) }
    const sub = (name: string): Sublevel => root.sublevel<string, Uint8Array>(name, { valueEncoding: 'view' })
    // Level on Node is classic-level, which can compact a range; its typing is the browser/Node union.
    const compactable = root as unknown as { compactRange?: (gte: string, lt: string) => Promise<void> }
    this.shares = new ShareRepository(core, sub('shares'), async (gte, lt) => {
      await compactable.compactRange?.call(root, gte, lt)
    })
    this.keys = new Repository(core, 'key', sub('keys'), keyCodec, (r) => r.keyId)
    this.bans = new BanRepository(core, sub('bans'))
    this.ceremonies = new Repository(core, 'ceremony', sub('ceremonies'), ceremonyCodec, (r) => r.sessionId)
    this.secrets = new Repository(core, 'secret', sub('secrets'), bytesCodec)
  }

  /**
   * Opens (or with `create`, initialises) the store. Errors: STORE_BAD_PASSPHRASE, STORE_LOCKED
   * (another process holds the folder), STORE_NOT_INITIALIZED, STORE_CORRUPT.
   */
  static async open(init: StoreInit): Promise<Store> {
    await mkdir(init.path, { recursive: true, mode: 0o700 })
    const root = new Level<string, Uint8Array>(init.path, { keyEncoding: 'utf8', valueEncoding: 'view' })
    try {
      await root.open()
    } catch (cause) {
      const locked = hasCode(cause, 'LEVEL_LOCKED')
      throw new NodeError(
        locked ? 'STORE_LOCKED' : 'STORE_OPEN_FAILED',
        locked ? 'store is in use' : 'cannot open store',
        {
          details: { path: init.path },
          hints: locked ? ['another node process uses this home folder; stop it first'] : [],
          cause,
        },
      )
    }
    const pass = passphraseBytes(init.passphrase)
    try {
      const meta = root.sublevel<string, Uint8Array>('meta', { valueEncoding: 'view' })
      const kdfBytes = await meta.get(META_KDF)
      let key: Uint8Array
      if (kdfBytes === undefined) {
        if (init.create !== true) {
          throw new NodeError('STORE_NOT_INITIALIZED', 'store is not initialised', {
            details: { path: init.path },
            hints: ['run the node init command first'],
          })
        }
        const params = newKdfParams(init.scrypt)
        key = await deriveKey(pass.bytes, params)
        await root.batch(
          [
            { type: 'put', sublevel: meta, key: META_KDF, value: encodeKdf(params) },
            {
              type: 'put',
              sublevel: meta,
              key: META_VERIFIER,
              value: seal(key, 'meta', META_VERIFIER, VERIFIER_PLAINTEXT),
            },
          ],
          { sync: true },
        )
      } else {
        key = await deriveKey(pass.bytes, decodeKdf(kdfBytes))
        const verifier = await meta.get(META_VERIFIER)
        if (verifier === undefined) throw new NodeError('STORE_CORRUPT', 'store verifier record missing')
        try {
          unseal(key, 'meta', META_VERIFIER, verifier)
        } catch {
          key.fill(0)
          throw new NodeError('STORE_BAD_PASSPHRASE', 'wrong store passphrase', {
            hints: ['check the passphrase source (environment or file) of this node'],
            status: 401,
          })
        }
      }
      return new Store(root, key)
    } catch (e) {
      await root.close()
      throw e
    } finally {
      pass.dispose()
    }
  }

  get isOpen(): boolean {
    return this.#key !== undefined
  }

  /** Applies operations from any repositories as one atomic, fsynced LevelDB batch. */
  async write(ops: BatchOp[]): Promise<void> {
    this.#recordKey()
    if (ops.length === 0) return
    // The root's batch applies sublevel ops atomically; sublevel.batch lacks `sync` in its typing.
    const batch = this.#root.batch as unknown as (ops: BatchOp[], options: { sync: boolean }) => Promise<void>
    await batch.call(this.#root, ops, { sync: true })
  }

  /** Starts an atomic transaction: collect ops from the repositories, then `commit()`. */
  tx(): Transaction {
    return new Transaction(this)
  }

  /** Zeroes the record key and closes the database. */
  async close(): Promise<void> {
    this.#key?.fill(0)
    this.#key = undefined
    await this.#root.close()
  }

  #recordKey(): Uint8Array {
    if (this.#key === undefined) throw new NodeError('STORE_CLOSED', 'store is closed')
    return this.#key
  }
}

/** Several record writes that must not tear (e.g. new share + key record + ceremony result). */
export class Transaction {
  readonly #ops: BatchOp[] = []
  constructor(private readonly store: Store) {}

  putShare(keyId: Uint8Array | string, epoch: number, share: Uint8Array | Secret<Uint8Array>): this {
    this.#ops.push(this.store.shares.putOp(keyId, epoch, share))
    return this
  }
  deleteShare(keyId: Uint8Array | string, epoch: number): this {
    this.#ops.push(this.store.shares.deleteOp(keyId, epoch))
    return this
  }
  putKey(rec: KeyRecord): this {
    this.#ops.push(this.store.keys.putOp(hexId(rec.keyId), rec))
    return this
  }
  putCeremony(rec: CeremonyRecord): this {
    this.#ops.push(this.store.ceremonies.putOp(hexId(rec.sessionId), rec))
    return this
  }
  add(op: BatchOp): this {
    this.#ops.push(op)
    return this
  }
  get size(): number {
    return this.#ops.length
  }
  async commit(): Promise<void> {
    await this.store.write(this.#ops.splice(0))
  }
}

function passphraseBytes(p: StoreInit['passphrase']): { bytes: Uint8Array; dispose(): void } {
  if (p instanceof Secret) return { bytes: p.expose(), dispose: () => undefined }
  if (p instanceof Uint8Array) return { bytes: p, dispose: () => undefined }
  const bytes = new TextEncoder().encode(p.normalize('NFKC'))
  return { bytes, dispose: () => bytes.fill(0) }
}

function encodeKdf(p: KdfParams): Uint8Array {
  const stored: StoredKdf = {
    version: 1,
    alg: p.alg,
    N: p.N,
    r: p.r,
    p: p.p,
    dkLen: p.dkLen,
    salt: Buffer.from(p.salt).toString('hex'),
  }
  return new TextEncoder().encode(JSON.stringify(stored))
}

function decodeKdf(bytes: Uint8Array): KdfParams {
  try {
    const s = JSON.parse(new TextDecoder().decode(bytes)) as StoredKdf
    if (s.version !== 1 || s.alg !== 'scrypt' || s.dkLen !== 32 || !/^[0-9a-f]{32,128}$/.test(s.salt)) {
      throw new Error('unsupported kdf record')
    }
    return {
      alg: 'scrypt',
      N: s.N,
      r: s.r,
      p: s.p,
      dkLen: 32,
      salt: Uint8Array.from(Buffer.from(s.salt, 'hex')),
    }
  } catch (cause) {
    throw new NodeError('STORE_CORRUPT', 'store kdf record unreadable', { cause })
  }
}

function hasCode(e: unknown, code: string): boolean {
  for (let x: unknown = e, i = 0; x instanceof Error && i < 5; x = x.cause, i++) {
    if ((x as Error & { code?: unknown }).code === code) return true
  }
  return false
}

/** `<home>/db` */
export function storePath(home: string): string {
  return join(home, 'db')
}
