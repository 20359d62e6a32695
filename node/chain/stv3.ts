// The STV3 contract set from the node's side (stv3.md §7): deployment with viem, pure calldata
// builders for the operations an operator names, and decoders for calls (judged by node/policy)
// and for revert data (custom errors such as HasDIDRule's NotValidDIDOf).
import {
  type Account,
  type Address,
  BaseError,
  type Chain,
  type DecodeFunctionDataReturnType,
  decodeErrorResult,
  decodeFunctionData,
  encodeFunctionData,
  getAddress,
  type Hex,
  isAddressEqual,
  isHex,
  keccak256,
  type Log,
  type PublicClient,
  parseEventLogs,
  slice,
  type TransactionReceipt,
  type Transport,
  toFunctionSelector,
  toHex,
  type WalletClient,
  zeroHash,
} from 'viem'
import { HasAttributeRule, HasDIDRule, StvDID, StvToken, StvTreasury } from '../../contracts/gen/index.ts'
import { NodeError } from '../errors.ts'

// ------------------------------------------------------------------ constants (stv3.md §3)

export const DEFAULT_ADMIN_ROLE: Hex = zeroHash
export const FINANCIAL_OPERATOR: Hex = keccak256(toHex('FINANCIAL_OPERATOR'))
export const RECOVERY_OPERATOR: Hex = keccak256(toHex('RECOVERY_OPERATOR'))
export const WRITER_ROLE: Hex = keccak256(toHex('WRITER_ROLE'))
export const ATTRIBUTE_READER_ROLE: Hex = keccak256(toHex('ATTRIBUTE_READER_ROLE'))

/** ERC-165 ids the token claims (stv3.md §7 row 25, §4.2). */
export const INTERFACE_IDS = {
  erc165: '0x01ffc9a7',
  erc20: '0x36372b07',
  erc173: '0x7f5828d0',
  accessControl: '0x7965db0b',
  erc7943: '0x3edbb4c4',
  erc7943CanTransact: '0x29388973',
} as const satisfies Record<string, Hex>

/** Every function, event and error the node may meet on the STV3 set. */
export const stv3Abi = [...StvToken.abi, ...StvDID.abi] as const
const errorsAbi = [
  ...StvToken.abi,
  ...StvDID.abi,
  ...HasDIDRule.abi,
  ...HasAttributeRule.abi,
  ...StvTreasury.abi,
] as const

export type Stv3ContractName = 'StvToken' | 'StvDID'
export type Stv3Call = { to: Address; data: Hex }
export type Stv3Addresses = {
  token: Address
  treasury: Address
  didRegistry: Address
  hasDIDRule: Address
  /** HasAttributeRule per required attribute name. */
  attributeRules: Record<string, Address>
}

// ------------------------------------------------------------------ calldata builders

