// What the node signs, as data: the EIP-1559 transaction and EIP-191 message shapes it accepts over
// its API, strict parsing into viem's types, the digests a ceremony signs, and the assembly of a
// threshold signature into a signed transaction (STACK.md trap 9). Pure: no I/O.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import {
  type AccessList,
  type Address,
  getAddress,
  getTransactionType,
  type Hex,
  hashMessage,
  keccak256,
  numberToHex,
  parseTransaction,
  recoverTransactionAddress,
  type SignableMessage,
  serializeSignature,
  serializeTransaction,
  type TransactionSerializable,
} from 'viem'
import { NodeError } from '../errors.ts'

/** The order of secp256k1. */
export const SECP256K1_N: bigint = secp256k1.Point.CURVE().n
const HALF_N = SECP256K1_N >> 1n
const UINT256_MAX = (1n << 256n) - 1n
const UINT64_MAX = (1n << 64n) - 1n
/** The smallest gas limit of any transaction (intrinsic cost). */
export const MIN_GAS = 21_000n

export const TX_LIMITS = {
  /** Calldata bytes (the usual txpool limit is 128 KiB for the whole transaction). */
  dataBytes: 128 * 1024,
  accessListEntries: 256,
  storageKeysPerEntry: 256,
  /** UTF-8 bytes of a string message, or bytes of a raw one. */
  messageBytes: 64 * 1024,
} as const

/** An EIP-1559 transaction as the node's API carries it (JSON). */
export type TransactionRequestJson = {
  chainId: number
  nonce: number
  to: Address
  /** Decimal or 0x-hex string. */
  value: string
  data: Hex
  gas: string
  maxFeePerGas: string
  maxPriorityFeePerGas: string
  accessList?: { address: Address; storageKeys: Hex[] }[]
  /** Optional; only "eip1559" or "0x2". */
  type?: 'eip1559' | '0x2'
}

/** An EIP-191 (personal_sign) message as the API carries it. */
export type MessageRequestJson = { message: string | { raw: Hex } }

/** A fully specified EIP-1559 transaction: what a ceremony signs. No `to` = contract creation. */
export type SignableTransaction = {
  type: 'eip1559'
  chainId: number
  nonce: number
  to?: Address
  value: bigint
  data: Hex
  gas: bigint
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
  accessList?: AccessList
}

export type SigningRequest =
  | { kind: 'transaction'; tx: SignableTransaction }
  | { kind: 'message'; message: SignableMessage }

export type EcdsaSignature = { r: bigint; s: bigint; yParity: 0 | 1 }

// ------------------------------------------------------------------ field validation

const invalid = (field: string, reason: string): NodeError =>
  new NodeError('TX_INVALID_FIELD', `invalid ${field}: ${reason}`, {
    details: { field, reason },
    status: 400,
  })

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new NodeError('TX_UNKNOWN_FIELD', `unknown field ${prefix}${key}`, {
        details: { field: `${prefix}${key}` },
        status: 400,
      })
    }
  }
}

function required(obj: Record<string, unknown>, field: string): unknown {
  const v = obj[field]
  if (v === undefined || v === null) {
    throw new NodeError('TX_MISSING_FIELD', `missing field ${field}`, { details: { field }, status: 400 })
  }
  return v
}

function parseSafeInt(field: string, v: unknown, min: number): number {
  if (typeof v !== 'number') throw invalid(field, 'must be an integer number')
  if (!Number.isInteger(v)) throw invalid(field, 'must be an integer')
  if (v < min) throw invalid(field, v < 0 ? 'must not be negative' : `must be at least ${min}`)
  if (!Number.isSafeInteger(v)) throw invalid(field, 'too large')
  return v
}

const DECIMAL = /^(0|[1-9][0-9]{0,77})$/
const HEX_QUANTITY = /^0x[0-9a-fA-F]{1,64}$/

/** A non-negative integer from a decimal or 0x-hex string, at most `max`. */
export function parseQuantity(field: string, v: unknown, max: bigint = UINT256_MAX): bigint {
  if (typeof v !== 'string') throw invalid(field, 'must be a decimal or 0x-hex string')
  if (v.startsWith('-')) throw invalid(field, 'must not be negative')
  if (/^[0-9]*[.eE]/.test(v)) throw invalid(field, 'must be an integer')
  if (!DECIMAL.test(v) && !HEX_QUANTITY.test(v)) {
    throw invalid(field, /^0x/i.test(v) ? 'bad hex quantity' : 'bad decimal quantity')
  }
  const n = BigInt(v)
  if (n > max) throw invalid(field, 'too large')
  return n
}

/** A 20-byte address; a mixed-case one must carry a valid EIP-55 checksum. Returns it checksummed. */
export function parseAddress(field: string, v: unknown): Address {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v)) {
    throw invalid(field, 'must be a 20-byte 0x-hex address')
  }
  const body = v.slice(2)
  const checksummed = getAddress(v)
  if (body !== body.toLowerCase() && body !== body.toUpperCase() && checksummed !== v) {
    throw invalid(field, 'bad EIP-55 checksum')
  }
  return checksummed
}

