import { wireInvalid, wireMalformed, wireTooLarge } from './errors.ts'
import { stv3 } from './gen/mpc.js'
import { peerIdToBytes } from './peer-id.ts'
import type {
  Abort,
  CeremonyKind,
  Control,
  Delivery,
  Envelope,
  Proposal,
  ProposalResponse,
  ProtocolName,
  Result,
  Start,
  WireLimits,
} from './types.ts'
import { DEFAULT_WIRE_LIMITS, SESSION_BYTES, WIRE_VERSION } from './types.ts'
import { Checker } from './validate.ts'

// The one place where bytes from the wire become domain values.
//   1. size limit before parsing;
//   2. protobufjs decode, its plain Error/RangeError wrapped into WIRE_MALFORMED;
//   3. canonical form: re-encoding must give the same bytes (no unknown fields, duplicates,
//      unpacked repeats or explicit defaults), so every message has exactly one encoding;
//   4. semantic validation into typed values (WIRE_INVALID).
// Encoders validate too, so a node never sends what its peers would reject.

const pb = stv3.mpc.v1

const PROTOCOLS = new Map<number, ProtocolName>([
  [pb.Protocol.PROTOCOL_DKG, 'dkg'],
  [pb.Protocol.PROTOCOL_SIGN, 'sign'],
  [pb.Protocol.PROTOCOL_REFRESH, 'refresh'],
  [pb.Protocol.PROTOCOL_RESHARE, 'reshare'],
  [pb.Protocol.PROTOCOL_CONTROL, 'control'],
])
const DELIVERIES = new Map<number, Delivery>([
  [pb.Delivery.DELIVERY_BROADCAST, 'broadcast'],
  [pb.Delivery.DELIVERY_DIRECT, 'direct'],
])
const KINDS = new Map<number, CeremonyKind>([
  [pb.CeremonyKind.CEREMONY_KIND_DKG, 'dkg'],
  [pb.CeremonyKind.CEREMONY_KIND_SIGN, 'sign'],
  [pb.CeremonyKind.CEREMONY_KIND_REFRESH, 'refresh'],
  [pb.CeremonyKind.CEREMONY_KIND_RESHARE, 'reshare'],
])
const reverse = <T>(m: ReadonlyMap<number, T>): Map<T, number> => new Map([...m].map(([k, v]) => [v, k]))
const PROTOCOL_NUM = reverse(PROTOCOLS)
const DELIVERY_NUM = reverse(DELIVERIES)
const KIND_NUM = reverse(KINDS)

type Codec<M> = { decode(r: Uint8Array): M; encode(m: M): { finish(): Uint8Array } }

