// The body of `POST /v1/keys/{keyId}/transactions`, validated in one place: a call the node completes
// (nonce, fees, gas) or an STV3 operation by name, never both. `parseSubmitInput` checks the JSON
// shape (the API boundary); `resolveSubmit` turns a valid input into the call the submitter sends.
// Pure: no I/O.
import { type Address, type Hex, isHex } from 'viem'
import {
  DEFAULT_ADMIN_ROLE,
  encodeStv3Operation,
  FINANCIAL_OPERATOR,
  RECOVERY_OPERATOR,
  type Stv3Operation,
  WRITER_ROLE,
} from '../../chain/stv3.ts'
import type { SubmitCall } from '../../chain/submitter.ts'
import { MIN_GAS, parseAddress, parseQuantity, TX_LIMITS } from '../../chain/transaction.ts'
import { NodeError } from '../../errors.ts'
import type { Stv3OperationInput, SubmitInput, SubmitTransactionInput } from '../types.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{32,128}$/
const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/
const PATH = /^m(?:\/(?:0|[1-9][0-9]{0,9}))*$/
const MAX_STRING = 1024
const UINT64_MAX = (1n << 64n) - 1n

/** A 400 naming the offending field (the API's error code for malformed bodies). */
export function invalidSubmit(field: string, reason: string, hints: string[] = []): NodeError {
  return new NodeError('API_INVALID_BODY', `${field}: ${reason}`, { details: { field }, hints, status: 400 })
}

function object(v: unknown, field: string): Obj {
  if (!isObj(v)) throw invalidSubmit(field, 'expected a JSON object')
  return v
}

function onlyKeys(o: Obj, allowed: readonly string[], prefix: string): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) throw invalidSubmit(`${prefix}${k}`, 'unknown field')
}

/** Fields a caller may not set: the node owns them. */
const NODE_FILLED = ['nonce', 'maxFeePerGas', 'maxPriorityFeePerGas'] as const

function address(v: unknown, field: string): string {
  if (v === undefined) throw invalidSubmit(field, 'missing')
  try {
    return parseAddress(field, v)
  } catch {
    throw invalidSubmit(field, 'expected a 0x-prefixed 20-byte address (EIP-55 checksum if mixed case)')
  }
}

function quantity(v: unknown, field: string, max?: bigint): string {
  if (v === undefined) throw invalidSubmit(field, 'missing')
  try {
    parseQuantity(field, v, max)
  } catch {
    throw invalidSubmit(field, 'expected a non-negative integer as a decimal or 0x-hex string')
  }
  return v as string
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_STRING) {
    throw invalidSubmit(field, `expected a non-empty string of at most ${MAX_STRING} characters`)
  }
  return v
}

function parseTransaction(v: unknown): SubmitTransactionInput {
  const o = object(v, 'transaction')
  for (const f of NODE_FILLED) {
    if (o[f] !== undefined) {
      throw invalidSubmit(`transaction.${f}`, 'the node fills this field', [
        'omit nonce and fees: the node takes the key’s next nonce and prices the transaction from the chain',
      ])
    }
  }
  onlyKeys(o, ['to', 'data', 'value', 'gas', 'chainId'], 'transaction.')
  const tx: SubmitTransactionInput = { to: address(o.to, 'transaction.to') }
  if (o.data !== undefined) {
    if (typeof o.data !== 'string' || !/^0x(?:[0-9a-fA-F]{2})*$/.test(o.data)) {
      throw invalidSubmit('transaction.data', 'expected 0x-hex bytes')
    }
    if ((o.data.length - 2) / 2 > TX_LIMITS.dataBytes) {
      throw invalidSubmit('transaction.data', `longer than ${TX_LIMITS.dataBytes} bytes`)
    }
    tx.data = o.data.toLowerCase()
  }
  if (o.value !== undefined) tx.value = quantity(o.value, 'transaction.value')
  if (o.gas !== undefined) {
    tx.gas = quantity(o.gas, 'transaction.gas', UINT64_MAX)
    if (BigInt(tx.gas) < MIN_GAS) throw invalidSubmit('transaction.gas', `must be at least ${MIN_GAS}`)
  }
  if (o.chainId !== undefined) {
    if (typeof o.chainId !== 'number' || !Number.isSafeInteger(o.chainId) || o.chainId < 1) {
      throw invalidSubmit('transaction.chainId', 'expected a positive integer')
    }
    tx.chainId = o.chainId
  }
  return tx
}

