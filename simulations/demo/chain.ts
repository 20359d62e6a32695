// The demo's chain: anvil from npm on 127.0.0.1, the STV3 set deployed by an anvil dev account
// (the token's Deployer and Owner, and the DID registry's admin and writer), and the chain-side
// helpers the story needs: transactions for a key to sign, broadcasting what the ceremony signed,
// balances. The MPC keys never touch a private key here: their transactions are signed by nodes.
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  parseEther,
  recoverTransactionAddress,
  type TransactionReceipt,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { StvToken } from '../../contracts/gen/index.ts'
import { type Anvil, startAnvil } from '../../node/chain/anvil.ts'
import {
  deployStv3,
  didCalls,
  FINANCIAL_OPERATOR,
  type Stv3Call,
  type Stv3Deployment,
  sendStv3Call,
  tokenCalls,
  WRITER_ROLE,
} from '../../node/chain/stv3.ts'
import { NodeError } from '../../node/errors.ts'
import type { TransactionContent } from '../../node/policy/request.ts'

export const CHAIN_ID = 31337
const FALLBACK_GAS = 200_000n

export type DemoChain = {
  anvil: Anvil
  chain: Chain
  publicClient: PublicClient
  /** The anvil dev account that deploys and administers the STV3 set. */
  admin: Address
  stv3?: Stv3Deployment
  /** Runs a call as the admin account (preflighted; throws STV3_CALL_REVERTED). */
  asAdmin(call: Stv3Call): Promise<TransactionReceipt>
}

export async function startChain(): Promise<DemoChain> {
  const anvil = await startAnvil({ chainId: CHAIN_ID, accounts: 2 })
  const chain = defineChain({ ...foundry, id: CHAIN_ID, rpcUrls: { default: { http: [anvil.rpcUrl] } } })
  const publicClient = createPublicClient({ chain, transport: http(anvil.rpcUrl), pollingInterval: 50 })
  const account = privateKeyToAccount(anvil.accounts[0]!.privateKey)
  const walletClient = createWalletClient({ account, chain, transport: http(anvil.rpcUrl) })
  const c: DemoChain = {
    anvil,
    chain,
    publicClient: publicClient as PublicClient,
    admin: account.address,
    asAdmin: (call) => sendStv3Call({ walletClient, publicClient: c.publicClient }, call),
  }
  return c
}

export async function deploy(c: DemoChain): Promise<Stv3Deployment> {
  const account = privateKeyToAccount(c.anvil.accounts[0]!.privateKey)
  const walletClient = createWalletClient({ account, chain: c.chain, transport: http(c.anvil.rpcUrl) })
  const d = await deployStv3({
    walletClient,
    publicClient: c.publicClient,
    name: 'Demo Security Token',
    symbol: 'DST',
    decimals: 0,
  })
  c.stv3 = d
  await c.asAdmin(didCalls.grantRole(d.didRegistry, WRITER_ROLE, account.address))
  return d
}

function stv3Of(c: DemoChain): Stv3Deployment {
  if (c.stv3 === undefined) throw new Error('the STV3 set is not deployed yet')
  return c.stv3
}

/** The Owner names an MPC key the token's FINANCIAL_OPERATOR. */
export async function grantFinancialOperator(c: DemoChain, key: Address): Promise<TransactionReceipt> {
  return c.asAdmin(tokenCalls.grantRole(stv3Of(c).token, FINANCIAL_OPERATOR, key))
}

/** The registry writer links a DID to a wallet. */
export async function createDid(c: DemoChain, did: string, wallet: Address): Promise<TransactionReceipt> {
  return c.asAdmin(didCalls.createDID(stv3Of(c).didRegistry, did, wallet))
}

/** Gas money for an MPC address (its transactions are paid by the key itself). */
export async function fund(c: DemoChain, to: Address, eth: string): Promise<TransactionReceipt> {
  const account = privateKeyToAccount(c.anvil.accounts[0]!.privateKey)
  const walletClient = createWalletClient({ account, chain: c.chain, transport: http(c.anvil.rpcUrl) })
  const hash = await walletClient.sendTransaction({ account, chain: c.chain, to, value: parseEther(eth) })
  return c.publicClient.waitForTransactionReceipt({ hash })
}

/**
 * The EIP-1559 transaction a requester asks a key to sign (request.ts form: decimal strings): the
 * key's next nonce, gas estimated as the key's address (a revert here stops before any ceremony),
 * fees from the chain. With `fallbackGas`, a call whose estimate reverts gets FALLBACK_GAS instead
 * (to show that the nodes refuse what a careless client would send anyway).
 */
export async function transactionFor(
  c: DemoChain,
  from: Address,
  call: Stv3Call,
  o: { fallbackGas?: boolean } = {},
): Promise<TransactionContent> {
  const [nonce, gas, fees] = await Promise.all([
    c.publicClient.getTransactionCount({ address: from, blockTag: 'pending' }),
    c.publicClient
      .estimateGas({ account: from, to: call.to, data: call.data })
      .catch(() => (o.fallbackGas ? FALLBACK_GAS : Promise.reject(new Error('gas estimation reverted')))),
    c.publicClient.estimateFeesPerGas(),
  ])
  return {
    chainId: CHAIN_ID,
    nonce,
    to: call.to.toLowerCase() as `0x${string}`,
    value: '0',
    data: call.data.toLowerCase() as `0x${string}`,
    gas: ((gas * 12n) / 10n).toString(),
    maxFeePerGas: fees.maxFeePerGas.toString(),
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(),
  }
}

export type Landed = { txHash: Hex; status: 'success' | 'reverted'; blockNumber: string; from: Address }

/**
 * Checks a submitted transaction independently of the node: its signed bytes recover to the key's
 * address, and the chain has its receipt.
 */
export async function checkLanded(
  c: DemoChain,
  signedTransaction: Hex,
  expectedFrom: Address,
): Promise<Landed> {
  const from = await recoverTransactionAddress({ serializedTransaction: signedTransaction as never })
  if (getAddress(from) !== getAddress(expectedFrom)) {
    throw new NodeError('DEMO_WRONG_SIGNER', 'the signed transaction recovers to another address', {
      details: { expected: expectedFrom, recovered: from },
    })
  }
  const txHash = keccak256(signedTransaction)
  const r = await c.publicClient.getTransactionReceipt({ hash: txHash })
  return { txHash, status: r.status, blockNumber: r.blockNumber.toString(), from: getAddress(from) }
}

export async function balanceOf(c: DemoChain, who: Address): Promise<bigint> {
  return c.publicClient.readContract({
    address: stv3Of(c).token,
    abi: StvToken.abi,
    functionName: 'balanceOf',
    args: [who],
  })
}

/** What the token itself would say about a transfer (ERC-7943 view). */
export async function canTransfer(
  c: DemoChain,
  from: Address,
  to: Address,
  amount: bigint,
): Promise<boolean> {
  return c.publicClient.readContract({
    address: stv3Of(c).token,
    abi: StvToken.abi,
    functionName: 'canTransfer',
    args: [from, to, amount],
  })
}
