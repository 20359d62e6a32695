// Submission of a policy-checked request (`{ request: <JWS>, approvals? }`): the requester signed
// the complete transaction (nonce and fees included), so the node broadcasts exactly that. Before
// any ceremony: the transaction is read from the JWS (as every co-signer reads it; the signature and
// the policy are the gate's, on every node), checked against this chain and key (chain id, nonce not
// yet used, funds) and pre-flighted (eth_call as the key's address, STV3 canTransfer). Then the
// ceremony, a check that the signed bytes are that transaction from that address, broadcast and the
// receipt. The node's nonce manager is told to resync, since this nonce was not reserved through it.
import {
  type Address,
  type Hex,
  isAddressEqual,
  keccak256,
  type PublicClient,
  type TransactionReceipt,
} from 'viem'
import { CHAIN_ERROR_CODES, type RevertInfo, revertInfoOf, toChainError } from '../../chain/errors.ts'
import type { NonceManager } from '../../chain/nonces.ts'
import { checkCanTransfer, rpc } from '../../chain/submitter.ts'
import {
  parseTransactionRequest,
  recoverTransactionSigner,
  type SignableTransaction,
  transactionDigest,
} from '../../chain/transaction.ts'
import { NodeError } from '../../errors.ts'
import { contentOfRequest } from '../gate/content.ts'
import type { SignatureView, SignInput, SubmitInput } from '../types.ts'
import { stv3CheckFor } from './stv3-check.ts'

export type SignedSubmitContext = {
  publicClient: PublicClient
  chainId: number
  nonces: NonceManager
  from: Address
  sign(input: SignInput): Promise<SignatureView>
  receiptTimeoutMs?: number
}

export type SignedSubmitResult = {
  tx: SignableTransaction & { to: Address }
  txHash: Hex
  signed: Hex
  receipt: TransactionReceipt
}

/** The transaction a request JWS asks for (throws REQUEST_MALFORMED, CHAIN_REQUEST_NOT_TRANSACTION). */
export function transactionOfRequest(jws: string): SignableTransaction & { to: Address } {
  const content = contentOfRequest(jws)
  if (content.transaction === undefined) {
    throw new NodeError(
      'CHAIN_REQUEST_NOT_TRANSACTION',
      'the signed request asks for a message, not a transaction',
      {
        hints: ['sign messages with POST /v1/keys/{keyId}/signatures'],
        status: 400,
      },
    )
  }
  return parseTransactionRequest(content.transaction)
}

async function preflight(c: SignedSubmitContext, tx: SignableTransaction & { to: Address }): Promise<void> {
  const { publicClient, from } = c
  if (tx.chainId !== c.chainId) {
    throw new NodeError(CHAIN_ERROR_CODES.wrongNetwork, 'the signed request names another chain', {
      details: { expected: c.chainId, actual: tx.chainId },
      status: 400,
    })
  }
  const [used, balance] = await Promise.all([
    rpc('getTransactionCount', () => publicClient.getTransactionCount({ address: from, blockTag: 'latest' })),
    rpc('getBalance', () => publicClient.getBalance({ address: from })),
  ])
  if (tx.nonce < used) {
    throw new NodeError(CHAIN_ERROR_CODES.nonceConflict, 'the signed request uses a nonce already mined', {
      hints: ['ask the requester for a new request with the key’s next nonce'],
      details: { nonce: tx.nonce, next: used, step: 'preflight' },
      status: 409,
    })
  }
  const cost = tx.gas * tx.maxFeePerGas + tx.value
  if (balance < cost) {
    throw new NodeError(CHAIN_ERROR_CODES.insufficientFunds, 'the MPC address cannot pay gas * fee + value', {
      details: { address: from, balance: balance.toString(), required: cost.toString() },
      status: 422,
    })
  }
  try {
    await publicClient.call({ account: from, to: tx.to, data: tx.data, value: tx.value, gas: tx.gas })
  } catch (err) {
    const info = revertInfoOf(err)
    if (info === undefined) throw toChainError(err, { step: 'preflight' })
    throw new NodeError(
      CHAIN_ERROR_CODES.preflightRevert,
      info.errorName ? `the call would revert with ${info.errorName}` : 'the call would revert',
      { details: { ...info, to: tx.to, step: 'eth_call' }, status: 422 },
    )
  }
  const stv3 = await stv3CheckFor(publicClient, from, { to: tx.to, data: tx.data })
  if (stv3 !== undefined) await checkCanTransfer(publicClient, stv3)
}

async function revertOf(c: SignedSubmitContext, tx: SignableTransaction & { to: Address }, block: bigint) {
  try {
    await c.publicClient.call({
      account: c.from,
      to: tx.to,
      data: tx.data,
      value: tx.value,
      gas: tx.gas,
      blockNumber: block - 1n,
    })
    return { args: [] } satisfies RevertInfo
  } catch (err) {
    return revertInfoOf(err) ?? ({ args: [] } satisfies RevertInfo)
  }
}

/** Pre-flight, sign (the ceremony), broadcast and wait for a request's transaction. */
export async function submitSignedRequest(
  c: SignedSubmitContext,
  input: SubmitInput,
): Promise<SignedSubmitResult> {
  const jws = input.request
  if (jws === undefined) throw new Error('submitSignedRequest needs a request')
  const tx = transactionOfRequest(jws)
  await preflight(c, tx)

  const signInput: SignInput = { request: jws }
  if (input.approvals !== undefined) signInput.approvals = input.approvals
  if (input.signers !== undefined) signInput.signers = input.signers
  const view = await c.sign(signInput)
  const signed = view.signedTransaction as Hex | undefined
  if (signed === undefined || view.digest !== transactionDigest(tx)) {
    throw new NodeError(
      CHAIN_ERROR_CODES.signatureMismatch,
      'the ceremony did not sign the requested transaction',
      {
        details: { digest: view.digest, expected: transactionDigest(tx) },
        status: 502,
      },
    )
  }
  const recovered = await recoverTransactionSigner(signed)
  if (!isAddressEqual(recovered, c.from)) {
    throw new NodeError(
      CHAIN_ERROR_CODES.signatureMismatch,
      'the signed transaction does not recover to the key',
      {
        hints: ['do not broadcast: the shares do not belong to this address, or a party misbehaved'],
        details: { expected: c.from, recovered },
        status: 502,
      },
    )
  }

  const txHash = keccak256(signed)
  const nonceKey = { chainId: c.chainId, address: c.from }
  try {
    await c.publicClient.sendRawTransaction({ serializedTransaction: signed })
  } catch (err) {
    const known = await c.publicClient.getTransaction({ hash: txHash }).then(
      () => true,
      () => false,
    )
    if (!known) throw toChainError(err, { step: 'broadcast', nonce: tx.nonce, txHash })
  } finally {
    c.nonces.invalidate(nonceKey)
  }

  const receipt = await rpc('waitForTransactionReceipt', () =>
    c.publicClient.waitForTransactionReceipt({ hash: txHash, timeout: c.receiptTimeoutMs ?? 120_000 }),
  )
  if (receipt.status === 'success') return { tx, txHash, signed, receipt }
  const revert = await revertOf(c, tx, receipt.blockNumber)
  throw new NodeError(
    CHAIN_ERROR_CODES.reverted,
    revert.errorName ? `the transaction reverted with ${revert.errorName}` : 'the transaction reverted',
    {
      details: {
        ...revert,
        txHash,
        nonce: tx.nonce,
        from: c.from,
        to: tx.to,
        blockNumber: receipt.blockNumber.toString(),
        gasUsed: receipt.gasUsed.toString(),
      },
      status: 422,
    },
  )
}
