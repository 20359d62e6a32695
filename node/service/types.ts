// What the node service offers to its API and CLI (the composition root implements it).
// Hex strings are 0x-prefixed unless noted; peer ids are base58 libp2p ids.

export type TransactionInput = {
  chainId: number
  nonce: number
  to: string
  /** Decimal or 0x-hex wei. */
  value?: string
  data?: string
  gas: string
  maxFeePerGas: string
  maxPriorityFeePerGas: string
}

export type MessageInput = string | { raw: string }

export type SignInput = {
  transaction?: TransactionInput
  message?: MessageInput
  /** A compact JWS signed by the requester's DID (policy-checked signing). */
  request?: string
  /** Approval JWSs for operations that need a quorum. */
  approvals?: string[]
  /** Peer ids of the signers; default: this node and the next committee members. */
  signers?: string[]
  /** Non-hardened BIP32 path, e.g. m/0/7. */
  derivationPath?: string
}

export type KeyView = {
  keyId: string
  publicKey: string
  address: string
  threshold: number
  committee: string[]
  epoch: number
  status: string
}

export type SignatureView = {
  keyId: string
  digest: string
  r: string
  s: string
  yParity: number
  signers: string[]
  signedTransaction?: string
  derivationPath?: string
  publicKey: string
}

export type HealthView = {
  status: 'ok' | 'degraded'
  peerId: string
  did: string
  name: string
  role: string
  peers: { peerId: string; name: string; connected: boolean }[]
  uptimeSeconds: number
  ceremoniesRunning: number
}

export type SubmitView = { txHash: string; status: string; blockNumber: string; from: string; nonce: number }

export interface NodeApi {
  readonly peerId: string
  readonly did: string
  createKey(input: { committee: string[]; threshold: number }): Promise<KeyView>
  listKeys(): Promise<KeyView[]>
  getKey(keyId: string): Promise<KeyView>
  sign(keyId: string, input: SignInput): Promise<SignatureView>
  /** Sign and submit a transaction to the configured chain. */
  submit(keyId: string, input: SignInput): Promise<SubmitView>
  health(): Promise<HealthView>
  /** Prometheus text exposition. */
  metrics(): string
}
