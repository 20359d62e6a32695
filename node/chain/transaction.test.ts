import { secp256k1 } from '@noble/curves/secp256k1.js'
import {
  bytesToBigInt,
  getAddress,
  type Hex,
  hashMessage,
  hexToBytes,
  keccak256,
  parseTransaction,
  recoverMessageAddress,
  serializeTransaction,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { isNodeError } from '../errors.ts'
import {
  assembleMessageSignature,
  assembleSignedTransaction,
  type EcdsaSignature,
  formatTransactionRequest,
  messageDigest,
  normalizeSignature,
  parseMessageRequest,
  parseSigningRequest,
  parseTransactionRequest,
  recoverTransactionSigner,
  SECP256K1_N,
  toSignableTransaction,
  transactionDigest,
} from './transaction.ts'

const KEY: Hex = `0x${'11'.repeat(32)}`
const account = privateKeyToAccount(KEY)
const TO = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

const valid = () => ({
  chainId: 31337,
  nonce: 7,
  to: TO,
  value: '1000000000000000000',
  data: '0xa9059cbb',
  gas: '0x5208',
  maxFeePerGas: '2000000000',
  maxPriorityFeePerGas: '0x3b9aca00',
})

/** Sign a digest with a plain key (stand-in for a ceremony). */
function signDigest(digest: Hex): EcdsaSignature {
  const sig = secp256k1.sign(hexToBytes(digest), hexToBytes(KEY), { prehash: false, format: 'recovered' })
  return {
    r: bytesToBigInt(sig.subarray(1, 33)),
    s: bytesToBigInt(sig.subarray(33, 65)),
    yParity: sig[0] as 0 | 1,
  }
}

function expectCode(f: () => unknown, code: string, field?: string) {
  try {
    f()
  } catch (e) {
    if (!isNodeError(e)) throw e
    expect(e.code).toBe(code)
    if (field !== undefined) expect(e.details.field).toBe(field)
    return
  }
  throw new Error(`expected ${code}`)
}

describe('parseTransactionRequest', () => {
  it('parses decimal and hex quantities into an EIP-1559 transaction', () => {
    const tx = parseTransactionRequest(valid())
    expect(tx).toEqual({
      type: 'eip1559',
      chainId: 31337,
      nonce: 7,
      to: TO,
      value: 10n ** 18n,
      data: '0xa9059cbb',
      gas: 21000n,
      maxFeePerGas: 2_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    })
    expect(parseTransactionRequest(formatTransactionRequest(tx))).toEqual(tx)
  })

  it('accepts all-lowercase addresses and returns them checksummed; keeps an access list', () => {
    const key = `0x${'ab'.repeat(32)}`
    const tx = parseTransactionRequest({
      ...valid(),
      to: TO.toLowerCase(),
      type: '0x2',
      accessList: [{ address: TO.toLowerCase(), storageKeys: [key] }],
    })
    expect(tx.to).toBe(TO)
    expect(tx.accessList).toEqual([{ address: TO, storageKeys: [key] }])
    expect(parseTransactionRequest(formatTransactionRequest(tx))).toEqual(tx)
  })

  const cases: [string, Record<string, unknown>, string, string?][] = [
    ['negative value', { value: '-1' }, 'TX_INVALID_FIELD', 'value'],
    ['non-integer value', { value: '1.5' }, 'TX_INVALID_FIELD', 'value'],
    ['exponent value', { value: '1e18' }, 'TX_INVALID_FIELD', 'value'],
    ['numeric value (precision)', { value: 1 }, 'TX_INVALID_FIELD', 'value'],
    ['leading-zero decimal', { value: '01' }, 'TX_INVALID_FIELD', 'value'],
    ['value over 2^256', { value: `0x1${'0'.repeat(64)}` }, 'TX_INVALID_FIELD', 'value'],
    ['value 2^256 decimal', { value: (1n << 256n).toString() }, 'TX_INVALID_FIELD', 'value'],
    ['bad hex value', { value: '0xzz' }, 'TX_INVALID_FIELD', 'value'],
    ['empty hex value', { value: '0x' }, 'TX_INVALID_FIELD', 'value'],
    ['gas over 2^64', { gas: (1n << 64n).toString() }, 'TX_INVALID_FIELD', 'gas'],
    ['gas below 21000', { gas: '20999' }, 'TX_INVALID_FIELD', 'gas'],
    [
      'priority fee above max fee',
      { maxPriorityFeePerGas: '2000000001' },
      'TX_INVALID_FIELD',
      'maxPriorityFeePerGas',
    ],
    ['negative nonce', { nonce: -1 }, 'TX_INVALID_FIELD', 'nonce'],
    ['fractional nonce', { nonce: 1.5 }, 'TX_INVALID_FIELD', 'nonce'],
    ['string nonce', { nonce: '1' }, 'TX_INVALID_FIELD', 'nonce'],
    ['unsafe nonce', { nonce: 2 ** 53 }, 'TX_INVALID_FIELD', 'nonce'],
    ['chainId 0', { chainId: 0 }, 'TX_INVALID_FIELD', 'chainId'],
    ['bad checksum', { to: '0x70997970c51812dc3A010C7d01b50e0d17dc79C8' }, 'TX_INVALID_FIELD', 'to'],
    ['short address', { to: '0x1234' }, 'TX_INVALID_FIELD', 'to'],
    ['odd-length data', { data: '0xabc' }, 'TX_INVALID_FIELD', 'data'],
    ['data without 0x', { data: 'abcd' }, 'TX_INVALID_FIELD', 'data'],
    ['oversize data', { data: `0x${'00'.repeat(128 * 1024 + 1)}` }, 'TX_INVALID_FIELD', 'data'],
    ['legacy type', { type: 'legacy' }, 'TX_INVALID_FIELD', 'type'],
    ['gasPrice', { gasPrice: '1' }, 'TX_UNKNOWN_FIELD', 'gasPrice'],
    ['from', { from: TO }, 'TX_UNKNOWN_FIELD', 'from'],
    ['missing to', { to: undefined }, 'TX_MISSING_FIELD', 'to'],
    ['null gas', { gas: null }, 'TX_MISSING_FIELD', 'gas'],
    [
      'bad storage key',
      { accessList: [{ address: TO, storageKeys: ['0x01'] }] },
      'TX_INVALID_FIELD',
      'accessList[0].storageKeys[0]',
    ],
    [
      'access list extra key',
      { accessList: [{ address: TO, storageKeys: [], x: 1 }] },
      'TX_UNKNOWN_FIELD',
      'accessList[0].x',
    ],
  ]
  it.each(cases)('rejects %s', (_name, patch, code, field) => {
    expectCode(() => parseTransactionRequest({ ...valid(), ...patch }), code, field)
  })

  it('rejects non-objects', () => {
    for (const v of [null, 1, 'tx', [valid()]])
      expectCode(() => parseTransactionRequest(v), 'TX_INVALID_REQUEST')
  })
})

describe('messages', () => {
  it('parses string and raw messages and tells requests apart', () => {
    expect(parseMessageRequest({ message: 'hello' })).toBe('hello')
    expect(parseMessageRequest({ message: { raw: '0xDEAD' } })).toEqual({ raw: '0xdead' })
    expect(parseSigningRequest({ message: 'hi' })).toEqual({ kind: 'message', message: 'hi' })
    expect(parseSigningRequest(valid()).kind).toBe('transaction')
    expectCode(() => parseMessageRequest({ message: { raw: '0xabc' } }), 'TX_INVALID_FIELD', 'message.raw')
    expectCode(() => parseMessageRequest({ message: 5 }), 'TX_INVALID_FIELD', 'message')
    expectCode(
      () => parseMessageRequest({ message: 'x'.repeat(64 * 1024 + 1) }),
      'TX_INVALID_FIELD',
      'message',
    )
    expectCode(() => parseMessageRequest({ message: 'x', to: TO }), 'TX_UNKNOWN_FIELD', 'to')
  })

  it('assembles an EIP-191 signature that viem recovers and that equals a local account signature', async () => {
    for (const message of ['hello STV3', { raw: '0x00ff' as Hex }]) {
      const digest = messageDigest(message)
      expect(digest).toBe(hashMessage(message))
      const sig = assembleMessageSignature(signDigest(digest))
      expect(await recoverMessageAddress({ message, signature: sig })).toBe(account.address)
      expect(sig).toBe(await account.signMessage({ message }))
    }
  })
})

describe('digests and signed transactions', () => {
  it('digest = keccak256(unsigned serialization); the assembled tx equals viem local signing', async () => {
    const tx = parseTransactionRequest(valid())
    const digest = transactionDigest(tx)
    expect(digest).toBe(keccak256(serializeTransaction(tx)))
    const signed = assembleSignedTransaction(tx, signDigest(digest))
    expect(signed).toBe(await account.signTransaction(tx))
    expect(await recoverTransactionSigner(signed)).toBe(account.address)
    const parsed = parseTransaction(signed)
    expect(parsed.nonce).toBe(7)
    expect(getAddress(parsed.to!)).toBe(TO)
  })

  it('normalises a high-s signature (s = n - s, yParity flipped)', async () => {
    const tx = parseTransactionRequest(valid())
    const low = signDigest(transactionDigest(tx))
    const high: EcdsaSignature = { r: low.r, s: SECP256K1_N - low.s, yParity: low.yParity === 0 ? 1 : 0 }
    expect(normalizeSignature(high)).toEqual(low)
    const signed = assembleSignedTransaction(tx, high)
    expect(signed).toBe(assembleSignedTransaction(tx, low))
    expect(BigInt(parseTransaction(signed).s!)).toBe(low.s)
    expect(await recoverTransactionSigner(signed)).toBe(account.address)
  })

  it('rejects out-of-range signatures', () => {
    const ok = { r: 1n, s: 1n, yParity: 0 as const }
    expectCode(() => normalizeSignature({ ...ok, r: 0n }), 'CHAIN_BAD_SIGNATURE')
    expectCode(() => normalizeSignature({ ...ok, s: SECP256K1_N }), 'CHAIN_BAD_SIGNATURE')
    expectCode(() => normalizeSignature({ ...ok, yParity: 2 as 0 }), 'CHAIN_BAD_SIGNATURE')
  })

  it('signs only the transaction fields: stray signature and sender fields are dropped', () => {
    const tx = parseTransactionRequest(valid())
    const dirty = { ...tx, from: TO, r: `0x${'01'.repeat(32)}`, s: `0x${'02'.repeat(32)}`, yParity: 1 }
    expect(transactionDigest(toSignableTransaction(dirty as never))).toBe(transactionDigest(tx))
    expectCode(
      () => toSignableTransaction({ to: TO, gasPrice: 1n, nonce: 0, gas: 21000n }),
      'CHAIN_SIGN_UNSUPPORTED',
    )
    expectCode(
      () =>
        toSignableTransaction({
          chainId: 1,
          to: TO,
          maxFeePerGas: 2n,
          maxPriorityFeePerGas: 1n,
          gas: 21000n,
        }),
      'TX_MISSING_FIELD',
      'nonce',
    )
  })
})
