import {
  ExecutionRevertedError,
  encodeErrorResult,
  FeeCapTooLowError,
  HttpRequestError,
  InsufficientFundsError,
  RpcRequestError,
  TransactionExecutionError,
  WaitForTransactionReceiptTimeoutError,
} from 'viem'
import { describe, expect, it } from 'vitest'
import { HasDIDRule } from '../../contracts/gen/index.ts'
import { NodeError } from '../errors.ts'
import { revertInfoOf, toChainError } from './errors.ts'

const SECRET_URL = 'https://rpc.example/v3/SECRET-PROVIDER-KEY'
const WALLET = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

/** An error as sendRawTransaction surfaces it: the node's text only, unclassified by viem. */
const rpcError = (message: string, code = -32000, data?: unknown) =>
  new RpcRequestError({
    body: { method: 'eth_sendRawTransaction' },
    error: { code, message, data },
    url: SECRET_URL,
  })

describe('toChainError', () => {
  const cases: [string, unknown, string][] = [
    ['InsufficientFundsError', new InsufficientFundsError(), 'CHAIN_INSUFFICIENT_FUNDS'],
    [
      'a wrapped InsufficientFundsError',
      new TransactionExecutionError(new InsufficientFundsError(), { account: null }),
      'CHAIN_INSUFFICIENT_FUNDS',
    ],
    [
      "anvil's raw insufficient-funds text",
      rpcError('Insufficient funds for gas * price + value'),
      'CHAIN_INSUFFICIENT_FUNDS',
    ],
    ["the node's raw nonce-too-low text", rpcError('nonce too low'), 'CHAIN_NONCE_CONFLICT'],
    ["the node's raw nonce-too-high text", rpcError('nonce too high'), 'CHAIN_NONCE_CONFLICT'],
    [
      'a receipt timeout',
      new WaitForTransactionReceiptTimeoutError({ hash: `0x${'00'.repeat(32)}` }),
      'CHAIN_TIMEOUT',
    ],
    ['a fee cap below the base fee', new FeeCapTooLowError(), 'CHAIN_TX_REJECTED'],
    [
      'an unreachable endpoint',
      new HttpRequestError({ url: SECRET_URL, details: 'fetch failed' }),
      'CHAIN_RPC_ERROR',
    ],
    ['an unknown node error', rpcError('something else'), 'CHAIN_RPC_ERROR'],
    ['a plain Error', new Error('boom'), 'CHAIN_RPC_ERROR'],
  ]
  it.each(cases)('maps %s', (_name, err, code) => {
    const e = toChainError(err, { step: 'test' })
    expect(e.code).toBe(code)
    expect(e.details.step).toBe('test')
    // Provider keys in RPC URLs never reach the message or the details.
    expect(JSON.stringify(e.toJSON())).not.toContain('SECRET-PROVIDER-KEY')
  })

  it('passes NodeErrors through unchanged', () => {
    const original = new NodeError('POLICY_DENIED', 'no')
    expect(toChainError(original)).toBe(original)
  })
})

describe('revertInfoOf', () => {
  it('names the STV3 custom error in revert data', () => {
    const data = encodeErrorResult({ abi: HasDIDRule.abi, errorName: 'NotValidDIDOf', args: [WALLET] })
    const err = new ExecutionRevertedError({ cause: rpcError('execution reverted', 3, data) })
    expect(revertInfoOf(err)).toEqual({
      errorName: 'NotValidDIDOf',
      args: [WALLET],
      selector: data.slice(0, 10),
      data,
    })
  })

  it('reports a revert with unknown or no data without a name', () => {
    const unknown = new ExecutionRevertedError({ cause: rpcError('execution reverted', 3, '0xdeadbeef00') })
    expect(revertInfoOf(unknown)).toEqual({ selector: '0xdeadbeef', args: [], data: '0xdeadbeef00' })
    expect(revertInfoOf(new ExecutionRevertedError())).toEqual({ args: [] })
    expect(revertInfoOf(rpcError('execution reverted', 3))).toEqual({ args: [] })
  })

  it('is undefined for failures that are not reverts', () => {
    expect(revertInfoOf(new InsufficientFundsError())).toBeUndefined()
    expect(revertInfoOf(new HttpRequestError({ url: SECRET_URL }))).toBeUndefined()
    expect(revertInfoOf(rpcError('gas required exceeds allowance'))).toBeUndefined()
  })
})
