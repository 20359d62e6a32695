// Typed protocol aborts. Every failure carries a stable `code`, the parties to blame (`culprits`,
// 1-based committee indices) where one can be named, and whether the counterparty must be banned
// (specs/dkls23.md §7.5): a ban-class failure is terminal for that party on that key.

/**
 * - `ban`: a check on the reused OT correlation or on a committed value failed; the culprit must be
 *   refused in every future session with this key (selective-abort oracle, §10.1).
 * - `abort`: the session cannot finish; culprits named where possible, nobody is banned.
 * - `invalid`: a single message was malformed or unexpected; the state is unchanged and the caller may
 *   drop the message and keep waiting (TOB-SILA-14: aborting on junk is a denial of service).
 * - `usage`: the caller asked for something the protocol refuses (bad parameters, reuse, wrong order).
 */
export type AbortKind = 'ban' | 'abort' | 'invalid' | 'usage'

export const ErrorCodes = {
  // parameters and usage
  INVALID_PARAMETERS: 'INVALID_PARAMETERS',
  SIGNER_SET_TOO_SMALL: 'SIGNER_SET_TOO_SMALL',
  DUPLICATE_PARTY: 'DUPLICATE_PARTY',
  UNKNOWN_PARTY: 'UNKNOWN_PARTY',
  BANNED_PARTY: 'BANNED_PARTY',
  OUT_OF_ORDER: 'OUT_OF_ORDER',
  SESSION_FINISHED: 'SESSION_FINISHED',
  // message admission
  MALFORMED_MESSAGE: 'MALFORMED_MESSAGE',
  UNEXPECTED_MESSAGE: 'UNEXPECTED_MESSAGE',
  MISSING_MESSAGE: 'MISSING_MESSAGE',
  DUPLICATE_MESSAGE: 'DUPLICATE_MESSAGE',
  SESSION_MISMATCH: 'SESSION_MISMATCH',
  ECHO_MISMATCH: 'ECHO_MISMATCH',
  // key generation
  COEFFICIENT_COUNT: 'COEFFICIENT_COUNT',
  PROOF_COUNT: 'PROOF_COUNT',
  IDENTITY_POINT: 'IDENTITY_POINT',
  PROOF_INVALID: 'PROOF_INVALID',
  COMMITMENT_MISMATCH: 'COMMITMENT_MISMATCH',
  FELDMAN_CHECK: 'FELDMAN_CHECK',
  BASE_OT_INVALID: 'BASE_OT_INVALID',
  PPRF_CHECK: 'PPRF_CHECK',
  PUBLIC_KEY_MISMATCH: 'PUBLIC_KEY_MISMATCH',
  PUBLIC_SHARE_MISMATCH: 'PUBLIC_SHARE_MISMATCH',
  DEGENERATE_KEY: 'DEGENERATE_KEY',
  // signing
  COTE_CHECK: 'COTE_CHECK',
  RVOLE_CHECK: 'RVOLE_CHECK',
  GAMMA_U_CHECK: 'GAMMA_U_CHECK',
  GAMMA_V_CHECK: 'GAMMA_V_CHECK',
  NONCE_DECOMMITMENT: 'NONCE_DECOMMITMENT',
  PUBLIC_KEY_SUM: 'PUBLIC_KEY_SUM',
  DEGENERATE_NONCE: 'DEGENERATE_NONCE',
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
  PRESIGNATURE_CONSUMED: 'PRESIGNATURE_CONSUMED',
  // key shares
  KEYSHARE_MALFORMED: 'KEYSHARE_MALFORMED',
  KEYSHARE_VERSION: 'KEYSHARE_VERSION',
  // resharing / refresh
  RESHARE_KEY_MISMATCH: 'RESHARE_KEY_MISMATCH',
  CHAIN_CODE_MISMATCH: 'CHAIN_CODE_MISMATCH',
  DERIVATION_INVALID: 'DERIVATION_INVALID',
} as const

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes]

export class ProtocolError extends Error {
  override name = 'ProtocolError'
  readonly code: ErrorCode
  readonly kind: AbortKind
  readonly culprits: readonly number[]
  /** True when the culprits must be banned on this key (persisted by the caller). */
  readonly ban: boolean

  constructor(code: ErrorCode, kind: AbortKind, message: string, culprits: readonly number[] = []) {
    super(message)
    this.code = code
    this.kind = kind
    this.culprits = [...culprits]
    this.ban = kind === 'ban'
  }
}

export const banError = (code: ErrorCode, culprit: number, message: string): ProtocolError =>
  new ProtocolError(code, 'ban', message, [culprit])

export const abortError = (
  code: ErrorCode,
  message: string,
  culprits: readonly number[] = [],
): ProtocolError => new ProtocolError(code, 'abort', message, culprits)

export const invalidMessage = (code: ErrorCode, message: string, culprit?: number): ProtocolError =>
  new ProtocolError(code, 'invalid', message, culprit === undefined ? [] : [culprit])

export const usageError = (code: ErrorCode, message: string): ProtocolError =>
  new ProtocolError(code, 'usage', message)

export const isProtocolError = (e: unknown): e is ProtocolError => e instanceof ProtocolError