function parse<M>(what: string, codec: Codec<M>, bytes: Uint8Array, limit: number): M {
  if (!(bytes instanceof Uint8Array)) throw wireMalformed(what, 'not a byte array')
  if (bytes.length > limit) throw wireTooLarge(what, bytes.length, limit)
  let msg: M
  let again: Uint8Array
  try {
    msg = codec.decode(bytes)
    again = codec.encode(msg).finish()
  } catch (cause) {
    throw wireMalformed(what, 'protobuf decode failed', cause)
  }
  if (!equalBytes(again, bytes)) throw wireMalformed(what, 'non-canonical encoding')
  return msg
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

// ---------------------------------------------------------------- Envelope

function validEnvelope(m: stv3.mpc.v1.Envelope.$Properties, limits: WireLimits): Envelope {
  const c = new Checker('envelope', limits)
  if ((m.version ?? 0) !== WIRE_VERSION) c.fail('version', `expected ${WIRE_VERSION}`)
  const protocol = c.oneOf('protocol', m.protocol, PROTOCOLS)
  const kind = c.oneOf('kind', m.kind, DELIVERIES)
  const sender = c.slot('sender', m.sender)
  const to = kind === 'broadcast' ? c.int('to', m.to, 0, 0) : c.slot('to', m.to)
  if (to === sender) c.fail('to', 'a party does not message itself')
  const round =
    protocol === 'control' ? c.int('round', m.round, 0, 0) : c.int('round', m.round, 0, limits.maxRound)
  return {
    protocol,
    keyId: c.bytes('keyId', m.keyId, 1, limits.maxKeyIdBytes),
    sessionId: c.exact('sessionId', m.sessionId, SESSION_BYTES),
    round,
    sender,
    to,
    kind,
    payload: c.bytes('payload', m.payload, 1, limits.maxEnvelopeBytes),
  }
}

/** Decodes and validates an envelope frame. Throws only NodeError WIRE_TOO_LARGE/WIRE_MALFORMED/WIRE_INVALID. */
export function decodeEnvelope(bytes: Uint8Array, limits: WireLimits = DEFAULT_WIRE_LIMITS): Envelope {
  return validEnvelope(parse('envelope', pb.Envelope, bytes, limits.maxEnvelopeBytes), limits)
}

export function encodeEnvelope(env: Envelope, limits: WireLimits = DEFAULT_WIRE_LIMITS): Uint8Array {
  const msg = new pb.Envelope({
    version: WIRE_VERSION,
    protocol: PROTOCOL_NUM.get(env.protocol) ?? 0,
    keyId: env.keyId,
    sessionId: env.sessionId,
    round: env.round,
    sender: env.sender,
    to: env.to,
    kind: DELIVERY_NUM.get(env.kind) ?? 0,
    payload: env.payload,
  })
  validEnvelope(msg, limits)
  const out = pb.Envelope.encode(msg).finish()
  if (out.length > limits.maxEnvelopeBytes)
    throw wireTooLarge('envelope', out.length, limits.maxEnvelopeBytes)
  return out
}

// ---------------------------------------------------------------- Control

function validProposal(m: stv3.mpc.v1.Proposal.$Properties, limits: WireLimits): Proposal {
  const c = new Checker('proposal', limits)
  const kind = c.oneOf('kind', m.kind, KINDS)
  const committee = c.peers('committee', m.committee, 2)
  const n = committee.length
  const threshold = c.int('threshold', m.threshold, 2, n)
  const signers =
    kind === 'sign' || kind === 'reshare'
      ? c.slots('signers', m.signers, n)
      : c.slots('signers', m.signers, 0)
  for (const s of signers) if (s > n) c.fail('signers', 'slot outside the committee')
  if ((kind === 'sign' || kind === 'reshare') && signers.length < threshold)
    c.fail('signers', 'fewer than threshold')
  const request = c.bytes('request', m.request, kind === 'sign' ? 1 : 0, limits.maxRequestBytes)
  const derivationPath = m.derivationPath ?? []
  if (derivationPath.length > (kind === 'sign' ? limits.maxDerivationDepth : 0)) {
    c.fail('derivationPath', 'too deep, or given outside signing')
  }
  for (const i of derivationPath) c.int('derivationPath', i, 0, 0xffffffff)
  const reshare = kind === 'reshare'
  const newCommittee = reshare
    ? c.peers('newCommittee', m.newCommittee, 2)
    : c.peers('newCommittee', m.newCommittee, 0)
  if (!reshare && newCommittee.length > 0) c.fail('newCommittee', 'only for resharing')
  const newThreshold = reshare
    ? c.int('newThreshold', m.newThreshold, 2, newCommittee.length)
    : c.int('newThreshold', m.newThreshold, 0, 0)
  return {
    kind,
    sessionNonce: c.exact('sessionNonce', m.sessionNonce, SESSION_BYTES),
    committee,
    threshold,
    keyId: c.bytes('keyId', m.keyId, 1, limits.maxKeyIdBytes),
    signers,
    request,
    derivationPath: [...derivationPath],
    epoch: c.int('epoch', m.epoch, 0, 0xffffffff),
    newCommittee,
    newThreshold,
    timeoutMs: c.int('timeoutMs', m.timeoutMs, 1, limits.maxTimeoutMs),
  }
}

function validResponse(m: stv3.mpc.v1.ProposalResponse.$Properties, limits: WireLimits): ProposalResponse {
  const c = new Checker('response', limits)
  const sessionNonce = c.exact('sessionNonce', m.sessionNonce, SESSION_BYTES)
  const reasons = c.texts('reasons', m.reasons)
  if (m.accept === true) {
    c.code('code', m.code, false) === '' || c.fail('code', 'an acceptance carries no code')
    return {
      sessionNonce,
      accept: true,
      contribution: c.exact('contribution', m.contribution, SESSION_BYTES),
      reasons,
    }
  }
  c.exact('contribution', m.contribution, 0)
  return { sessionNonce, accept: false, code: c.code('code', m.code, true), reasons }
}

function validStart(m: stv3.mpc.v1.Start.$Properties, limits: WireLimits): Start {
  const c = new Checker('start', limits)
  const list = m.contributions ?? []
  if (list.length < 2 || list.length > limits.maxParties)
    c.fail('contributions', 'expected 2..maxParties entries')
  let prev = 0
  const contributions = list.map((x) => {
    const slot = c.slot('contributions.slot', x.slot)
    if (slot <= prev) c.fail('contributions.slot', 'slots must be strictly ascending')
    prev = slot
    return { slot, value: c.exact('contributions.value', x.value, SESSION_BYTES) }
  })
  return { sessionNonce: c.exact('sessionNonce', m.sessionNonce, SESSION_BYTES), contributions }
}

function validResult(m: stv3.mpc.v1.Result.$Properties, limits: WireLimits): Result {
  const c = new Checker('result', limits)
  return {
    sessionId: c.exact('sessionId', m.sessionId, SESSION_BYTES),
    output: c.bytes('output', m.output, 1, limits.maxOutputBytes),
    transcriptHash: c.exact('transcriptHash', m.transcriptHash, SESSION_BYTES),
  }
}

function validAbort(m: stv3.mpc.v1.Abort.$Properties, limits: WireLimits): Abort {
  const c = new Checker('abort', limits)
  return {
    sessionId: c.exact('sessionId', m.sessionId, SESSION_BYTES),
    code: c.code('code', m.code, true),
    culprits: c.slots('culprits', m.culprits, limits.maxParties),
    reason: c.text('reason', m.reason),
  }
}

function validControl(m: stv3.mpc.v1.Control.$Properties, limits: WireLimits): Control {
  const set = [m.proposal, m.response, m.start, m.result, m.abort].filter((x) => x != null)
  if (set.length !== 1) throw wireInvalid('control', 'body', 'exactly one body expected')
  if (m.proposal != null) return { type: 'proposal', proposal: validProposal(m.proposal, limits) }
  if (m.response != null) return { type: 'response', response: validResponse(m.response, limits) }
  if (m.start != null) return { type: 'start', start: validStart(m.start, limits) }
  if (m.result != null) return { type: 'result', result: validResult(m.result, limits) }
  return { type: 'abort', abort: validAbort(m.abort!, limits) }
}

/** Decodes and validates a control payload (the payload of a `control` envelope). */
export function decodeControl(bytes: Uint8Array, limits: WireLimits = DEFAULT_WIRE_LIMITS): Control {
  return validControl(parse('control', pb.Control, bytes, limits.maxEnvelopeBytes), limits)
}

function toWire(control: Control): stv3.mpc.v1.Control {
  switch (control.type) {
    case 'proposal': {
      const p = control.proposal
      return new pb.Control({
        proposal: {
          kind: KIND_NUM.get(p.kind) ?? 0,
          sessionNonce: p.sessionNonce,
          committee: p.committee.map(peerIdToBytes),
          threshold: p.threshold,
          keyId: p.keyId,
          signers: p.signers,
          request: p.request,
          derivationPath: p.derivationPath,
          epoch: p.epoch,
          newCommittee: p.newCommittee.map(peerIdToBytes),
          newThreshold: p.newThreshold,
          timeoutMs: p.timeoutMs,
        },
      })
    }
    case 'response': {
      const r = control.response
      return new pb.Control({
        response: r.accept
          ? { sessionNonce: r.sessionNonce, accept: true, contribution: r.contribution, reasons: r.reasons }
          : { sessionNonce: r.sessionNonce, accept: false, code: r.code, reasons: r.reasons },
      })
    }
    case 'start':
      return new pb.Control({ start: control.start })
    case 'result':
      return new pb.Control({ result: control.result })
    case 'abort':
      return new pb.Control({ abort: control.abort })
  }
}

/** Encodes a control message after validating it with the same rules the receiver applies. */
export function encodeControl(control: Control, limits: WireLimits = DEFAULT_WIRE_LIMITS): Uint8Array {
  const out = pb.Control.encode(toWire(control)).finish()
  // Round-trip through the decoder: the sender applies exactly the receiver's rules.
  decodeControl(out, limits)
  return out
}
