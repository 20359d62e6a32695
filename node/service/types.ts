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

export type SubmitView = {
  txHash: string
  status: string
  blockNumber: string
  from: string
  nonce: number
  to?: string
  gasUsed?: string
  /** The signed raw transaction as broadcast (0x02…), so a caller can recover the signer itself. */
  signedTransaction?: string
  /** Set when the same call was mined under another hash with other fees. */
  repricedFrom?: string
}

/**
 * A call to submit: the node fills nonce, fees and (unless given) gas from the chain. `chainId`, if
 * given, must be the configured chain's. Decimal or 0x-hex quantities.
 */
export type SubmitTransactionInput = {
  to: string
  data?: string
  value?: string
  gas?: string
  chainId?: number
}

/** An STV3 operation by name (node/chain/stv3.ts Stv3Operation), JSON-safe: amounts and times as decimal strings. */
export type Stv3OperationInput =
  | { op: 'issue' | 'redeem'; amount: string }
  | { op: 'transfer' | 'transferFromTreasury'; to: string; amount: string }
  | { op: 'forcedTransfer'; from: string; to: string; amount: string }
  | { op: 'setFrozenTokens'; account: string; amount: string }
  | { op: 'pauseToken' | 'unpauseToken' }
  /** role: FINANCIAL_OPERATOR, RECOVERY_OPERATOR or a 32-byte role id. */
  | { op: 'grantTokenRole' | 'revokeTokenRole'; role: string; account: string }
  | { op: 'createDID'; uDID: string; wallet: string; validTo?: string; blocked?: boolean }
  | { op: 'linkWallet'; existingWallet: string; newWallet: string }
  | { op: 'removeLinkedAddress'; wallet: string }
  | { op: 'setAttribute'; wallet: string; name: string; value: string; valueType: string; validTo?: string }
  | { op: 'prolongateDID'; uDID: string; validTo: string }
  | { op: 'blockDID' | 'unblockDID'; uDID: string; reason: string }

/**
 * `POST /v1/keys/{keyId}/transactions`: exactly one of `transaction` (a call) or `operation` (with the
 * `contracts` it targets). `skipPreflight` is TEST-ONLY: honoured only when the node runs with
 * MPC_NODE_ALLOW_SKIP_PREFLIGHT=1, refused otherwise.
 */
export type SubmitInput = {
  transaction?: SubmitTransactionInput
  operation?: Stv3OperationInput
  contracts?: { token?: string; didRegistry?: string }
  skipPreflight?: boolean
  signers?: string[]
  request?: string
  approvals?: string[]
  derivationPath?: string
}

export type EpochView = {
  keyId: string
  epoch: number
  committee: string[]
  threshold: number
  address: string
}
export type PresignView = { keyId: string; signers: string[]; created: number; available: number }
export type XpubView = { keyId: string; xpub: string; publicKey: string; chainCode: string }
export type AddressView = { keyId: string; path: string; publicKey: string; address: string }

export interface NodeApi {
  readonly peerId: string
  readonly did: string
  createKey(input: { committee: string[]; threshold: number }): Promise<KeyView>
  listKeys(): Promise<KeyView[]>
  getKey(keyId: string): Promise<KeyView>
  sign(keyId: string, input: SignInput): Promise<SignatureView>
  /** Sign and submit a transaction to the configured chain. */
  submit(keyId: string, input: SubmitInput): Promise<SubmitView>
  /** New shares for the same committee and key (two-phase: the new epoch is active once all hold it). */
  refresh(keyId: string): Promise<EpochView>
  /** Move the key to a new committee and/or threshold; same public key. */
  reshare(
    keyId: string,
    input: { committee: string[]; threshold: number; dealers?: string[] },
  ): Promise<EpochView>
  /** Fill the presignature pool of a key for a signer set (and keep it topped up to `count`). */
  presign(keyId: string, input: { count: number; signers?: string[] }): Promise<PresignView>
  xpub(keyId: string): Promise<XpubView>
  address(keyId: string, path: string): Promise<AddressView>
  health(): Promise<HealthView>
  /** Prometheus text exposition. */
  metrics(): string
}
