import { Secret } from '../log/secret.ts'
import { unseal } from './crypto.ts'
import { bytesCodec, type HexId, hexId } from './records.ts'
import { type BatchOp, Repository, type StoreCore, type Sublevel } from './repository.ts'

/**
 * Key shares: (keyId, epoch) -> the protocol's serialized key-share bytes, opaque here, sealed at
 * rest. Reads hand out a `Secret` that the caller disposes (zeroing the plaintext) when done.
 */
export class ShareRepository {
  readonly #repo: Repository<Uint8Array>

  constructor(
    private readonly core: StoreCore,
    private readonly db: Sublevel,
    private readonly compact: (gte: string, lt: string) => Promise<void>,
  ) {
    this.#repo = new Repository(core, 'share', db, bytesCodec)
  }

  static id(keyId: Uint8Array | string, epoch: number): string {
    if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > 0xffffffff)
      throw new RangeError('epoch out of range')
    return `${hexId(keyId)}/${epoch.toString().padStart(10, '0')}`
  }

  putOp(keyId: Uint8Array | string, epoch: number, share: Uint8Array | Secret<Uint8Array>): BatchOp {
    const bytes = share instanceof Secret ? share.expose() : share
    return this.#repo.putOp(ShareRepository.id(keyId, epoch), bytes)
  }

  deleteOp(keyId: Uint8Array | string, epoch: number): BatchOp {
    return this.#repo.delOp(ShareRepository.id(keyId, epoch))
  }

  async put(
    keyId: Uint8Array | string,
    epoch: number,
    share: Uint8Array | Secret<Uint8Array>,
  ): Promise<void> {
    await this.core.write([this.putOp(keyId, epoch, share)])
  }

  async has(keyId: Uint8Array | string, epoch: number): Promise<boolean> {
    this.core.recordKey()
    return (await this.db.get(ShareRepository.id(keyId, epoch))) !== undefined
  }

  /** The share, or undefined. Dispose the Secret when done with it. */
  async get(keyId: Uint8Array | string, epoch: number): Promise<Secret<Uint8Array> | undefined> {
    const id = ShareRepository.id(keyId, epoch)
    const key = this.core.recordKey()
    const sealed = await this.db.get(id)
    if (sealed === undefined) return undefined
    return new Secret(unseal(key, 'share', id, sealed))
  }

  /** Runs `f` with the plaintext share and zeroes it afterwards. */
  async with<R>(
    keyId: Uint8Array | string,
    epoch: number,
    f: (share: Uint8Array) => R | Promise<R>,
  ): Promise<R | undefined> {
    const s = await this.get(keyId, epoch)
    return s === undefined ? undefined : s.use(f)
  }

  /** Epochs held for a key, ascending. */
  async epochs(keyId: Uint8Array | string): Promise<number[]> {
    const k: HexId = hexId(keyId)
    const ids = await this.#repo.ids({ gte: `${k}/`, lt: `${k}0` })
    return ids.map((id) => Number(id.slice(k.length + 1)))
  }

  /**
   * Erases a retired share: deletes the record, then compacts its key range so LevelDB drops the
   * old ciphertext from its table files (threats.md #12).
   */
  async erase(keyId: Uint8Array | string, epoch: number): Promise<void> {
    const id = ShareRepository.id(keyId, epoch)
    await this.core.write([this.#repo.delOp(id)])
    await this.compact(this.db.prefix + id, `${this.db.prefix}${id}\uffff`)
  }
}
