// The node's chain service (issue: STV3 contracts and the chain submitter): a viem public client on
// the configured RPC (or an embedded anvil in local/demo mode, see chain/endpoint.ts), and
// submission of threshold-signed transactions for `POST /v1/keys/{keyId}/transactions`.
//
// submit(keyId, input): validate the body (chain/input.ts) → the key's address → pre-flight BEFORE
// any ceremony (eth_call as the MPC address; STV3 `canTransfer` for a transfer on a token that
// claims ERC-7943, chain/stv3-check.ts) → gas, fees, balance, the key's next nonce (one nonce
// manager for the node, keyed by chain and address) → `components.sign` with the formatted
// transaction (a real ceremony: every co-signer decodes it and computes the digest itself) →
// broadcast → receipt. Failures are typed NodeErrors (node/chain/errors.ts codes): a revert names
// the decoded custom error (`details.errorName`, e.g. NotValidDIDOf).
//
// TEST-ONLY: `skipPreflight: true` is honoured only when the node runs with
// MPC_NODE_ALLOW_SKIP_PREFLIGHT=1 (to show that the chain itself refuses what the pre-flight stops);
// the gas limit is then estimated, or FORCED_GAS_LIMIT when the estimate reverts.
// A policy-checked `request` (JWS) carries the whole transaction, nonce and fees included: it is
// pre-flighted and broadcast as signed (chain/signed.ts). Not yet: submission from derived keys.
import {
  type Address,
  createPublicClient,
  defineChain,
  getAddress,
  hexToBigInt,
  http,
  type PublicClient,
  webSocket,
} from 'viem'
import { CHAIN_ERROR_CODES } from '../chain/errors.ts'
import { createNonceManager } from '../chain/nonces.ts'
import { createSubmitter, type SubmitCall, type SubmitEvent, type SubmitResult } from '../chain/submitter.ts'
import { formatTransactionRequest } from '../chain/transaction.ts'
import type { NodeConfig } from '../config/index.ts'
import { isNodeError, NodeError } from '../errors.ts'
import type { Logger } from '../log/index.ts'
import { EMBEDDED_CHAIN_ENV, openEndpoint } from './chain/endpoint.ts'
import { parseSubmitInput, resolveSubmit } from './chain/input.ts'
import { submitSignedRequest } from './chain/signed.ts'
import { stv3CheckFor } from './chain/stv3-check.ts'
import { pathOfRequest } from './gate/content.ts'
import type { SignatureView, SignInput, SubmitInput, SubmitView } from './types.ts'

export { EMBEDDED_CHAIN_ENV, EMBEDDED_CHAIN_FILE } from './chain/endpoint.ts'
export { parseSubmitInput } from './chain/input.ts'

export const ALLOW_SKIP_PREFLIGHT_ENV = 'MPC_NODE_ALLOW_SKIP_PREFLIGHT'
/** Gas limit of a forced (pre-flight skipped) call whose estimate reverts. */
export const FORCED_GAS_LIMIT = 1_000_000n

export type ChainInit = {
  config: NodeConfig
  home: string
  /** Default: process.env (MPC_NODE_EMBEDDED_CHAIN, MPC_NODE_ALLOW_SKIP_PREFLIGHT). */
  env?: Record<string, string | undefined>
}
export type ChainComponents = {
  logger: Logger
  /** Run a signing ceremony with this node as coordinator. */
  sign(keyId: string, input: SignInput): Promise<SignatureView>
  /** The key's Ethereum address. */
  addressOf(keyId: string): Promise<string>
  /** Audit hook (Gate.recordTx): every transaction that reached the chain, mined or reverted. */
  recordTx?(info: { keyId: string; txHash: string; status: string }): Promise<void>
}

export type ChainService = {
  /** The chain in use; undefined when submission is not configured. */
  readonly endpoint?: { rpcUrl: string; chainId: number; embedded: boolean }
  submit(keyId: string, input: SubmitInput): Promise<SubmitView>
  stop(): Promise<void>
}

