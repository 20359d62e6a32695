// Errors at the service boundary, in the manner of viem's BaseError: a short message, optional
// hint lines, a literal `name` and a stable `code`. Callers branch on `code`, never on text.
// Error messages must never carry secret material (shares, seeds, passphrases).

export type NodeErrorOptions = {
  /** Lines that tell the operator what to do. */
  hints?: string[]
  /** Non-secret structured details (ids, counts, culprits). */
  details?: Record<string, unknown>
  cause?: unknown
  /** HTTP status used when the error crosses the API boundary. */
  status?: number
}

export class NodeError extends Error {
  override name = 'NodeError'
  readonly code: string
  readonly hints: string[]
  readonly details: Record<string, unknown>
  readonly status: number

  constructor(code: string, message: string, options: NodeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.hints = options.hints ?? []
    this.details = options.details ?? {}
    this.status = options.status ?? 500
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    const out: { code: string; message: string; details?: Record<string, unknown> } = {
      code: this.code,
      message: this.message,
    }
    if (Object.keys(this.details).length > 0) out.details = this.details
    return out
  }
}

export function isNodeError(e: unknown, code?: string): e is NodeError {
  return e instanceof NodeError && (code === undefined || e.code === code)
}
