// Client side of a signing request (CLI, demo, tests): builds and signs the request JWS
// described in request.ts, and its approvals. The node never signs requests itself.
import { randomUUID } from 'node:crypto'
import type { JsonObject } from '../identity/canonical.ts'
import { type DidSigner, signJwt } from '../identity/signer.ts'
import type { DecodedCall, MessageContent, TransactionContent } from './request.ts'

export type RequestContent =
  | { transaction: TransactionContent; call?: DecodedCall }
  | { message: MessageContent }

export type SignRequestOptions = {
  /** Key id that should sign. */
  aud: string
  op: string
  nowMs: number
  /** Seconds until exp (default 60; nodes refuse more than their maximum, 300 by default). */
  ttlSeconds?: number
  /** Unique id; a random UUID when omitted. */
  jti?: string
}

export function signRequest(signer: DidSigner, content: RequestContent, o: SignRequestOptions): string {
  const iat = Math.floor(o.nowMs / 1000)
  return signJwt(
    {
      aud: o.aud,
      iat,
      exp: iat + (o.ttlSeconds ?? 60),
      jti: o.jti ?? randomUUID(),
      op: o.op,
      ...(content as unknown as JsonObject),
    },
    signer,
  )
}
