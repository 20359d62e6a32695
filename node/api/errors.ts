// Errors at the HTTP boundary: every failure becomes `{ error: { code, message, details?, hints? } }`.
// NodeErrors carry their own status and safe message; anything else is a 500 with a generic
// message, so stack traces, causes and whatever an unexpected error happened to hold never leave.
import { NodeError } from '../errors.ts'

export type ErrorBody = {
  error: { code: string; message: string; details?: Record<string, unknown>; hints?: string[] }
}

/** An error raised by the HTTP layer itself (routing, body parsing, validation). */
export function apiError(
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
  headers?: Record<string, string>,
): NodeError {
  const e = new NodeError(code, message, { status, ...(details === undefined ? {} : { details }) })
  if (headers !== undefined) responseHeaders.set(e, headers)
  return e
}

/** Extra response headers (e.g. `allow` on a 405) attached to errors raised by the HTTP layer. */
const responseHeaders = new WeakMap<NodeError, Record<string, string>>()

/** A 400 `API_INVALID_BODY` naming the offending field. */
export function invalidBody(field: string, reason: string): NodeError {
  return apiError(400, 'API_INVALID_BODY', `${field}: ${reason}`, { field })
}

export type MappedError = { status: number; body: ErrorBody; headers: Record<string, string> }

export function mapError(e: unknown): MappedError {
  if (e instanceof NodeError) {
    const status = Number.isInteger(e.status) && e.status >= 400 && e.status <= 599 ? e.status : 500
    const body: ErrorBody = { error: e.toJSON() }
    if (e.hints.length > 0) body.error.hints = e.hints
    return { status, body, headers: responseHeaders.get(e) ?? {} }
  }
  return {
    status: 500,
    body: { error: { code: 'API_INTERNAL', message: 'internal error; see the node log' } },
    headers: {},
  }
}