const notConfigured = () =>
  new NodeError('CHAIN_NOT_CONFIGURED', 'transaction submission is not enabled on this node', {
    hints: [
      'set chain.rpcUrl in config.json',
      `local/demo only: start one node of the cluster with ${EMBEDDED_CHAIN_ENV}=1 to host an anvil chain`,
    ],
    status: 501,
  })

const isLoopback = (url: string) => /^(127\.|localhost$|\[::1\]$)/.test(new URL(url).hostname)

function publicClientFor(rpcUrl: string, chainId: number): PublicClient {
  const ws = /^wss?:/.test(rpcUrl)
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: ws ? { http: [], webSocket: [rpcUrl] } : { http: [rpcUrl] } },
  })
  return createPublicClient({
    chain,
    transport: ws ? webSocket(rpcUrl) : http(rpcUrl),
    pollingInterval: isLoopback(rpcUrl) ? 100 : 2_000,
  })
}

/** Events as log fields (bigints as decimal strings). */
function logFields(e: SubmitEvent): Record<string, unknown> {
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]))
}

function toView(r: SubmitResult, to: Address): SubmitView {
  const view: SubmitView = {
    txHash: r.txHash,
    status: r.status,
    blockNumber: r.blockNumber.toString(),
    from: r.from,
    nonce: r.nonce,
    to,
    gasUsed: r.gasUsed.toString(),
    signedTransaction: r.serializedTransaction,
  }
  if (r.repricedFrom !== undefined) view.repricedFrom = r.repricedFrom
  return view
}