/** Argument fields of each operation: [name, kind]; a trailing `?` marks an optional one. */
const OPERATIONS: Record<Stv3OperationInput['op'], readonly string[]> = {
  issue: ['amount:quantity'],
  redeem: ['amount:quantity'],
  transfer: ['to:address', 'amount:quantity'],
  transferFromTreasury: ['to:address', 'amount:quantity'],
  forcedTransfer: ['from:address', 'to:address', 'amount:quantity'],
  setFrozenTokens: ['account:address', 'amount:quantity'],
  pauseToken: [],
  unpauseToken: [],
  grantTokenRole: ['role:role', 'account:address'],
  revokeTokenRole: ['role:role', 'account:address'],
  createDID: ['uDID:text', 'wallet:address', 'validTo?:quantity', 'blocked?:boolean'],
  linkWallet: ['existingWallet:address', 'newWallet:address'],
  removeLinkedAddress: ['wallet:address'],
  setAttribute: ['wallet:address', 'name:text', 'value:bytes', 'valueType:text', 'validTo?:quantity'],
  prolongateDID: ['uDID:text', 'validTo:quantity'],
  blockDID: ['uDID:text', 'reason:text'],
  unblockDID: ['uDID:text', 'reason:text'],
}

const TOKEN_OPS = new Set<string>([
  'issue',
  'redeem',
  'transfer',
  'transferFromTreasury',
  'forcedTransfer',
  'setFrozenTokens',
  'pauseToken',
  'unpauseToken',
  'grantTokenRole',
  'revokeTokenRole',
])

const ROLES: Record<string, Hex> = {
  DEFAULT_ADMIN_ROLE,
  FINANCIAL_OPERATOR,
  RECOVERY_OPERATOR,
  WRITER_ROLE,
}

function role(v: unknown, field: string): string {
  if (typeof v === 'string' && (v in ROLES || /^0x[0-9a-fA-F]{64}$/.test(v))) return v
  throw invalidSubmit(field, `expected ${Object.keys(ROLES).join(', ')} or a 32-byte 0x-hex role id`)
}

function parseOperation(v: unknown): Stv3OperationInput {
  const o = object(v, 'operation')
  const op = o.op
  if (typeof op !== 'string' || !Object.hasOwn(OPERATIONS, op)) {
    throw invalidSubmit('operation.op', `expected one of ${Object.keys(OPERATIONS).join(', ')}`)
  }
  const specs = OPERATIONS[op as Stv3OperationInput['op']]
  const names = specs.map((s) => s.split(':')[0]!.replace('?', ''))
  onlyKeys(o, ['op', ...names], 'operation.')
  const out: Obj = { op }
  for (const spec of specs) {
    const [rawName, kind] = spec.split(':') as [string, string]
    const name = rawName.replace('?', '')
    const field = `operation.${name}`
    const value = o[name]
    if (value === undefined) {
      if (rawName.endsWith('?')) continue
      throw invalidSubmit(field, 'missing')
    }
    if (kind === 'address') out[name] = address(value, field)
    else if (kind === 'quantity') out[name] = quantity(value, field)
    else if (kind === 'text') out[name] = text(value, field)
    else if (kind === 'role') out[name] = role(value, field)
    else if (kind === 'boolean') {
      if (typeof value !== 'boolean') throw invalidSubmit(field, 'expected true or false')
      out[name] = value
    } else if (kind === 'bytes') {
      if (typeof value !== 'string' || !isHex(value, { strict: true }) || value.length % 2 !== 0) {
        throw invalidSubmit(field, 'expected 0x-hex bytes')
      }
      out[name] = value
    }
  }
  return out as Stv3OperationInput
}

function parseContracts(v: unknown): { token?: string; didRegistry?: string } {
  const o = object(v, 'contracts')
  onlyKeys(o, ['token', 'didRegistry'], 'contracts.')
  const out: { token?: string; didRegistry?: string } = {}
  if (o.token !== undefined) out.token = address(o.token, 'contracts.token')
  if (o.didRegistry !== undefined) out.didRegistry = address(o.didRegistry, 'contracts.didRegistry')
  return out
}

const SUBMIT_FIELDS = [
  'transaction',
  'operation',
  'contracts',
  'skipPreflight',
  'signers',
  'request',
  'approvals',
  'derivationPath',
] as const

