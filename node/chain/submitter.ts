// From an approved call to a mined transaction with a threshold key: preflight (eth_call as the MPC
// address, STV3 canTransfer) before any ceremony, fees and gas, a nonce reservation, the ceremony,
// broadcast, and receipt waiting that notices replacement. Every failure is a typed NodeError
// (codes in errors.ts); reverts name the STV3 custom error.
//
// Wiring (one submitter per threshold key and chain; share `nonces` between submitters of a key):
//   const signer: ThresholdSigner = async (req) => toThresholdSignature(await sessions.sign(keyId, req))
//   const submitter = createSubmitter({ publicClient, signer, address: addressOfPublicKey(pub), chainId })
//   await submitter.submit(tokenCalls.transfer(token, to, amount), { stv3: { token, from, to, amount } })
// Limits: preflight reads the latest block, so calls that depend on this key's still-pending
// transactions can pass it and revert on chain; a nonce released after a failed ceremony is reused
// by the next submission, so later transactions already broadcast wait until one comes.
import {
  type Address,
  getAddress,
  type Hex,
  keccak256,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from 'viem'
import { StvToken } from '../../contracts/gen/index.ts'
import { NodeError } from '../errors.ts'
import { type ThresholdSigner, toThresholdAccount } from './account.ts'
import { CHAIN_ERROR_CODES, type RevertInfo, revertInfoOf, toChainError } from './errors.ts'
import { createNonceManager, type NonceLease, type NonceManager, toViemNonceManager } from './nonces.ts'
import type { SignableTransaction } from './transaction.ts'

export type SubmitterInit = {
  publicClient: PublicClient
  /** Runs a signing ceremony on the decoded request (see toThresholdAccount). */
  signer: ThresholdSigner
  /** The threshold key's address. */
  address: Address
  chainId: number
  /** Share one manager between submitters of the same key; default: a private one. */
  nonces?: NonceManager
  /** Added to estimateGas, in percent (default 20). */
  gasMarginPercent?: number
  /** Receipt timeout (default 120 s). */
  receiptTimeoutMs?: number
  /** Blocks to wait for (default 1). */
  confirmations?: number
  /** Receipt polling interval (default: the client's). */
  pollingIntervalMs?: number
  /** Re-sign with a fresh nonce after a nonce conflict at broadcast (default 1). */
  nonceRetries?: number
  /** Progress hook for logs and audit (no secrets in events). */
  onEvent?: (event: SubmitEvent) => void
}

export type SubmitCall = { to: Address; data: Hex; value?: bigint; gas?: bigint }

export type Stv3TransferCheck = { token: Address; from: Address; to: Address; amount: bigint }

export type SubmitOptions = {
  /** Tests only: skip the eth_call and canTransfer preflight (gas must then be given or estimable). */
  skipPreflight?: boolean
  /** Also require `canTransfer(from, to, amount)` on the token before signing. */
  stv3?: Stv3TransferCheck
  /** Return a mined revert as `status: 'reverted'` instead of throwing CHAIN_REVERTED. */
  allowRevert?: boolean
}

export type SubmitResult = {
  txHash: Hex
  status: 'success' | 'reverted'
  blockNumber: bigint
  from: Address
  nonce: number
  gasUsed: bigint
  /** The signed transaction as broadcast. */
  serializedTransaction: Hex
  /** Set when the same call was mined under another hash with other fees. */
  repricedFrom?: Hex
  /** Set when status is 'reverted'. */
  revert?: RevertInfo
}

export type SubmitEvent =
  | { type: 'preflight'; to: Address }
  | { type: 'signing'; nonce: number; to: Address }
  | { type: 'broadcast'; nonce: number; txHash: Hex }
  | { type: 'mined'; nonce: number; txHash: Hex; status: 'success' | 'reverted'; blockNumber: bigint }
  | { type: 'failed'; code: string; nonce?: number; txHash?: Hex }

export type Submitter = {
  readonly address: Address
  readonly chainId: number
  readonly nonces: NonceManager
  /**
   * The threshold key as a viem account whose nonces come from `nonces`: a walletClient built on it
   * (sendTransaction, writeContract) shares the submitter's nonce sequence. No preflight there.
   */
  readonly account: LocalAccount
  submit(call: SubmitCall, opts?: SubmitOptions): Promise<SubmitResult>
}

const fail = (code: string, message: string, details: Record<string, unknown>, status = 422) =>
  new NodeError(code, message, { details, status })

/** Wrap an RPC action so its failures are typed. */
export const rpc = async <T>(step: string, f: () => Promise<T>): Promise<T> => {
  try {
    return await f()
  } catch (err) {
    throw toChainError(err, { step })
  }
}

/** The STV3 pre-flight beyond eth_call: the token's own `canTransfer` must say yes (never reverts). */
export async function checkCanTransfer(
  publicClient: PublicClient,
  stv3: { token: Address; from: Address; to: Address; amount: bigint },
): Promise<void> {
  const ok = await rpc('canTransfer', () =>
    publicClient.readContract({
      address: stv3.token,
      abi: StvToken.abi,
      functionName: 'canTransfer',
      args: [stv3.from, stv3.to, stv3.amount],
    }),
  )
  if (!ok) {
    throw fail(CHAIN_ERROR_CODES.preflightRefused, 'the token refuses this transfer (canTransfer)', {
      check: 'canTransfer',
      token: stv3.token,
      from: stv3.from,
      to: stv3.to,
      amount: stv3.amount.toString(),
    })
  }
}

export function createSubmitter(init: SubmitterInit): Submitter {
  const { publicClient, chainId } = init
  const address = getAddress(init.address)
  const nonces = init.nonces ?? createNonceManager()
  const account = toThresholdAccount({
    address,
    signDigest: init.signer,
    nonceManager: toViemNonceManager(nonces),
  })
  const margin = BigInt(init.gasMarginPercent ?? 20)
  const nonceKey = { chainId, address, client: publicClient }
  const emit = (e: SubmitEvent) => init.onEvent?.(e)
  let networkChecked: Promise<void> | undefined

  const checkNetwork = () => {
    networkChecked ??= rpc('chainId', () => publicClient.getChainId()).then((actual) => {
      if (actual !== chainId) {
        throw fail(CHAIN_ERROR_CODES.wrongNetwork, 'the RPC endpoint serves another chain', {
          expected: chainId,
          actual,
        })
      }
    })
    return networkChecked.catch((e) => {
      networkChecked = undefined
      throw e
    })
  }

  const preflightRevert = (call: SubmitCall, info: RevertInfo, step: string) =>
    new NodeError(
      CHAIN_ERROR_CODES.preflightRevert,
      info.errorName ? `the call would revert with ${info.errorName}` : 'the call would revert',
      { details: { ...info, to: call.to, step }, status: 422 },
    )

  async function preflight(call: SubmitCall, stv3: Stv3TransferCheck | undefined): Promise<void> {
    try {
      await publicClient.call({ account: address, to: call.to, data: call.data, value: call.value })
    } catch (err) {
      const info = revertInfoOf(err)
      if (info !== undefined) throw preflightRevert(call, info, 'eth_call')
      throw toChainError(err, { step: 'preflight' })
    }
    if (stv3 !== undefined) await checkCanTransfer(publicClient, stv3)
    emit({ type: 'preflight', to: call.to })
  }

  async function estimateGas(call: SubmitCall): Promise<bigint> {
    if (call.gas !== undefined) return call.gas
    try {
      const g = await publicClient.estimateGas({
        account: address,
        to: call.to,
        data: call.data,
        value: call.value,
      })
      return (g * (100n + margin)) / 100n
    } catch (err) {
      const info = revertInfoOf(err)
      if (info !== undefined) throw preflightRevert(call, info, 'estimateGas')
      throw toChainError(err, { step: 'estimateGas' })
    }
  }

  /** Replay the call at the parent block to get the revert data a receipt lacks. */
  async function revertOfMined(
    call: SubmitCall,
    gas: bigint,
    receipt: TransactionReceipt,
  ): Promise<RevertInfo> {
    try {
      await publicClient.call({
        account: address,
        to: call.to,
        data: call.data,
        value: call.value,
        gas,
        blockNumber: receipt.blockNumber - 1n,
      })
      return { args: [] }
    } catch (err) {
      return revertInfoOf(err) ?? { args: [] }
    }
  }

  /** Sign and broadcast one transaction; on a nonce conflict the lease is invalidated. */
  async function signAndSend(
    call: SubmitCall,
    fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
    gas: bigint,
  ): Promise<{ lease: NonceLease; tx: SignableTransaction; serialized: Hex; txHash: Hex }> {
    const lease = await nonces.reserve(nonceKey)
    const tx: SignableTransaction = {
      type: 'eip1559',
      chainId,
      nonce: lease.nonce,
      to: call.to,
      value: call.value ?? 0n,
      data: call.data,
      gas,
      ...fees,
    }
    let serialized: Hex
    try {
      emit({ type: 'signing', nonce: lease.nonce, to: call.to })
      serialized = await account.signTransaction(tx)
    } catch (err) {
      lease.release()
      throw err
    }
    const txHash = keccak256(serialized)
    try {
      await publicClient.sendRawTransaction({ serializedTransaction: serialized })
    } catch (err) {
      // Another node of the group, or a retry, may have broadcast the same bytes already.
      const known = await publicClient.getTransaction({ hash: txHash }).then(
        () => true,
        () => false,
      )
      if (!known) {
        const mapped = toChainError(err, { step: 'broadcast', nonce: lease.nonce, txHash })
        // A nonce error, or a failure that may hide a broadcast: resync. A definite rejection: reuse.
        const unsure =
          mapped.code === CHAIN_ERROR_CODES.rpc || mapped.code === CHAIN_ERROR_CODES.nonceConflict
        if (unsure) lease.invalidate()
        else lease.release()
        throw mapped
      }
    }
    lease.broadcast()
    emit({ type: 'broadcast', nonce: lease.nonce, txHash })
    return { lease, tx, serialized, txHash }
  }

  async function submit(call: SubmitCall, opts: SubmitOptions = {}): Promise<SubmitResult> {
    try {
      return await run(call, opts)
    } catch (err) {
      const e = toChainError(err)
      const { nonce, txHash } = e.details as { nonce?: number; txHash?: Hex }
      emit({ type: 'failed', code: e.code, nonce, txHash })
      throw e
    }
  }

  async function run(call: SubmitCall, opts: SubmitOptions): Promise<SubmitResult> {
    await checkNetwork()
    if (!opts.skipPreflight) await preflight(call, opts.stv3)

    const [fees, gas, balance] = await Promise.all([
      rpc('estimateFeesPerGas', () => publicClient.estimateFeesPerGas()),
      estimateGas(call),
      rpc('getBalance', () => publicClient.getBalance({ address })),
    ])
    const feeCaps = { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas }
    const cost = gas * feeCaps.maxFeePerGas + (call.value ?? 0n)
    if (balance < cost) {
      throw fail(CHAIN_ERROR_CODES.insufficientFunds, 'the MPC address cannot pay gas * fee + value', {
        address,
        balance: balance.toString(),
        required: cost.toString(),
      })
    }

    let sent: Awaited<ReturnType<typeof signAndSend>> | undefined
    for (let attempt = 0; sent === undefined; attempt++) {
      try {
        sent = await signAndSend(call, feeCaps, gas)
      } catch (err) {
        const e = toChainError(err)
        if (e.code !== CHAIN_ERROR_CODES.nonceConflict || attempt >= (init.nonceRetries ?? 1)) {
          throw e
        }
      }
    }
    const { lease, serialized, txHash } = sent
    const nonce = lease.nonce

    let replacedBy: { reason: 'replaced' | 'cancelled' | 'repriced'; hash: Hex } | undefined
    let receipt: TransactionReceipt
    try {
      receipt = await publicClient.waitForTransactionReceipt({
        hash: txHash,
        timeout: init.receiptTimeoutMs ?? 120_000,
        confirmations: init.confirmations ?? 1,
        pollingInterval: init.pollingIntervalMs,
        replacement: { from: address, nonce, to: call.to, input: call.data, value: call.value ?? 0n },
        onReplaced: (r) => {
          replacedBy = { reason: r.reason, hash: r.transaction.hash }
        },
      })
    } catch (err) {
      const e = toChainError(err, { txHash, nonce })
      // A timeout leaves the outcome open (pending, or dropped): resync before the next nonce.
      lease.invalidate()
      throw e
    }
    lease.settle()

    if (replacedBy !== undefined && replacedBy.reason !== 'repriced') {
      throw new NodeError(CHAIN_ERROR_CODES.replaced, `the transaction was ${replacedBy.reason}`, {
        hints: ['another transaction with the same nonce was mined; the call did not run'],
        details: {
          txHash,
          nonce,
          reason: replacedBy.reason,
          replacementHash: replacedBy.hash,
          replacementStatus: receipt.status,
          blockNumber: receipt.blockNumber.toString(),
        },
        status: 409,
      })
    }

    const result: SubmitResult = {
      txHash: receipt.transactionHash,
      status: receipt.status,
      blockNumber: receipt.blockNumber,
      from: address,
      nonce,
      gasUsed: receipt.gasUsed,
      serializedTransaction: serialized,
    }
    if (replacedBy !== undefined) result.repricedFrom = txHash
    emit({
      type: 'mined',
      nonce,
      txHash: result.txHash,
      status: result.status,
      blockNumber: result.blockNumber,
    })
    if (receipt.status === 'success') return result

    result.revert = await revertOfMined(call, gas, receipt)
    if (receipt.gasUsed >= gas)
      result.revert = { ...result.revert, errorName: result.revert.errorName ?? 'OutOfGas' }
    if (opts.allowRevert) return result
    const name = result.revert.errorName
    throw new NodeError(
      CHAIN_ERROR_CODES.reverted,
      name ? `the transaction reverted with ${name}` : 'the transaction reverted',
      {
        details: {
          ...result.revert,
          txHash: result.txHash,
          nonce,
          from: address,
          to: call.to,
          blockNumber: result.blockNumber.toString(),
          gasUsed: result.gasUsed.toString(),
        },
        status: 422,
      },
    )
  }

  return { address, chainId, nonces, account, submit }
}
