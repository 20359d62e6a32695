// An in-memory NodeApi double for tests of the HTTP layer and the CLI's client commands.
// It records the inputs it received and returns canned views; it runs no ceremony.
import { NodeError } from '../errors.ts'
import type {
  AddressView,
  EpochView,
  HealthView,
  KeyView,
  NodeApi,
  PresignView,
  SignatureView,
  SignInput,
  SubmitView,
  XpubView,
} from '../service/types.ts'

export type FakeCall = { op: string; keyId?: string; input?: unknown }

export class FakeNodeApi implements NodeApi {
  readonly peerId = '12D3KooWMm4srrCjx9nBHE73xohcWXCWzSdGN2XTr7Wkwdapkywr'
  readonly did = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
  readonly calls: FakeCall[] = []
  readonly keys = new Map<string, KeyView>()
  /** When set, the next call throws it. */
  failWith: unknown

  #next(op: string, keyId?: string, input?: unknown): void {
    this.calls.push({ op, keyId, input })
    const e = this.failWith
    if (e !== undefined) {
      this.failWith = undefined
      throw e
    }
  }

  #key(keyId: string): KeyView {
    const k = this.keys.get(keyId)
    if (k === undefined) {
      throw new NodeError('KEY_NOT_FOUND', 'no such key', { status: 404, details: { keyId } })
    }
    return k
  }

  async createKey(input: { committee: string[]; threshold: number }): Promise<KeyView> {
    this.#next('createKey', undefined, input)
    const keyId = `k${(this.keys.size + 1).toString().padStart(3, '0')}`
    const view: KeyView = {
      keyId,
      publicKey: `0x02${'11'.repeat(32)}`,
      address: `0x${'22'.repeat(20)}`,
      threshold: input.threshold,
      committee: input.committee,
      epoch: 0,
      status: 'active',
    }
    this.keys.set(keyId, view)
    return view
  }

  async listKeys(): Promise<KeyView[]> {
    this.#next('listKeys')
    return [...this.keys.values()]
  }

  async getKey(keyId: string): Promise<KeyView> {
    this.#next('getKey', keyId)
    return this.#key(keyId)
  }

  async sign(keyId: string, input: SignInput): Promise<SignatureView> {
    this.#next('sign', keyId, input)
    const key = this.#key(keyId)
    const view: SignatureView = {
      keyId,
      digest: `0x${'33'.repeat(32)}`,
      r: `0x${'44'.repeat(32)}`,
      s: `0x${'55'.repeat(32)}`,
      yParity: 1,
      signers: input.signers ?? key.committee.slice(0, key.threshold),
      publicKey: key.publicKey,
    }
    if (input.transaction !== undefined) view.signedTransaction = '0x02f8'
    if (input.derivationPath !== undefined) view.derivationPath = input.derivationPath
    return view
  }

  async submit(keyId: string, input: SignInput): Promise<SubmitView> {
    this.#next('submit', keyId, input)
    const key = this.#key(keyId)
    return {
      txHash: `0x${'66'.repeat(32)}`,
      status: 'success',
      blockNumber: '7',
      from: key.address,
      nonce: input.transaction?.nonce ?? 0,
    }
  }

  async health(): Promise<HealthView> {
    this.#next('health')
    return {
      status: 'ok',
      peerId: this.peerId,
      did: this.did,
      name: 'fake-1',
      role: 'provider',
      peers: [],
      uptimeSeconds: 1,
      ceremoniesRunning: 0,
    }
  }

  async refresh(keyId: string): Promise<EpochView> {
    const k = await this.getKey(keyId)
    return {
      keyId: k.keyId,
      epoch: k.epoch + 1,
      committee: k.committee,
      threshold: k.threshold,
      address: k.address,
    }
  }

  async reshare(keyId: string, input: { committee: string[]; threshold: number }): Promise<EpochView> {
    const k = await this.getKey(keyId)
    return {
      keyId: k.keyId,
      epoch: k.epoch + 1,
      committee: input.committee,
      threshold: input.threshold,
      address: k.address,
    }
  }

  async presign(keyId: string, input: { count: number; signers?: string[] }): Promise<PresignView> {
    const k = await this.getKey(keyId)
    return {
      keyId: k.keyId,
      signers: input.signers ?? k.committee.slice(0, k.threshold),
      created: input.count,
      available: input.count,
    }
  }

  async xpub(keyId: string): Promise<XpubView> {
    const k = await this.getKey(keyId)
    return { keyId: k.keyId, xpub: 'xpub-fake', publicKey: k.publicKey, chainCode: `0x${'00'.repeat(32)}` }
  }

  async address(keyId: string, path: string): Promise<AddressView> {
    const k = await this.getKey(keyId)
    return { keyId: k.keyId, path, publicKey: k.publicKey, address: k.address }
  }

  metrics(): string {
    return '# HELP mpc_up Whether the node runs.\n# TYPE mpc_up gauge\nmpc_up 1\n'
  }
}