/** Validate a submit body. Every failure is a 400 API_INVALID_BODY naming the field. */
export function parseSubmitInput(body: unknown): SubmitInput {
  const o = object(body, '(body)')
  if (o.message !== undefined) throw invalidSubmit('message', 'cannot submit a message')
  onlyKeys(o, SUBMIT_FIELDS, '')
  const kinds = (['transaction', 'operation', 'request'] as const).filter((k) => o[k] !== undefined)
  if (kinds.length !== 1) {
    throw invalidSubmit(
      kinds.length === 0 ? '(body)' : kinds[1]!,
      'expected exactly one of transaction, operation or request',
    )
  }
  const input: SubmitInput = {}
  if (o.transaction !== undefined) input.transaction = parseTransaction(o.transaction)
  if (o.operation !== undefined) {
    input.operation = parseOperation(o.operation)
    const contracts = parseContracts(o.contracts)
    const needs = TOKEN_OPS.has(input.operation.op) ? 'token' : 'didRegistry'
    if (contracts[needs] === undefined) {
      throw invalidSubmit(`contracts.${needs}`, `missing: ${input.operation.op} is sent to the ${needs}`)
    }
    input.contracts = contracts
  } else if (o.contracts !== undefined) {
    throw invalidSubmit('contracts', 'only with operation')
  }
  if (o.request !== undefined) {
    if (typeof o.request !== 'string' || o.request.length > 64 * 1024 || !JWS.test(o.request)) {
      throw invalidSubmit('request', 'expected a compact JWS')
    }
    input.request = o.request
  }
  if (o.approvals !== undefined) {
    if (!Array.isArray(o.approvals) || o.approvals.length > 32) {
      throw invalidSubmit('approvals', 'expected an array of at most 32 compact JWSs')
    }
    input.approvals = o.approvals.map((a, i) => {
      if (typeof a !== 'string' || a.length > 64 * 1024 || !JWS.test(a)) {
        throw invalidSubmit(`approvals[${i}]`, 'expected a compact JWS')
      }
      return a
    })
  }
  if (o.signers !== undefined) {
    if (!Array.isArray(o.signers) || o.signers.length < 1 || o.signers.length > 64) {
      throw invalidSubmit('signers', 'expected an array of 1 to 64 peer ids')
    }
    input.signers = o.signers.map((p, i) => {
      if (typeof p !== 'string' || !PEER_ID.test(p))
        throw invalidSubmit(`signers[${i}]`, 'expected a peer id')
      return p
    })
  }
  if (o.derivationPath !== undefined) {
    if (typeof o.derivationPath !== 'string' || !PATH.test(o.derivationPath)) {
      throw invalidSubmit('derivationPath', 'expected a non-hardened BIP32 path such as m/0/7')
    }
    input.derivationPath = o.derivationPath
  }
  if (o.skipPreflight !== undefined) {
    if (typeof o.skipPreflight !== 'boolean') throw invalidSubmit('skipPreflight', 'expected true or false')
    input.skipPreflight = o.skipPreflight
  }
  return input
}

/** The named operation in the domain form encodeStv3Operation takes. Input must be valid. */
export function toStv3Operation(o: Stv3OperationInput): Stv3Operation {
  const a = (v: string) => v as Address
  const n = (v: string) => BigInt(v)
  switch (o.op) {
    case 'issue':
    case 'redeem':
      return { op: o.op, amount: n(o.amount) }
    case 'transfer':
    case 'transferFromTreasury':
      return { op: o.op, to: a(o.to), amount: n(o.amount) }
    case 'forcedTransfer':
      return { op: o.op, from: a(o.from), to: a(o.to), amount: n(o.amount) }
    case 'setFrozenTokens':
      return { op: o.op, account: a(o.account), amount: n(o.amount) }
    case 'pauseToken':
    case 'unpauseToken':
      return { op: o.op }
    case 'grantTokenRole':
    case 'revokeTokenRole':
      return { op: o.op, role: ROLES[o.role] ?? (o.role.toLowerCase() as Hex), account: a(o.account) }
    case 'createDID': {
      const out: Stv3Operation = { op: 'createDID', uDID: o.uDID, wallet: a(o.wallet) }
      if (o.validTo !== undefined) out.validTo = n(o.validTo)
      if (o.blocked !== undefined) out.blocked = o.blocked
      return out
    }
    case 'linkWallet':
      return { op: o.op, existingWallet: a(o.existingWallet), newWallet: a(o.newWallet) }
    case 'removeLinkedAddress':
      return { op: o.op, wallet: a(o.wallet) }
    case 'setAttribute':
      return {
        op: 'setAttribute',
        attribute: {
          wallet: a(o.wallet),
          name: o.name,
          value: o.value as Hex,
          valueType: o.valueType,
          ...(o.validTo === undefined ? {} : { validTo: n(o.validTo) }),
        },
      }
    case 'prolongateDID':
      return { op: o.op, uDID: o.uDID, validTo: n(o.validTo) }
    case 'blockDID':
    case 'unblockDID':
      return { op: o.op, uDID: o.uDID, reason: o.reason }
  }
}

export type ResolvedSubmit = {
  call: SubmitCall
  /** The chain id the caller expects, if it named one. */
  chainId?: number
  operation?: Stv3Operation
}

/** The call a valid transaction or operation input asks for (not for `request`). */
export function resolveSubmit(input: SubmitInput): ResolvedSubmit {
  if (input.operation !== undefined) {
    const operation = toStv3Operation(input.operation)
    const contracts = {
      token: (input.contracts?.token ?? '0x0000000000000000000000000000000000000000') as Address,
      didRegistry: (input.contracts?.didRegistry ?? '0x0000000000000000000000000000000000000000') as Address,
    }
    const call = encodeStv3Operation(contracts, operation)
    return { call: { to: call.to, data: call.data }, operation }
  }
  const tx = input.transaction
  if (tx === undefined) throw invalidSubmit('(body)', 'expected a transaction or an operation')
  const call: SubmitCall = { to: tx.to as Address, data: (tx.data ?? '0x') as Hex }
  if (tx.value !== undefined) call.value = BigInt(tx.value)
  if (tx.gas !== undefined) call.gas = BigInt(tx.gas)
  const out: ResolvedSubmit = { call }
  if (tx.chainId !== undefined) out.chainId = tx.chainId
  return out
}
