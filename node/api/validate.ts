// Shape checks for request bodies, in one place: handlers only ever see validated inputs.
// Every failure is a 400 API_INVALID_BODY whose message starts with the offending field.
import type { MessageInput, SignInput, TransactionInput } from '../service/types.ts'
import { invalidBody } from './errors.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{32,128}$/
const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/
const QUANTITY = /^(?:0|[1-9][0-9]{0,77}|0x[0-9a-fA-F]{1,64})$/
const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/
const PATH = /^m(?:\/(?:0|[1-9][0-9]{0,9}))*$/
const MAX_COMMITTEE = 64
const MAX_JWS = 64 * 1024
const MAX_APPROVALS = 32

function object(v: unknown, field: string): Obj {
  if (!isObj(v)) throw invalidBody(field, 'expected a JSON object')
  return v
}

function onlyKeys(o: Obj, allowed: readonly string[], prefix: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw invalidBody(`${prefix}${k}`, 'unknown field')
  }
}

function peerIds(v: unknown, field: string, min: number): string[] {
  if (!Array.isArray(v) || v.length < min || v.length > MAX_COMMITTEE) {
    throw invalidBody(field, `expected an array of ${min} to ${MAX_COMMITTEE} peer ids`)
  }
  v.forEach((p, i) => {
    if (typeof p !== 'string' || !PEER_ID.test(p)) throw invalidBody(`${field}[${i}]`, 'expected a peer id')
  })
  if (new Set(v).size !== v.length) throw invalidBody(field, 'duplicate peer id')
  return v as string[]
}

function jws(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length > MAX_JWS || !JWS.test(v)) {
    throw invalidBody(field, 'expected a compact JWS')
  }
  return v
}

export function parseCreateKey(body: unknown): { committee: string[]; threshold: number } {
  const o = object(body, '(body)')
  onlyKeys(o, ['committee', 'threshold'], '')
  const committee = peerIds(o.committee, 'committee', 1)
  const t = o.threshold
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > committee.length) {
    throw invalidBody('threshold', `expected an integer from 1 to ${committee.length}`)
  }
  return { committee, threshold: t }
}

export function parsePresign(body: unknown): { count: number; signers?: string[] } {
  const o = object(body, '(body)')
  onlyKeys(o, ['count', 'signers'], '')
  const count = o.count
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100) {
    throw invalidBody('count', 'expected an integer from 1 to 100')
  }
  const out: { count: number; signers?: string[] } = { count }
  if (o.signers !== undefined) out.signers = peerIds(o.signers, 'signers', 2)
  return out
}

export function parseReshare(body: unknown): { committee: string[]; threshold: number; dealers?: string[] } {
  const o = object(body, '(body)')
  onlyKeys(o, ['committee', 'threshold', 'dealers'], '')
  const committee = peerIds(o.committee, 'committee', 2)
  const t = o.threshold
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 2 || t > committee.length) {
    throw invalidBody('threshold', `expected an integer from 2 to ${committee.length}`)
  }
  const out: { committee: string[]; threshold: number; dealers?: string[] } = { committee, threshold: t }
  if (o.dealers !== undefined) out.dealers = peerIds(o.dealers, 'dealers', 2)
  return out
}

function quantity(o: Obj, f: string, required: boolean): string | undefined {
  const v = o[f]
  if (v === undefined && !required) return undefined
  if (typeof v !== 'string' || !QUANTITY.test(v)) {
    throw invalidBody(`transaction.${f}`, 'expected a decimal or 0x-hex string')
  }
  return v
}

function safeInt(o: Obj, f: string, min: number): number {
  const v = o[f]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw invalidBody(`transaction.${f}`, `expected an integer >= ${min}`)
  }
  return v
}