/** Token operations (stv3.md §7 rows 2-5, 13-24). Pure: no I/O. */
export const tokenCalls = {
  issue: (token: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'issue', args: [amount] }),
  }),
  redeem: (token: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'redeem', args: [amount] }),
  }),
  transferFromTreasury: (token: Address, to: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'transferFromTreasury', args: [to, amount] }),
  }),
  transfer: (token: Address, to: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'transfer', args: [to, amount] }),
  }),
  transferFrom: (token: Address, from: Address, to: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'transferFrom', args: [from, to, amount] }),
  }),
  approve: (token: Address, spender: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'approve', args: [spender, amount] }),
  }),
  forcedTransfer: (token: Address, from: Address, to: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'forcedTransfer', args: [from, to, amount] }),
  }),
  forcedMint: (token: Address, to: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'forcedMint', args: [to, amount] }),
  }),
  forcedBurn: (token: Address, from: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'forcedBurn', args: [from, amount] }),
  }),
  setFrozenTokens: (token: Address, account: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'setFrozenTokens', args: [account, amount] }),
  }),
  pauseToken: (token: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'pauseToken' }),
  }),
  unpauseToken: (token: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'unpauseToken' }),
  }),
  pauseProtocolSTV3: (token: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'pauseProtocolSTV3' }),
  }),
  unpauseProtocolSTV3: (token: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'unpauseProtocolSTV3' }),
  }),
  grantRole: (token: Address, role: Hex, account: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'grantRole', args: [role, account] }),
  }),
  revokeRole: (token: Address, role: Hex, account: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'revokeRole', args: [role, account] }),
  }),
  setTreasury: (token: Address, treasury: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'setTreasury', args: [treasury] }),
  }),
  trust: (token: Address, account: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'trust', args: [account] }),
  }),
  distrust: (token: Address, account: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'distrust', args: [account] }),
  }),
  linkRule: (token: Address, rule: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'linkRule', args: [rule] }),
  }),
  unlinkRule: (token: Address, rule: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'unlinkRule', args: [rule] }),
  }),
  setMaxIssuance: (token: Address, maxIssuance: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'setMaxIssuance', args: [maxIssuance] }),
  }),
  setMaxSupply: (token: Address, maxSupply: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'setMaxSupply', args: [maxSupply] }),
  }),
  setDeployer: (token: Address, newDeployer: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'setDeployer', args: [newDeployer] }),
  }),
  transferOwnership: (token: Address, newOwner: Address): Stv3Call => ({
    to: token,
    data: encodeFunctionData({ abi: StvToken.abi, functionName: 'transferOwnership', args: [newOwner] }),
  }),
  withdrawERC20FromTreasury: (token: Address, erc20: Address, to: Address, amount: bigint): Stv3Call => ({
    to: token,
    data: encodeFunctionData({
      abi: StvToken.abi,
      functionName: 'withdrawERC20FromTreasury',
      args: [erc20, to, amount],
    }),
  }),
} as const

export type DidAttribute = {
  wallet: Address
  name: string
  /** Store hashes or commitments only: attribute values are world-readable (stv3.md §5, §10). */
  value: Hex
  valueType: string
  /** Unix seconds; 0n = never expires. */
  validTo?: bigint
}

/** Identity registry operations (stv3.md §5, §7 rows 6-10). Pure: no I/O. */
export const didCalls = {
  /** `uDID` is a free-form string; this project uses W3C DID URIs. `validTo` 0n = never. */
  createDID: (registry: Address, uDID: string, wallet: Address, validTo = 0n, blocked = false): Stv3Call => ({
    to: registry,
    data: encodeFunctionData({
      abi: StvDID.abi,
      functionName: 'createDID',
      args: [uDID, wallet, validTo, blocked],
    }),
  }),
  linkWallet: (registry: Address, existingWallet: Address, newWallet: Address): Stv3Call => ({
    to: registry,
    data: encodeFunctionData({
      abi: StvDID.abi,
      functionName: 'linkAddressToDID',
      args: [existingWallet, newWallet],
    }),
  }),
  removeLinkedAddress: (registry: Address, wallet: Address): Stv3Call => ({
    to: registry,
    data: encodeFunctionData({ abi: StvDID.abi, functionName: 'removeLinkedAddress', args: [wallet] }),
  }),
  setAttributes: (registry: Address, attributes: DidAttribute[]): Stv3Call => ({
    to: registry,
    data: encodeFunctionData({
      abi: StvDID.abi,
      functionName: 'addOrUpdateAttributes',
      args: [
        attributes.map((a) => ({
          walletAddress: a.wallet,
          attributeName: a.name,
          value: a.value,
          valueType: a.valueType,
          validToData: a.validTo ?? 0n,
        })),
      ],
    }),
  }),
  setAttribute: (registry: Address, attribute: DidAttribute): Stv3Call =>
    didCalls.setAttributes(registry, [attribute]),
  deactivateAttribute: (registry: Address, uDID: string, name: string): Stv3Call => ({
    to: registry,
    data: encodeFunctionData({ abi: StvDID.abi, functionName: 'deactivateDIDAttribute', args: [uDID, name] }),
  }),
  prolongateDID: (registry: Address, uDID: string, validTo: bigint): Stv3Call => ({
    to: registry,
    data: encodeFunctionData({ abi: StvDID.abi, functionName: 'prolongateDID', args: [uDID, validTo] }),
  }),
  blockDID: (registry: Address, uDID: string, reason: string): Stv3Call => ({
    to: registry,
    data: encodeFunctionData({ abi: StvDID.abi, functionName: 'blockDID', args: [uDID, reason] }),
  }),
  unblockDID: (registry: Address, uDID: string, reason: string): Stv3Call => ({
    to: registry,
    data: encodeFunctionData({ abi: StvDID.abi, functionName: 'unBlockDID', args: [uDID, reason] }),
  }),
  grantRole: (registry: Address, role: Hex, account: Address): Stv3Call => ({
    to: registry,
    data: encodeFunctionData({ abi: StvDID.abi, functionName: 'grantRole', args: [role, account] }),
  }),
  revokeRole: (registry: Address, role: Hex, account: Address): Stv3Call => ({
    to: registry,
    data: encodeFunctionData({ abi: StvDID.abi, functionName: 'revokeRole', args: [role, account] }),
  }),
} as const

