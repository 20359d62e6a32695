// The malicious behaviours a simulated node can adopt (one per check of dkls23.md §7.5 that the
// malicious-party table in test/adversarial/protocol-table.test.ts exercises), and what the honest
// recipients must report for each: the error code, whether it bans, and whether the culprit can be
// named. A malicious node runs the honest protocol and rewrites its own outgoing bytes.

import { HEADER_BYTES } from '../../protocol/codec.ts'
import { type ErrorCode, ErrorCodes } from '../../protocol/errors.ts'
import { G, Point } from '../../protocol/math/curve.ts'

/** Byte offsets in signing wire rounds 2–4 (same layout as test/adversarial/tamper.ts, checked there). */
export const SIGN_OFFSETS = {
  r2: { u: HEADER_BYTES + 32, x: HEADER_BYTES + 32 + 5120, t: HEADER_BYTES + 32 + 5136 },
  r3: (() => {
    const salt = HEADER_BYTES + 32 + 33
    const gammaU = salt + 32 + 33
    const gammaV = gammaU + 33
    const atilde = gammaV + 33 + 32
    const eta = atilde + 512 * 96
    return { salt, gammaU, gammaV, atilde, eta, mu: eta + 32 }
  })(),
  r4: { w: HEADER_BYTES + 32 },
  /** First byte of the header's 32-byte session field (round 1: the ceremony context). */
  session: 7,
} as const

export const MALICIOUS_CLASSES = [
  'cote-u',
  'cote-x',
  'cote-t',
  'rvole-atilde',
  'rvole-eta',
  'rvole-mu',
  'gamma-u',
  'gamma-v',
  'nonce-salt',
  'session-id',
  'replay',
  'w',
] as const

export type MaliciousClass = (typeof MALICIOUS_CLASSES)[number]

/** Short names accepted in --faults. */
export const CLASS_ALIASES: Record<string, MaliciousClass> = {
  cote: 'cote-u',
  rvole: 'rvole-atilde',
  gamma: 'gamma-u',
  salt: 'nonce-salt',
  nonce: 'nonce-salt',
  session: 'session-id',
}

export type Expectation = {
  /** Wire round whose messages the class rewrites. */
  round: number
  code: ErrorCode
  /** ProtocolError.kind the honest recipient reports. */
  kind: 'ban' | 'abort' | 'invalid'
  /** False where the protocol cannot say who cheated (the recipient reports no culprit). */
  attributable: boolean
  what: string
}

export const EXPECTED: Record<MaliciousClass, Expectation> = {
  'cote-u': {
    round: 2,
    code: ErrorCodes.COTE_CHECK,
    kind: 'ban',
    attributable: true,
    what: 'OT-extension rows',
  },
  'cote-x': {
    round: 2,
    code: ErrorCodes.COTE_CHECK,
    kind: 'ban',
    attributable: true,
    what: 'COTe check value x',
  },
  'cote-t': {
    round: 2,
    code: ErrorCodes.COTE_CHECK,
    kind: 'ban',
    attributable: true,
    what: 'COTe check value t',
  },
  'rvole-atilde': {
    round: 3,
    code: ErrorCodes.RVOLE_CHECK,
    kind: 'ban',
    attributable: true,
    what: 'RVOLE correction ã',
  },
  'rvole-eta': { round: 3, code: ErrorCodes.RVOLE_CHECK, kind: 'ban', attributable: true, what: 'RVOLE η' },
  'rvole-mu': { round: 3, code: ErrorCodes.RVOLE_CHECK, kind: 'ban', attributable: true, what: 'RVOLE μ' },
  'gamma-u': { round: 3, code: ErrorCodes.GAMMA_U_CHECK, kind: 'ban', attributable: true, what: 'Γ^u' },
  'gamma-v': { round: 3, code: ErrorCodes.GAMMA_V_CHECK, kind: 'ban', attributable: true, what: 'Γ^v' },
  'nonce-salt': {
    round: 3,
    code: ErrorCodes.NONCE_DECOMMITMENT,
    kind: 'abort',
    attributable: true,
    what: 'nonce decommitment salt',
  },
  'session-id': {
    round: 1,
    code: ErrorCodes.SESSION_MISMATCH,
    kind: 'invalid',
    attributable: true,
    what: 'session field of the header',
  },
  replay: {
    round: 2,
    code: ErrorCodes.SESSION_MISMATCH,
    kind: 'invalid',
    attributable: true,
    what: 'round-2 message replayed from an earlier session',
  },
  w: {
    round: 4,
    code: ErrorCodes.SIGNATURE_INVALID,
    kind: 'abort',
    attributable: false,
    what: 'signature share w',
  },
}

const flip = (b: Uint8Array, off: number, mask = 1): Uint8Array => {
  const out = b.slice()
  out[off]! ^= mask
  return out
}

const bumpPoint = (b: Uint8Array, off: number): Uint8Array => {
  const out = b.slice()
  out.set(
    Point.fromBytes(b.subarray(off, off + 33))
      .add(G)
      .toBytes(true),
    off,
  )
  return out
}

const O = SIGN_OFFSETS
const REWRITE: Record<Exclude<MaliciousClass, 'replay'>, (p: Uint8Array) => Uint8Array> = {
  'cote-u': (p) => flip(p, O.r2.u + 77),
  'cote-x': (p) => flip(p, O.r2.x + 3),
  'cote-t': (p) => flip(p, O.r2.t + 999),
  'rvole-atilde': (p) => flip(p, O.r3.atilde + 31 + 96 * 100),
  'rvole-eta': (p) => flip(p, O.r3.eta + 31),
  'rvole-mu': (p) => flip(p, O.r3.mu + 5),
  'gamma-u': (p) => bumpPoint(p, O.r3.gammaU),
  'gamma-v': (p) => bumpPoint(p, O.r3.gammaV),
  'nonce-salt': (p) => flip(p, O.r3.salt),
  'session-id': (p) => flip(p, O.session),
  w: (p) => flip(p, O.r4.w + 31),
}

/**
 * The behaviour of one malicious node: `rewrite` returns the bytes to send instead of an honest
 * signing message, or undefined to send it unchanged. `replay` keeps the round-2 message it last sent
 * to each peer and sends it again in a later session.
 */
export function maliciousBehaviour(cls: MaliciousClass) {
  const last = new Map<number, { session: number; payload: Uint8Array }>()
  return {
    cls,
    rewrite(session: number, to: number, round: number, payload: Uint8Array): Uint8Array | undefined {
      if (round !== EXPECTED[cls].round) return undefined
      if (cls !== 'replay') return REWRITE[cls](payload)
      const old = last.get(to)
      if (!old || old.session === session) {
        last.set(to, { session, payload })
        return undefined
      }
      return old.payload
    },
  }
}

export type MaliciousBehaviour = ReturnType<typeof maliciousBehaviour>

/** Does this failure report what the class must provoke, naming `from` (or nobody where unattributable)? */
export function matchesExpectation(
  cls: MaliciousClass,
  from: number,
  e: { code: string; kind: string; culprits: readonly number[]; ban: boolean },
): boolean {
  const x = EXPECTED[cls]
  const culprits = x.attributable ? [from] : []
  return (
    e.code === x.code &&
    e.kind === x.kind &&
    e.ban === (x.kind === 'ban') &&
    e.culprits.length === culprits.length &&
    e.culprits.every((c, i) => c === culprits[i])
  )
}