export async function createChainService(
  init: ChainInit,
  components: ChainComponents,
): Promise<ChainService> {
  const env = init.env ?? process.env
  const logger = components.logger.child({ service: 'chain' })
  const endpoint = await openEndpoint(init.config, init.home, env, logger)
  if (endpoint === undefined) {
    return {
      submit: async () => {
        throw notConfigured()
      },
      stop: async () => undefined,
    }
  }
  const { chainId } = endpoint
  const publicClient = publicClientFor(endpoint.rpcUrl, chainId)
  // One manager for the node: reservations are keyed by (chainId, address), so concurrent
  // submissions of one key get consecutive nonces whichever submitter serves them.
  const nonces = createNonceManager()
  const allowSkip = env[ALLOW_SKIP_PREFLIGHT_ENV] === '1'
  // Not the URL: a provider URL may carry an API key.
  logger.info({ chainId, embedded: endpoint.embedded !== undefined }, 'transaction submission enabled')
  if (allowSkip) logger.warn(`${ALLOW_SKIP_PREFLIGHT_ENV}=1: skipPreflight is honoured (test-only)`)

  async function forcedGas(from: Address, call: SubmitCall): Promise<bigint> {
    if (call.gas !== undefined) return call.gas
    try {
      const g = await publicClient.estimateGas({
        account: from,
        to: call.to,
        data: call.data,
        value: call.value,
      })
      return (g * 120n) / 100n
    } catch {
      return FORCED_GAS_LIMIT
    }
  }

  async function submit(keyId: string, raw: SubmitInput): Promise<SubmitView> {
    const input = parseSubmitInput(raw)
    const path =
      input.derivationPath ?? (input.request === undefined ? undefined : pathOfRequest(input.request))
    if (path !== undefined) {
      throw new NodeError('CHAIN_DERIVATION_UNSUPPORTED', 'submission from a derived key is not supported', {
        hints: ['sign with POST /v1/keys/{keyId}/signatures and broadcast the signed transaction'],
        details: { derivationPath: path },
        status: 400,
      })
    }
    const skipPreflight = input.skipPreflight === true
    if (skipPreflight && !allowSkip) {
      throw new NodeError('CHAIN_SKIP_PREFLIGHT_FORBIDDEN', 'skipPreflight is a test-only switch', {
        hints: [`the node honours it only when started with ${ALLOW_SKIP_PREFLIGHT_ENV}=1`],
        status: 403,
      })
    }
    if (input.request !== undefined) return submitRequest(keyId, input)
    const resolved = resolveSubmit(input)
    if (resolved.chainId !== undefined && resolved.chainId !== chainId) {
      throw new NodeError('CHAIN_WRONG_NETWORK', 'the transaction names another chain', {
        details: { expected: chainId, actual: resolved.chainId },
        status: 400,
      })
    }
    const from = getAddress(await components.addressOf(keyId))
    const call = { ...resolved.call }
    const log = logger.child({ keyId, from, to: call.to, op: resolved.operation?.op })
    if (skipPreflight) {
      call.gas = await forcedGas(from, call)
      log.warn({ gas: call.gas.toString() }, 'pre-flight skipped (test-only switch)')
    }
    const stv3 = skipPreflight ? undefined : await stv3CheckFor(publicClient, from, call)

    const submitter = createSubmitter({
      publicClient,
      chainId,
      address: from,
      nonces,
      signer: async (req) => {
        if (req.kind !== 'transaction') {
          throw new NodeError('CHAIN_SIGN_UNSUPPORTED', 'the chain service signs transactions only', {
            status: 400,
          })
        }
        const signInput: SignInput = { transaction: formatTransactionRequest(req.tx) }
        if (input.signers !== undefined) signInput.signers = input.signers
        const sig = await components.sign(keyId, signInput)
        return {
          r: hexToBigInt(sig.r as `0x${string}`),
          s: hexToBigInt(sig.s as `0x${string}`),
          yParity: sig.yParity === 1 ? 1 : 0,
        }
      },
      onEvent: (e) => {
        if (e.type === 'failed') log.warn(logFields(e), 'transaction failed')
        else log.info(logFields(e), `transaction ${e.type}`)
      },
    })
    let result: SubmitResult
    try {
      result = await submitter.submit(call, { skipPreflight, ...(stv3 === undefined ? {} : { stv3 }) })
    } catch (e) {
      if (isNodeError(e, CHAIN_ERROR_CODES.reverted) && typeof e.details.txHash === 'string') {
        await record(log, { keyId, txHash: e.details.txHash, status: 'reverted' })
      }
      throw e
    }
    await record(log, { keyId, txHash: result.txHash, status: result.status })
    return toView(result, call.to)
  }

  /** A policy-checked request: the requester signed the whole transaction (chain/signed.ts). */
  async function submitRequest(keyId: string, input: SubmitInput): Promise<SubmitView> {
    if (input.skipPreflight === true) {
      throw new NodeError(
        'CHAIN_SKIP_PREFLIGHT_FORBIDDEN',
        'skipPreflight is not accepted with a signed request',
        {
          status: 400,
        },
      )
    }
    const from = getAddress(await components.addressOf(keyId))
    const log = logger.child({ keyId, from, request: true })
    let r: Awaited<ReturnType<typeof submitSignedRequest>>
    try {
      r = await submitSignedRequest(
        { publicClient, chainId, nonces, from, sign: (signInput) => components.sign(keyId, signInput) },
        input,
      )
    } catch (e) {
      if (isNodeError(e, CHAIN_ERROR_CODES.reverted) && typeof e.details.txHash === 'string') {
        await record(log, { keyId, txHash: e.details.txHash, status: 'reverted' })
      }
      if (isNodeError(e)) log.warn({ code: e.code }, 'signed request not submitted')
      throw e
    }
    log.info(
      { txHash: r.txHash, nonce: r.tx.nonce, blockNumber: r.receipt.blockNumber.toString() },
      'transaction mined',
    )
    await record(log, { keyId, txHash: r.txHash, status: r.receipt.status })
    return {
      txHash: r.txHash,
      status: r.receipt.status,
      blockNumber: r.receipt.blockNumber.toString(),
      from,
      nonce: r.tx.nonce,
      to: r.tx.to,
      gasUsed: r.receipt.gasUsed.toString(),
      signedTransaction: r.signed,
    }
  }

  /** The transaction is on chain whatever the audit says: a failing hook is logged, not thrown. */
  async function record(log: Logger, info: { keyId: string; txHash: string; status: string }) {
    try {
      await components.recordTx?.(info)
    } catch (err) {
      log.error({ err, txHash: info.txHash }, 'recording the transaction failed')
    }
  }

  return {
    endpoint: { rpcUrl: endpoint.rpcUrl, chainId, embedded: endpoint.embedded !== undefined },
    submit,
    stop: () => endpoint.stop(),
  }
}
