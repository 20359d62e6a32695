// Chain failures as typed NodeErrors with stable codes. viem's errors are walked (they nest: a
// TransactionExecutionError wraps an InsufficientFundsError wraps an RpcRequestError) and mapped;
// revert data is decoded to the STV3 custom error name. RPC URLs and raw messages are not copied
// into messages or details (URLs may carry provider keys): only error class names and codes.
import {
  BaseError,
  ContractFunctionRevertedError,
  ExecutionRevertedError,
  FeeCapTooHighError,
  FeeCapTooLowError,
  type Hex,
  InsufficientFundsError,
  IntrinsicGasTooHighError,
  IntrinsicGasTooLowError,
  NonceMaxValueError,
  NonceTooHighError,
  NonceTooLowError,
  TipAboveFeeCapError,
  TransactionTypeNotSupportedError,
  WaitForTransactionReceiptTimeoutError,
} from 'viem'
import { NodeError } from '../errors.ts'
import { decodeStv3Error, revertDataOf } from './stv3.ts'

export const CHAIN_ERROR_CODES = {
  /** eth_call / estimateGas from the MPC address reverts: no ceremony was started. */
  preflightRevert: 'CHAIN_PREFLIGHT_REVERT',
  /** An STV3 view (canTransfer) said no: no ceremony was started. */
  preflightRefused: 'CHAIN_PREFLIGHT_REFUSED',
  /** Mined with status 0. */
  reverted: 'CHAIN_REVERTED',
  insufficientFunds: 'CHAIN_INSUFFICIENT_FUNDS',
  nonceConflict: 'CHAIN_NONCE_CONFLICT',
  /** Another transaction took the nonce (replaced or cancelled). */
  replaced: 'CHAIN_REPLACED',
  /** No receipt in time; the transaction may still land. */
  timeout: 'CHAIN_TIMEOUT',
  /** The RPC endpoint failed or answered unexpectedly. */
  rpc: 'CHAIN_RPC_ERROR',
  /** The node rejected the transaction for a fee, gas or type reason. */
  txRejected: 'CHAIN_TX_REJECTED',
  /** The RPC endpoint serves another chain id. */
  wrongNetwork: 'CHAIN_WRONG_NETWORK',
  /** The threshold signer (ceremony) failed. */
  signingFailed: 'CHAIN_SIGNING_FAILED',
  /** The ceremony's signature does not recover to the account's address. */
  signatureMismatch: 'CHAIN_SIGNATURE_MISMATCH',
  badSignature: 'CHAIN_BAD_SIGNATURE',
  /** Typed data, legacy/EIP-4844/EIP-7702 transactions. */
  signUnsupported: 'CHAIN_SIGN_UNSUPPORTED',
} as const

export type ChainErrorCode = (typeof CHAIN_ERROR_CODES)[keyof typeof CHAIN_ERROR_CODES]

export type RevertInfo = {
  /** The custom error (e.g. NotValidDIDOf), `Error`, `Panic`; undefined when not decodable. */
  errorName?: string
  /** Arguments as strings (JSON-safe). */
  args: string[]
  selector?: Hex
  data?: Hex
}

/** Arguments of a decoded error, JSON-safe. */
export function jsonSafeArgs(args: readonly unknown[]): string[] {
  return args.map((a) =>
    typeof a === 'string' ? a : typeof a === 'bigint' ? a.toString() : JSON.stringify(a),
  )
}

type NodeErrorClass = (abstract new (...a: never[]) => BaseError) & { nodeMessage?: RegExp }

/** The node's own error texts along the cause chain, lowercased (actions like sendRawTransaction do not classify them). */
function nodeMessages(err: unknown): string[] {
  const out: string[] = []
  if (err instanceof BaseError) {
    err.walk((e) => {
      const details = (e as { details?: unknown }).details
      if (typeof details === 'string' && details !== '') out.push(details.toLowerCase())
      return false
    })
  }
  return out
}

