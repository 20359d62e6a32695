// The signing request: what a requester asks a key to sign, as the claims of a compact JWS
// signed by the requester's did:key (see node/identity/jws.ts).
//
//   {
//     "iss": "did:key:zQ3s…",           requester DID (the JWS signer)
//     "aud": "treasury-key-1",          key id that should sign
//     "iat": 1800000000, "exp": 1800000060, "nbf"?: …,   NumericDates; exp - iat is short
//     "jti": "01J…",                    unique id, remembered until exp (replay protection)
//     "op": "transfer",                 operation name judged by the policy
//     // exactly one of:
//     "transaction": {                  an EIP-1559 transaction, fields as decimal strings
//       "chainId": 42161, "nonce": 7, "to": "0x…", "value": "0", "data": "0xa9059cbb…",
//       "gas": "90000", "maxFeePerGas": "…", "maxPriorityFeePerGas": "…" },
//     "message": { "encoding": "utf8" | "hex", "value": "…" }     an EIP-191 personal message
//     // optional, only with a transaction: the requester's view of the STV3 call. The node
//     // decodes `transaction.data` itself and refuses the request when the two differ.
//     "call": { "contract": "0x…", "functionName": "transfer", "args": { "to": "0x…", "amount": "5" } }
//   }
//
// Addresses are compared lower-case; amounts are non-negative decimal strings (bigint-safe).
import { isJsonObject, type JsonObject, type JsonValue } from '../identity/canonical.ts'
import { isDid } from '../identity/did-key.ts'

export type Address = `0x${string}`
export type Hex = `0x${string}`

/** A decoded argument: addresses and bytes as lower-case hex, integers as decimal strings. */
export type CallArg = string | boolean | CallArg[]

export type DecodedCall = { contract: Address; functionName: string; args: Record<string, CallArg> }

export type TransactionContent = {
  chainId: number
  nonce: number
  to: Address
  value: string
  data: Hex
  gas: string
  maxFeePerGas: string
  maxPriorityFeePerGas: string
}

export type MessageContent = { encoding: 'utf8' | 'hex'; value: string }

export type RequestClaims = {
  iss: string
  aud: string
  iat: number
  exp: number
  nbf?: number
  jti: string
  op: string
  transaction?: TransactionContent
  message?: MessageContent
  call?: DecodedCall
}

export const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/
const DECIMAL = /^(?:0|[1-9][0-9]{0,77})$/
const OP = /^[a-z][a-z0-9-]{0,63}$/
const JTI = /^[A-Za-z0-9._:-]{8,128}$/

export type ClaimsResult = { ok: true; claims: RequestClaims } | { ok: false; message: string }

/** Checks the shape of request claims (not time, audience or replay: see verify-request.ts). */
export function parseRequestClaims(p: JsonObject): ClaimsResult {
  const bad = (message: string): ClaimsResult => ({ ok: false, message })
  if (!isDid(p.iss)) return bad('iss must be the requester DID')
  if (typeof p.aud !== 'string' || p.aud.length === 0 || p.aud.length > 128)
    return bad('aud must be a key id')
  for (const k of ['iat', 'exp'] as const)
    if (!Number.isSafeInteger(p[k])) return bad(`${k} must be a NumericDate`)
  if (p.nbf !== undefined && !Number.isSafeInteger(p.nbf)) return bad('nbf must be a NumericDate')
  if (typeof p.jti !== 'string' || !JTI.test(p.jti))
    return bad('jti must be 8-128 characters [A-Za-z0-9._:-]')
  if (typeof p.op !== 'string' || !OP.test(p.op)) return bad('op must be a lower-case operation name')
  if ((p.transaction === undefined) === (p.message === undefined))
    return bad('exactly one of transaction or message')
  const claims: RequestClaims = {
    iss: p.iss,
    aud: p.aud,
    iat: p.iat as number,
    exp: p.exp as number,
    jti: p.jti,
    op: p.op,
  }
  if (typeof p.nbf === 'number') claims.nbf = p.nbf
  if (p.transaction !== undefined) {
    const tx = parseTransaction(p.transaction)
    if (typeof tx === 'string') return bad(tx)
    claims.transaction = tx
  } else {
    const m = p.message
    if (!isJsonObject(m) || (m.encoding !== 'utf8' && m.encoding !== 'hex') || typeof m.value !== 'string') {
      return bad('message must be { encoding: utf8|hex, value }')
    }
    if (m.encoding === 'hex' && !HEX.test(m.value)) return bad('message value is not hex')
    if (m.value.length > 16 * 1024) return bad('message is too long')
    claims.message = { encoding: m.encoding, value: m.value }
  }
  if (p.call !== undefined) {
    if (claims.transaction === undefined) return bad('call is only meaningful with a transaction')
    const call = parseCall(p.call)
    if (typeof call === 'string') return bad(call)
    claims.call = call
  }
  return { ok: true, claims }
}

function parseTransaction(v: JsonValue): TransactionContent | string {
  if (!isJsonObject(v)) return 'transaction must be an object'
  const { chainId, nonce, to, value, data, gas, maxFeePerGas, maxPriorityFeePerGas } = v
  if (!Number.isSafeInteger(chainId) || (chainId as number) <= 0)
    return 'transaction.chainId must be a positive integer'
  if (!Number.isSafeInteger(nonce) || (nonce as number) < 0)
    return 'transaction.nonce must be a non-negative integer'
  if (typeof to !== 'string' || !ADDRESS.test(to)) return 'transaction.to must be an address'
  if (typeof data !== 'string' || !HEX.test(data) || data.length > 64 * 1024)
    return 'transaction.data must be hex'
  const amounts = { value, gas, maxFeePerGas, maxPriorityFeePerGas }
  for (const [k, a] of Object.entries(amounts)) {
    if (typeof a !== 'string' || !DECIMAL.test(a)) return `transaction.${k} must be a decimal string`
  }
  return {
    chainId: chainId as number,
    nonce: nonce as number,
    to: to.toLowerCase() as Address,
    value: value as string,
    data: data.toLowerCase() as Hex,
    gas: gas as string,
    maxFeePerGas: maxFeePerGas as string,
    maxPriorityFeePerGas: maxPriorityFeePerGas as string,
  }
}

function parseCall(v: JsonValue): DecodedCall | string {
  if (!isJsonObject(v)) return 'call must be an object'
  if (typeof v.contract !== 'string' || !ADDRESS.test(v.contract)) return 'call.contract must be an address'
  if (typeof v.functionName !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(v.functionName)) {
    return 'call.functionName is not an identifier'
  }
  if (!isJsonObject(v.args)) return 'call.args must be an object of named arguments'
  const args: Record<string, CallArg> = {}
  for (const [k, a] of Object.entries(v.args)) {
    const arg = parseArg(a)
    if (arg === undefined) return `call.args.${k} must be a string, boolean or array`
    args[k] = arg
  }
  return { contract: v.contract.toLowerCase() as Address, functionName: v.functionName, args }
}

function parseArg(a: JsonValue): CallArg | undefined {
  if (typeof a === 'boolean') return a
  if (typeof a === 'string') return ADDRESS.test(a) || HEX.test(a) ? a.toLowerCase() : a
  if (Array.isArray(a)) {
    const out = a.map(parseArg)
    return out.every((x) => x !== undefined) ? (out as CallArg[]) : undefined
  }
  return undefined
}