function parseBytes(field: string, v: unknown, maxBytes: number): Hex {
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) {
    throw invalid(field, 'must be 0x-hex with an even number of digits')
  }
  if ((v.length - 2) / 2 > maxBytes) throw invalid(field, `longer than ${maxBytes} bytes`)
  return v.toLowerCase() as Hex
}

function parseAccessList(v: unknown): AccessList {
  if (!Array.isArray(v)) throw invalid('accessList', 'must be an array')
  if (v.length > TX_LIMITS.accessListEntries) throw invalid('accessList', 'too many entries')
  return v.map((entry, i) => {
    const field = `accessList[${i}]`
    if (!isRecord(entry)) throw invalid(field, 'must be an object')
    onlyKeys(entry, ['address', 'storageKeys'], `${field}.`)
    const keys = required(entry, 'storageKeys')
    if (!Array.isArray(keys)) throw invalid(`${field}.storageKeys`, 'must be an array')
    if (keys.length > TX_LIMITS.storageKeysPerEntry) throw invalid(`${field}.storageKeys`, 'too many keys')
    return {
      address: parseAddress(`${field}.address`, required(entry, 'address')),
      storageKeys: keys.map((k, j) => {
        if (typeof k !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(k)) {
          throw invalid(`${field}.storageKeys[${j}]`, 'must be a 32-byte 0x-hex value')
        }
        return k.toLowerCase() as Hex
      }),
    }
  })
}

const TX_FIELDS = [
  'chainId',
  'nonce',
  'to',
  'value',
  'data',
  'gas',
  'maxFeePerGas',
  'maxPriorityFeePerGas',
  'accessList',
  'type',
] as const

/** Parse and validate an API transaction. Throws TX_INVALID_REQUEST / TX_MISSING_FIELD / TX_UNKNOWN_FIELD / TX_INVALID_FIELD. */
export function parseTransactionRequest(json: unknown): SignableTransaction & { to: Address } {
  if (!isRecord(json)) {
    throw new NodeError('TX_INVALID_REQUEST', 'a transaction must be a JSON object', { status: 400 })
  }
  onlyKeys(json, TX_FIELDS)
  if (json.type !== undefined && json.type !== 'eip1559' && json.type !== '0x2') {
    throw invalid('type', 'only EIP-1559 (type 2) transactions are signed')
  }
  const gas = parseQuantity('gas', required(json, 'gas'), UINT64_MAX)
  if (gas < MIN_GAS) throw invalid('gas', `must be at least ${MIN_GAS}`)
  const maxFeePerGas = parseQuantity('maxFeePerGas', required(json, 'maxFeePerGas'))
  const maxPriorityFeePerGas = parseQuantity('maxPriorityFeePerGas', required(json, 'maxPriorityFeePerGas'))
  if (maxPriorityFeePerGas > maxFeePerGas) throw invalid('maxPriorityFeePerGas', 'exceeds maxFeePerGas')
  const tx: SignableTransaction & { to: Address } = {
    type: 'eip1559',
    chainId: parseSafeInt('chainId', required(json, 'chainId'), 1),
    nonce: parseSafeInt('nonce', required(json, 'nonce'), 0),
    to: parseAddress('to', required(json, 'to')),
    value: parseQuantity('value', required(json, 'value')),
    data: parseBytes('data', required(json, 'data'), TX_LIMITS.dataBytes),
    gas,
    maxFeePerGas,
    maxPriorityFeePerGas,
  }
  if (json.accessList !== undefined) tx.accessList = parseAccessList(json.accessList)
  return tx
}

/** Parse an API message: `{ message: string }` (UTF-8) or `{ message: { raw: 0x-hex } }`. */
export function parseMessageRequest(json: unknown): SignableMessage {
  if (!isRecord(json)) {
    throw new NodeError('TX_INVALID_REQUEST', 'a message request must be a JSON object', { status: 400 })
  }
  onlyKeys(json, ['message'])
  const m = required(json, 'message')
  if (typeof m === 'string') {
    if (new TextEncoder().encode(m).length > TX_LIMITS.messageBytes) {
      throw invalid('message', `longer than ${TX_LIMITS.messageBytes} bytes`)
    }
    return m
  }
  if (!isRecord(m)) throw invalid('message', 'must be a string or { raw: 0x-hex }')
  onlyKeys(m, ['raw'], 'message.')
  return { raw: parseBytes('message.raw', required(m, 'raw'), TX_LIMITS.messageBytes) }
}

/** A request carrying `message` is a message; anything else must be a transaction. */
export function parseSigningRequest(json: unknown): SigningRequest {
  if (isRecord(json) && 'message' in json) return { kind: 'message', message: parseMessageRequest(json) }
  return { kind: 'transaction', tx: parseTransactionRequest(json) }
}