/** An operation as an operator names it (API requests, audit records). */
export type Stv3Operation =
  | { op: 'issue'; amount: bigint }
  | { op: 'redeem'; amount: bigint }
  | { op: 'transferFromTreasury'; to: Address; amount: bigint }
  | { op: 'transfer'; to: Address; amount: bigint }
  | { op: 'forcedTransfer'; from: Address; to: Address; amount: bigint }
  | { op: 'setFrozenTokens'; account: Address; amount: bigint }
  | { op: 'pauseToken' }
  | { op: 'unpauseToken' }
  | { op: 'grantTokenRole'; role: Hex; account: Address }
  | { op: 'revokeTokenRole'; role: Hex; account: Address }
  | { op: 'createDID'; uDID: string; wallet: Address; validTo?: bigint; blocked?: boolean }
  | { op: 'linkWallet'; existingWallet: Address; newWallet: Address }
  | { op: 'removeLinkedAddress'; wallet: Address }
  | { op: 'setAttribute'; attribute: DidAttribute }
  | { op: 'prolongateDID'; uDID: string; validTo: bigint }
  | { op: 'blockDID'; uDID: string; reason: string }
  | { op: 'unblockDID'; uDID: string; reason: string }

/** Encode a named operation against the token or the registry. Pure. */
export function encodeStv3Operation(
  a: Pick<Stv3Addresses, 'token' | 'didRegistry'>,
  o: Stv3Operation,
): Stv3Call {
  switch (o.op) {
    case 'issue':
      return tokenCalls.issue(a.token, o.amount)
    case 'redeem':
      return tokenCalls.redeem(a.token, o.amount)
    case 'transferFromTreasury':
      return tokenCalls.transferFromTreasury(a.token, o.to, o.amount)
    case 'transfer':
      return tokenCalls.transfer(a.token, o.to, o.amount)
    case 'forcedTransfer':
      return tokenCalls.forcedTransfer(a.token, o.from, o.to, o.amount)
    case 'setFrozenTokens':
      return tokenCalls.setFrozenTokens(a.token, o.account, o.amount)
    case 'pauseToken':
      return tokenCalls.pauseToken(a.token)
    case 'unpauseToken':
      return tokenCalls.unpauseToken(a.token)
    case 'grantTokenRole':
      return tokenCalls.grantRole(a.token, o.role, o.account)
    case 'revokeTokenRole':
      return tokenCalls.revokeRole(a.token, o.role, o.account)
    case 'createDID':
      return didCalls.createDID(a.didRegistry, o.uDID, o.wallet, o.validTo, o.blocked)
    case 'linkWallet':
      return didCalls.linkWallet(a.didRegistry, o.existingWallet, o.newWallet)
    case 'removeLinkedAddress':
      return didCalls.removeLinkedAddress(a.didRegistry, o.wallet)
    case 'setAttribute':
      return didCalls.setAttribute(a.didRegistry, o.attribute)
    case 'prolongateDID':
      return didCalls.prolongateDID(a.didRegistry, o.uDID, o.validTo)
    case 'blockDID':
      return didCalls.blockDID(a.didRegistry, o.uDID, o.reason)
    case 'unblockDID':
      return didCalls.unblockDID(a.didRegistry, o.uDID, o.reason)
  }
}

