// The signing request as it travels in a proposal: the caller's decoded transaction or message
// (never an opaque digest), so that every node computes the digest itself.

import { hexToBytes } from 'viem'
import {
  messageDigest,
  parseSigningRequest,
  type SigningRequest,
  transactionDigest,
} from '../chain/transaction.ts'
import { NodeError } from '../errors.ts'
import type { SignInput } from './types.ts'

export type WireRequest = {
  transaction?: unknown
  message?: unknown
  /** Policy-checked form: the requester's JWS and approvals. */
  request?: string
  approvals?: string[]
  derivationPath?: string
  /** Sign on this presignature (hex id) instead of running all rounds. */
  presignature?: string
  /** Presigning request (no content). */
  presign?: boolean
}

export type DecodedRequest = {
  signing: SigningRequest
  digest: Uint8Array
  derivationPath?: string
  jws?: string
  approvals?: string[]
  summary: Record<string, unknown>
}

export function encodeSignRequest(
  input: SignInput & { transaction?: unknown; message?: unknown },
  extra: { presignature?: string } = {},
): Uint8Array {
  const w: WireRequest = {}
  if (extra.presignature !== undefined) w.presignature = extra.presignature
  if (input.transaction !== undefined) w.transaction = input.transaction
  if (input.message !== undefined) w.message = input.message
  if (input.request !== undefined) w.request = input.request
  if (input.approvals !== undefined) w.approvals = input.approvals
  if (input.derivationPath !== undefined) w.derivationPath = input.derivationPath
  return new TextEncoder().encode(JSON.stringify(w))
}

/** Decode a request from its wire bytes and compute the digest this node will sign. */
export function decodeSignRequest(
  bytes: Uint8Array,
  fromJws?: (jws: string) => { transaction?: unknown; message?: unknown },
): DecodedRequest {
  let w: WireRequest
  try {
    w = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as WireRequest
  } catch {
    throw new NodeError('REQUEST_INVALID', 'the signing request is not valid JSON', { status: 400 })
  }
  if (typeof w !== 'object' || w === null)
    throw new NodeError('REQUEST_INVALID', 'the signing request must be an object', { status: 400 })
  let content: { transaction?: unknown; message?: unknown } = w
  if (w.request !== undefined) {
    if (typeof w.request !== 'string')
      throw new NodeError('REQUEST_INVALID', 'request must be a compact JWS', { status: 400 })
    if (!fromJws)
      throw new NodeError('REQUEST_UNSUPPORTED', 'this node cannot judge signed requests', { status: 400 })
    content = fromJws(w.request)
  }
  const hasTx = content.transaction !== undefined
  const hasMsg = content.message !== undefined
  if (hasTx === hasMsg)
    throw new NodeError('REQUEST_INVALID', 'give exactly one of transaction or message', { status: 400 })
  const signing = hasTx
    ? parseSigningRequest(content.transaction)
    : parseSigningRequest({ message: content.message })
  const digest = hexToBytes(
    signing.kind === 'transaction' ? transactionDigest(signing.tx) : messageDigest(signing.message),
  )
  const summary: Record<string, unknown> =
    signing.kind === 'transaction'
      ? {
          kind: 'transaction',
          chainId: signing.tx.chainId,
          nonce: signing.tx.nonce,
          to: signing.tx.to,
          value: signing.tx.value.toString(),
        }
      : { kind: 'message' }
  return {
    signing,
    digest,
    derivationPath: w.derivationPath,
    jws: w.request,
    approvals: w.approvals,
    summary,
  }
}