/** `err` is, wraps, or (by the node's message) amounts to an error of class `cls`. */
function find(err: unknown, cls: NodeErrorClass): boolean {
  if (err instanceof cls) return true
  if (!(err instanceof BaseError)) return false
  if (err.walk((e) => e instanceof cls) !== null) return true
  const re = cls.nodeMessage
  return re !== undefined && nodeMessages(err).some((m) => re.test(m))
}

/** Decode revert data to a RevertInfo (unknown selectors give no errorName). */
export function revertInfoOfData(data: Hex | undefined): RevertInfo {
  if (data === undefined || data.length < 10) return { args: [] }
  try {
    const d = decodeStv3Error(data)
    return { errorName: d.errorName, args: jsonSafeArgs(d.args), selector: d.selector, data }
  } catch {
    return { args: [], selector: data.slice(0, 10) as Hex, data }
  }
}

/** If `err` is an execution revert (eth_call, estimateGas), what reverted; else undefined. */
export function revertInfoOf(err: unknown): RevertInfo | undefined {
  if (find(err, InsufficientFundsError)) return undefined
  const data = revertDataOf(err)
  if (data !== undefined) return revertInfoOfData(data)
  // By class only: ExecutionRevertedError's message pattern also matches "gas required exceeds allowance".
  // JSON-RPC code 3 is "execution reverted" (EIP-1474).
  const isRevert = (e: unknown) =>
    e instanceof ExecutionRevertedError ||
    e instanceof ContractFunctionRevertedError ||
    (e as { code?: unknown } | null)?.code === 3
  const reverted = isRevert(err) || (err instanceof BaseError && err.walk(isRevert) !== null)
  return reverted ? { args: [] } : undefined
}

/** The innermost viem error name, for details (never the message: it may carry the RPC URL). */
function reasonOf(err: unknown): string {
  if (err instanceof BaseError) {
    const inner = err.walk()
    return (inner as { name?: string }).name ?? err.name
  }
  return err instanceof Error ? err.name : typeof err
}

const TX_REJECTIONS = [
  FeeCapTooLowError,
  FeeCapTooHighError,
  TipAboveFeeCapError,
  IntrinsicGasTooLowError,
  IntrinsicGasTooHighError,
  TransactionTypeNotSupportedError,
] as const

/**
 * Map a failure of an RPC action to a typed error. NodeErrors pass through. Reverts are not judged
 * here (the caller knows whether it was a preflight or a mined transaction): see revertInfoOf.
 */
export function toChainError(err: unknown, details: Record<string, unknown> = {}): NodeError {
  if (err instanceof NodeError) return err
  if (find(err, InsufficientFundsError)) {
    return new NodeError(
      CHAIN_ERROR_CODES.insufficientFunds,
      'the MPC address cannot pay gas * fee + value',
      {
        hints: ['fund the address or lower the value'],
        details,
        cause: err,
        status: 422,
      },
    )
  }
  for (const cls of [NonceTooLowError, NonceTooHighError, NonceMaxValueError]) {
    if (find(err, cls)) {
      return new NodeError(CHAIN_ERROR_CODES.nonceConflict, 'the nonce does not fit the chain', {
        hints: ['the nonce manager resynchronises from the chain; submit again'],
        details: { ...details, reason: cls.name },
        cause: err,
        status: 409,
      })
    }
  }
  if (find(err, WaitForTransactionReceiptTimeoutError)) {
    return new NodeError(CHAIN_ERROR_CODES.timeout, 'no receipt before the timeout', {
      hints: ['the transaction may still be mined: look it up by txHash before resubmitting'],
      details,
      cause: err,
      status: 504,
    })
  }
  for (const cls of TX_REJECTIONS) {
    if (find(err, cls)) {
      return new NodeError(CHAIN_ERROR_CODES.txRejected, 'the node rejected the transaction', {
        details: { ...details, reason: cls.name },
        cause: err,
        status: 422,
      })
    }
  }
  return new NodeError(CHAIN_ERROR_CODES.rpc, 'the chain RPC call failed', {
    hints: ['check that the RPC endpoint is reachable and serves the configured chain'],
    details: { ...details, reason: reasonOf(err) },
    cause: err,
    status: 502,
  })
}