/** The Deployer's one-time configuration (stv3.md §7 rows 3-5): treasury, trust it, link rules. */
export function stv3SetupCalls(a: Stv3Addresses): Stv3Call[] {
  return [
    tokenCalls.setTreasury(a.token, a.treasury),
    tokenCalls.trust(a.token, a.treasury),
    tokenCalls.linkRule(a.token, a.hasDIDRule),
    ...Object.values(a.attributeRules).map((rule) => tokenCalls.linkRule(a.token, rule)),
  ]
}

// ------------------------------------------------------------------ decoders

export type DecodedStv3Call = DecodeFunctionDataReturnType<typeof stv3Abi> & {
  selector: Hex
  /** Contracts whose ABI has this selector (AccessControl functions exist on both). */
  contracts: Stv3ContractName[]
}

const selectorsOf = (abi: readonly { type: string }[]): Set<Hex> =>
  new Set(
    abi.flatMap((item) =>
      item.type === 'function' ? [toFunctionSelector(item as Parameters<typeof toFunctionSelector>[0])] : [],
    ),
  )
const tokenSelectors = selectorsOf(StvToken.abi)
const didSelectors = selectorsOf(StvDID.abi)

/** Decode calldata sent to the token or the registry, for policy checks. Throws STV3_UNKNOWN_CALL. */
export function decodeStv3Call(data: Hex): DecodedStv3Call {
  if (!isHex(data) || data.length < 10) {
    throw new NodeError('STV3_UNKNOWN_CALL', 'calldata is shorter than a function selector', { status: 400 })
  }
  const selector = slice(data, 0, 4)
  const contracts: Stv3ContractName[] = []
  if (tokenSelectors.has(selector)) contracts.push('StvToken')
  if (didSelectors.has(selector)) contracts.push('StvDID')
  if (contracts.length === 0) {
    throw new NodeError('STV3_UNKNOWN_CALL', 'calldata does not call an STV3 function', {
      details: { selector },
      status: 400,
    })
  }
  try {
    return { ...decodeFunctionData({ abi: stv3Abi, data }), selector, contracts }
  } catch (cause) {
    throw new NodeError('STV3_UNKNOWN_CALL', 'calldata arguments do not decode', {
      details: { selector },
      status: 400,
      cause,
    })
  }
}

export type DecodedStv3Transaction =
  | (DecodeFunctionDataReturnType<typeof StvToken.abi> & { contract: 'StvToken' })
  | (DecodeFunctionDataReturnType<typeof StvDID.abi> & { contract: 'StvDID' })

/**
 * Decode a transaction against the deployment it targets: `to` must be the token or the registry
 * (STV3_UNKNOWN_TARGET) and the selector must belong to that contract (STV3_UNKNOWN_CALL).
 */
