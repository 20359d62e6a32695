// Domain types of the wire messages: what proto/codec.ts hands out after validation.
// Byte fields are fresh Uint8Arrays (never views into the received frame, never Node Buffers).

export const WIRE_VERSION = 1

export type ProtocolName = 'dkg' | 'sign' | 'refresh' | 'reshare' | 'control'
export type CeremonyKind = 'dkg' | 'sign' | 'refresh' | 'reshare'
export type Delivery = 'broadcast' | 'direct'

/** A validated envelope. `sender` and `to` are 1-based committee slots; `to` is 0 for broadcast. */
export type Envelope = {
  protocol: ProtocolName
  keyId: Uint8Array
  /** Joint session id for protocol rounds; the proposer's session nonce for control messages. */
  sessionId: Uint8Array
  round: number
  sender: number
  to: number
  kind: Delivery
  /** Opaque round payload (protocol/ decodes it) or an encoded Control message. */
  payload: Uint8Array
}

export type Proposal = {
  kind: CeremonyKind
  sessionNonce: Uint8Array
  /** Committee peer ids (base58 strings) in slot order: slot i+1 is committee[i]. */
  committee: string[]
  threshold: number
  keyId: Uint8Array
  /** Signing set as ascending committee slots (sign and reshare), empty otherwise. */
  signers: number[]
  /** The client's signing request, opaque JWS/JSON bytes. */
  request: Uint8Array
  derivationPath: number[]
  epoch: number
  /** Resharing only, empty otherwise. */
  newCommittee: string[]
  /** Resharing only, 0 otherwise. */
  newThreshold: number
  timeoutMs: number
}

export type ProposalResponse =
  | { sessionNonce: Uint8Array; accept: true; contribution: Uint8Array; reasons: string[] }
  | { sessionNonce: Uint8Array; accept: false; code: string; reasons: string[] }

export type Contribution = { slot: number; value: Uint8Array }

export type Start = { sessionNonce: Uint8Array; contributions: Contribution[] }

export type Result = { sessionId: Uint8Array; output: Uint8Array; transcriptHash: Uint8Array }

export type Abort = { sessionId: Uint8Array; code: string; culprits: number[]; reason: string }

export type Control =
  | { type: 'proposal'; proposal: Proposal }
  | { type: 'response'; response: ProposalResponse }
  | { type: 'start'; start: Start }
  | { type: 'result'; result: Result }
  | { type: 'abort'; abort: Abort }

/** Bounds applied when decoding. Defaults in `DEFAULT_WIRE_LIMITS`. */
export type WireLimits = {
  /** Whole envelope frame. */
  maxEnvelopeBytes: number
  /** Largest committee slot / committee size. */
  maxParties: number
  /** Opaque signing request inside a proposal. */
  maxRequestBytes: number
  /** Opaque result output. */
  maxOutputBytes: number
  maxKeyIdBytes: number
  maxDerivationDepth: number
  maxReasons: number
  maxReasonLength: number
  maxRound: number
  maxTimeoutMs: number
}

export const DEFAULT_WIRE_LIMITS: Readonly<WireLimits> = Object.freeze({
  maxEnvelopeBytes: 1 << 20,
  maxParties: 255,
  maxRequestBytes: 64 * 1024,
  maxOutputBytes: 4096,
  maxKeyIdBytes: 64,
  maxDerivationDepth: 16,
  maxReasons: 16,
  maxReasonLength: 256,
  maxRound: 0xffff,
  maxTimeoutMs: 3_600_000,
})

/** Length of session ids, session nonces, contributions and transcript hashes. */
export const SESSION_BYTES = 32