export function parseTransaction(v: unknown): TransactionInput {
  const o = object(v, 'transaction')
  const fields = ['chainId', 'nonce', 'to', 'value', 'data', 'gas', 'maxFeePerGas', 'maxPriorityFeePerGas']
  onlyKeys(o, fields, 'transaction.')
  const chainId = safeInt(o, 'chainId', 1)
  const nonce = safeInt(o, 'nonce', 0)
  if (typeof o.to !== 'string' || !ADDRESS.test(o.to)) {
    throw invalidBody('transaction.to', 'expected a 0x-prefixed 20-byte address')
  }
  const tx: TransactionInput = {
    chainId,
    nonce,
    to: o.to,
    gas: quantity(o, 'gas', true) as string,
    maxFeePerGas: quantity(o, 'maxFeePerGas', true) as string,
    maxPriorityFeePerGas: quantity(o, 'maxPriorityFeePerGas', true) as string,
  }
  // Absent value and data mean 0 and empty (as in Ethereum): the service always gets both.
  tx.value = quantity(o, 'value', false) ?? '0'
  if (o.data !== undefined) {
    if (typeof o.data !== 'string' || !HEX_BYTES.test(o.data) || o.data.length > 2 + 2 * 128 * 1024) {
      throw invalidBody('transaction.data', 'expected 0x-hex bytes')
    }
  }
  tx.data = (o.data as string | undefined) ?? '0x'
  return tx
}

function message(v: unknown): MessageInput {
  if (typeof v === 'string') {
    if (v.length > 64 * 1024) throw invalidBody('message', 'longer than 65536 characters')
    return v
  }
  if (isObj(v)) {
    onlyKeys(v, ['raw'], 'message.')
    if (typeof v.raw === 'string' && HEX_BYTES.test(v.raw) && v.raw.length <= 2 + 2 * 64 * 1024) {
      return { raw: v.raw }
    }
  }
  throw invalidBody('message', 'expected a string or { raw: 0x-hex bytes }')
}

function derivationPath(v: unknown): string {
  if (typeof v !== 'string' || !PATH.test(v) || v.split('/').length > 256) {
    throw invalidBody('derivationPath', 'expected a non-hardened BIP32 path such as m/0/7')
  }
  if (v.split('/').some((s) => s !== 'm' && Number(s) >= 2 ** 31)) {
    throw invalidBody('derivationPath', 'indexes must be below 2^31 (non-hardened)')
  }
  return v
}

const SIGN_FIELDS = ['transaction', 'message', 'request', 'approvals', 'signers', 'derivationPath'] as const

/**
 * `POST /v1/keys/{keyId}/signatures` (any one of transaction, message, request) and
 * `POST /v1/keys/{keyId}/transactions` (`forSubmit`: a transaction or a request, never a bare message).
 */
export function parseSignInput(body: unknown, forSubmit = false): SignInput {
  const o = object(body, '(body)')
  onlyKeys(o, SIGN_FIELDS, '')
  const kinds = (['transaction', 'message', 'request'] as const).filter((k) => o[k] !== undefined)
  if (forSubmit && kinds.includes('message')) throw invalidBody('message', 'cannot submit a message')
  const wanted = forSubmit ? 'transaction or request' : 'transaction, message or request'
  if (kinds.length !== 1)
    throw invalidBody(kinds.length === 0 ? '(body)' : kinds[1], `expected exactly one of ${wanted}`)
  const input: SignInput = {}
  if (o.transaction !== undefined) input.transaction = parseTransaction(o.transaction)
  if (o.message !== undefined) input.message = message(o.message)
  if (o.request !== undefined) input.request = jws(o.request, 'request')
  if (o.approvals !== undefined) {
    if (!Array.isArray(o.approvals) || o.approvals.length > MAX_APPROVALS) {
      throw invalidBody('approvals', `expected an array of at most ${MAX_APPROVALS} compact JWSs`)
    }
    input.approvals = o.approvals.map((a, i) => jws(a, `approvals[${i}]`))
  }
  if (o.signers !== undefined) input.signers = peerIds(o.signers, 'signers', 1)
  if (o.derivationPath !== undefined) input.derivationPath = derivationPath(o.derivationPath)
  return input
}

const KEY_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** A key id from the URL path (already percent-decoded). */
export function parseKeyId(raw: string): string | undefined {
  return KEY_ID.test(raw) ? raw : undefined
}