export function decodeStv3Transaction(
  a: Pick<Stv3Addresses, 'token' | 'didRegistry'>,
  tx: { to: Address; data: Hex },
): DecodedStv3Transaction {
  const decoded = decodeStv3Call(tx.data)
  if (isAddressEqual(tx.to, a.token)) {
    if (!decoded.contracts.includes('StvToken')) {
      throw new NodeError('STV3_UNKNOWN_CALL', 'the token has no such function', {
        details: { selector: decoded.selector },
        status: 400,
      })
    }
    return { ...decodeFunctionData({ abi: StvToken.abi, data: tx.data }), contract: 'StvToken' }
  }
  if (isAddressEqual(tx.to, a.didRegistry)) {
    if (!decoded.contracts.includes('StvDID')) {
      throw new NodeError('STV3_UNKNOWN_CALL', 'the DID registry has no such function', {
        details: { selector: decoded.selector },
        status: 400,
      })
    }
    return { ...decodeFunctionData({ abi: StvDID.abi, data: tx.data }), contract: 'StvDID' }
  }
  throw new NodeError(
    'STV3_UNKNOWN_TARGET',
    'the transaction targets neither the token nor the DID registry',
    {
      details: { to: tx.to },
      status: 400,
    },
  )
}

export type DecodedStv3Error = { errorName: string; args: readonly unknown[]; selector: Hex }

/**
 * Name the custom error in revert data: STV3 token, registry and rule errors, OpenZeppelin's
 * ERC-6093/AccessControl errors, `Error(string)` and `Panic(uint256)`.
 * Throws STV3_EMPTY_REVERT (no data) or STV3_UNKNOWN_ERROR (selector not in the set).
 */
export function decodeStv3Error(revertData: Hex): DecodedStv3Error {
  if (revertData.length < 10) {
    throw new NodeError('STV3_EMPTY_REVERT', 'the call reverted without an error selector')
  }
  const selector = slice(revertData, 0, 4)
  try {
    const { errorName, args } = decodeErrorResult({ abi: errorsAbi, data: revertData })
    return { errorName, args: args ?? [], selector }
  } catch (cause) {
    throw new NodeError('STV3_UNKNOWN_ERROR', 'revert data is not an STV3 error', {
      details: { selector },
      cause,
    })
  }
}

/** Find the revert data inside a viem error (eth_call / estimateGas failures). */
export function revertDataOf(err: unknown): Hex | undefined {
  if (!(err instanceof BaseError)) return undefined
  let found: Hex | undefined
  err.walk((e) => {
    const data = (e as { data?: unknown }).data
    const hex = typeof data === 'object' && data !== null ? (data as { data?: unknown }).data : data
    if (typeof hex === 'string' && isHex(hex) && hex.length >= 10) found = hex
    return found !== undefined
  })
  return found
}

/** Decode the logs of a receipt against the STV3 ABIs (unknown logs are skipped). */
export function parseStv3Logs(logs: Log[]) {
  return parseEventLogs({ abi: errorsAbi, logs })
}

// ------------------------------------------------------------------ preflight and sending

export type Stv3Preflight = { ok: true } | { ok: false; error: DecodedStv3Error }

/** eth_call the operation as `from` and name the custom error it would revert with. */
export async function preflightStv3Call(
  publicClient: PublicClient,
  from: Address,
  call: Stv3Call,
): Promise<Stv3Preflight> {
  try {
    await publicClient.call({ account: from, to: call.to, data: call.data })
    return { ok: true }
  } catch (err) {
    const data = revertDataOf(err)
    if (data === undefined) {
      throw new NodeError('STV3_CALL_FAILED', 'eth_call failed without revert data', { cause: err })
    }
    return { ok: false, error: decodeStv3Error(data) }
  }
}

type SignerClient = WalletClient<Transport, Chain, Account>

/** Preflight, send and wait: throws STV3_CALL_REVERTED naming the custom error. */
export async function sendStv3Call(
  clients: { walletClient: SignerClient; publicClient: PublicClient },
  call: Stv3Call,
): Promise<TransactionReceipt> {
  const { walletClient, publicClient } = clients
  const account = walletClient.account
  const pre = await preflightStv3Call(publicClient, account.address, call)
  if (!pre.ok) {
    throw new NodeError('STV3_CALL_REVERTED', `the call would revert with ${pre.error.errorName}`, {
      details: { errorName: pre.error.errorName, args: pre.error.args.map(String), to: call.to },
    })
  }
  const hash = await walletClient.sendTransaction({
    account,
    chain: walletClient.chain,
    to: call.to,
    data: call.data,
  })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') {
    throw new NodeError('STV3_CALL_REVERTED', 'the transaction reverted on chain', {
      details: { hash, to: call.to },
    })
  }
  return receipt
}