/** The API form of a transaction (the inverse of parseTransactionRequest), for co-signers and audit. */
export function formatTransactionRequest(tx: SignableTransaction): TransactionRequestJson {
  if (tx.to === undefined) {
    throw new NodeError('TX_INVALID_FIELD', 'contract creation has no API form', {
      details: { field: 'to', reason: 'missing' },
      status: 400,
    })
  }
  const out: TransactionRequestJson = {
    chainId: tx.chainId,
    nonce: tx.nonce,
    to: tx.to,
    value: tx.value.toString(),
    data: tx.data,
    gas: tx.gas.toString(),
    maxFeePerGas: tx.maxFeePerGas.toString(),
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas.toString(),
  }
  if (tx.accessList !== undefined) {
    out.accessList = tx.accessList.map((e) => ({ address: e.address, storageKeys: [...e.storageKeys] }))
  }
  return out
}

/**
 * Reduce a transaction viem hands an account to the exact fields that are signed (dropping `from`,
 * `account`, any stray signature fields). Only EIP-1559 with every fee, gas and nonce set is accepted.
 */
export function toSignableTransaction(tx: TransactionSerializable): SignableTransaction {
  let type: string
  try {
    type = tx.type ?? getTransactionType(tx)
  } catch {
    type = 'unknown'
  }
  if (type !== 'eip1559') {
    throw new NodeError('CHAIN_SIGN_UNSUPPORTED', `the threshold account signs EIP-1559 transactions only`, {
      details: { type },
      status: 400,
    })
  }
  const t = tx as TransactionSerializable & { maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint }
  const missing = (['chainId', 'nonce', 'gas', 'maxFeePerGas', 'maxPriorityFeePerGas'] as const).filter(
    (k) => t[k] === undefined,
  )
  if (missing.length > 0) {
    throw new NodeError('TX_MISSING_FIELD', `the transaction lacks ${missing.join(', ')}`, {
      details: { field: missing[0], fields: missing },
      status: 400,
    })
  }
  const out: SignableTransaction = {
    type: 'eip1559',
    chainId: t.chainId!,
    nonce: t.nonce!,
    value: t.value ?? 0n,
    data: t.data ?? '0x',
    gas: t.gas!,
    maxFeePerGas: t.maxFeePerGas!,
    maxPriorityFeePerGas: t.maxPriorityFeePerGas!,
  }
  if (t.to !== undefined && t.to !== null) out.to = getAddress(t.to)
  if (t.accessList !== undefined && t.accessList.length > 0) out.accessList = t.accessList
  return out
}

// ------------------------------------------------------------------ digests and signatures

/** The unsigned EIP-1559 serialization, as signed. */
export function serializeUnsigned(tx: SignableTransaction): Hex {
  return serializeTransaction(toSignableTransaction(tx))
}

/** keccak256 of the unsigned serialization: the 32 bytes a ceremony signs. */
export function transactionDigest(tx: SignableTransaction): Hex {
  return keccak256(serializeUnsigned(tx))
}

/** EIP-191 personal-message digest. */
export function messageDigest(message: SignableMessage): Hex {
  return hashMessage(message)
}

/** Range-check a signature and normalise to low s (s = n − s flips yParity). Throws CHAIN_BAD_SIGNATURE. */
export function normalizeSignature(sig: EcdsaSignature): EcdsaSignature {
  const bad = (reason: string) =>
    new NodeError('CHAIN_BAD_SIGNATURE', `the signature is malformed: ${reason}`, { details: { reason } })
  if (typeof sig.r !== 'bigint' || sig.r <= 0n || sig.r >= SECP256K1_N) throw bad('r out of range')
  if (typeof sig.s !== 'bigint' || sig.s <= 0n || sig.s >= SECP256K1_N) throw bad('s out of range')
  if (sig.yParity !== 0 && sig.yParity !== 1) throw bad('yParity must be 0 or 1')
  if (sig.s <= HALF_N) return { r: sig.r, s: sig.s, yParity: sig.yParity }
  return { r: sig.r, s: SECP256K1_N - sig.s, yParity: sig.yParity === 0 ? 1 : 0 }
}

const toViemSignature = (sig: EcdsaSignature) => {
  const n = normalizeSignature(sig)
  return { r: numberToHex(n.r, { size: 32 }), s: numberToHex(n.s, { size: 32 }), yParity: n.yParity }
}

/** The signed, serialized transaction (0x02 || rlp(..., yParity, r, s)), with s normalised. */
export function assembleSignedTransaction(tx: SignableTransaction, sig: EcdsaSignature): Hex {
  return serializeTransaction(toSignableTransaction(tx), toViemSignature(sig))
}

/** The 65-byte r || s || v (v = 27 + yParity) message signature, with s normalised. */
export function assembleMessageSignature(sig: EcdsaSignature): Hex {
  return serializeSignature(toViemSignature(sig))
}

/** The sender of a signed serialized transaction, recovered independently by viem. */
export async function recoverTransactionSigner(serialized: Hex): Promise<Address> {
  const parsed = parseTransaction(serialized)
  if (parsed.type !== 'eip1559') {
    throw new NodeError('TX_INVALID_REQUEST', 'not an EIP-1559 transaction', { status: 400 })
  }
  return getAddress(await recoverTransactionAddress({ serializedTransaction: serialized as `0x02${string}` }))
}
