// What a signed request asks for, read by every node from the request JWS itself (never from the
// coordinator's copy): the transaction or message to sign, and the credentials the requester
// presents. The signature over the token is checked later, by `verifyRequest` in the gate's judge;
// this only decodes, so that the digest every node signs is the one the requester signed.
//
// Credentials travel inside the signed request as a `credentials` claim (a list of VC-JWTs, like a
// presentation): the requester's signature binds them to this request, and the signing API stays
// `{ request: <JWS>, approvals?: [<JWS>] }`.

import { NodeError } from '../../errors.ts'
import { decodeCompactJws } from '../../identity/jws.ts'
import { parseRequestClaims } from '../../policy/request.ts'

export type RequestedContent = { transaction?: unknown; message?: unknown }

/** The content of a request JWS in the signing API's form. Throws REQUEST_MALFORMED. */
export function contentOfRequest(jws: string): RequestedContent {
  const decoded = decodeCompactJws(jws)
  if ('ok' in decoded) throw malformed(decoded.message)
  const parsed = parseRequestClaims(decoded.payload)
  if (!parsed.ok) throw malformed(parsed.message)
  const { transaction: tx, message } = parsed.claims
  if (tx !== undefined) {
    return {
      transaction: {
        chainId: tx.chainId,
        nonce: tx.nonce,
        to: tx.to,
        value: tx.value,
        data: tx.data,
        gas: tx.gas,
        maxFeePerGas: tx.maxFeePerGas,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
      },
    }
  }
  if (message === undefined) throw malformed('exactly one of transaction or message')
  return { message: message.encoding === 'utf8' ? message.value : { raw: message.value } }
}

/** The VC-JWTs presented in the request's `credentials` claim ([] when absent or not a list of strings). */
export function credentialsOfRequest(jws: string): string[] {
  const decoded = decodeCompactJws(jws)
  if ('ok' in decoded) return []
  const c = decoded.payload.credentials
  return Array.isArray(c) ? c.filter((x): x is string => typeof x === 'string') : []
}

/** The derivation path the request names in its `derivationPath` claim (undefined: the root key). */
export function pathOfRequest(jws: string): string | undefined {
  const decoded = decodeCompactJws(jws)
  if ('ok' in decoded) return undefined
  const path = decoded.payload.derivationPath
  return typeof path === 'string' ? path : undefined
}

function malformed(reason: string): NodeError {
  return new NodeError('REQUEST_MALFORMED', `the signed request is malformed: ${reason}`, {
    status: 400,
    hints: ['see node/policy/request.ts for the request claims'],
  })
}