// ------------------------------------------------------------------ deployment

export type DeployStv3Options = {
  walletClient: SignerClient
  publicClient: PublicClient
  name: string
  symbol: string
  /** Default 18 (STBX uses 6). */
  decimals?: number
  /** 0n = unlimited (default). */
  maxSupply?: bigint
  /** Token Deployer (stv3.md §3.1); default: the wallet account. */
  deployer?: Address
  /** Token Owner (issuer); default: the wallet account. */
  owner?: Address
  /** StvDID DEFAULT_ADMIN_ROLE; default: the wallet account. */
  didAdmin?: Address
  /** Reuse an existing StoboxDID-compatible registry instead of deploying StvDID. */
  didRegistry?: Address
  /** Deploy a HasAttributeRule per attribute name (e.g. "KYC") and link it. */
  requiredAttributes?: string[]
}

export type Stv3Deployment = Stv3Addresses & {
  /** Deployer setup calls not yet executed because the wallet account is not the Deployer. */
  pendingSetup: Stv3Call[]
}

/**
 * Deploy the STV3 set of stv3.md §7 (registry, HasDIDRule, token, treasury) and, when the wallet
 * account is the token's Deployer, run the Deployer setup (setTreasury, trust(treasury), linkRule).
 */
export async function deployStv3(opts: DeployStv3Options): Promise<Stv3Deployment> {
  const { walletClient, publicClient } = opts
  const account = walletClient.account
  const chain = walletClient.chain
  const me = account.address
  const deployer = opts.deployer ?? me

  const deploy = async (label: string, hash: Hex): Promise<Address> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success' || !receipt.contractAddress) {
      throw new NodeError('STV3_DEPLOY_FAILED', `deploying ${label} failed`, { details: { hash } })
    }
    return getAddress(receipt.contractAddress)
  }

  const didRegistry =
    opts.didRegistry ??
    (await deploy(
      'StvDID',
      await walletClient.deployContract({
        account,
        chain,
        abi: StvDID.abi,
        bytecode: StvDID.bytecode,
        args: [opts.didAdmin ?? me],
      }),
    ))
  const hasDIDRule = await deploy(
    'HasDIDRule',
    await walletClient.deployContract({
      account,
      chain,
      abi: HasDIDRule.abi,
      bytecode: HasDIDRule.bytecode,
      args: [didRegistry],
    }),
  )
  const attributeRules: Record<string, Address> = {}
  for (const name of opts.requiredAttributes ?? []) {
    attributeRules[name] = await deploy(
      `HasAttributeRule(${name})`,
      await walletClient.deployContract({
        account,
        chain,
        abi: HasAttributeRule.abi,
        bytecode: HasAttributeRule.bytecode,
        args: [didRegistry, name],
      }),
    )
  }
  const token = await deploy(
    'StvToken',
    await walletClient.deployContract({
      account,
      chain,
      abi: StvToken.abi,
      bytecode: StvToken.bytecode,
      args: [opts.name, opts.symbol, opts.decimals ?? 18, opts.maxSupply ?? 0n, deployer, opts.owner ?? me],
    }),
  )
  const treasury = await deploy(
    'StvTreasury',
    await walletClient.deployContract({
      account,
      chain,
      abi: StvTreasury.abi,
      bytecode: StvTreasury.bytecode,
      args: [token],
    }),
  )

  const addresses: Stv3Addresses = { token, treasury, didRegistry, hasDIDRule, attributeRules }
  const setup = stv3SetupCalls(addresses)
  if (!isAddressEqual(deployer, me)) return { ...addresses, pendingSetup: setup }
  for (const call of setup) await sendStv3Call({ walletClient, publicClient }, call)
  return { ...addresses, pendingSetup: [] }
}
