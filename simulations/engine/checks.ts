// Invariant bookkeeping during a run: every signature any node outputs is verified independently
// (noble secp256k1, prehash off); every step of an honest node that consumed a malicious message must
// fail with exactly what that class provokes (code, kind, ban, culprit); an honest step that fails
// without having consumed one is a violation (a fault that is not malicious must never produce blame).

import { secp256k1 } from '@noble/curves/secp256k1.js'
import { isProtocolError } from '../../protocol/errors.ts'
import type { Signature } from '../../protocol/sign/party.ts'
import { EXPECTED, type MaliciousClass, matchesExpectation } from '../faults/malicious.ts'
import type { StepInfo } from './cluster.ts'
import type { InvariantName, Violation } from './types.ts'

const MAX_VIOLATIONS = 50

export class Checks {
  /** Rewritten payloads, by the session they were sent in (a replayed payload is honest in its own). */
  readonly tampered = new WeakMap<Uint8Array, Map<number, { from: number; cls: MaliciousClass }>>()
  acts = 0
  actsProcessed = 0
  actsDetected = 0
  signaturesVerified = 0
  signaturesInvalid = 0
  readonly violations: Violation[] = []
  /** (detector, culprit) pairs of ban-class detections, to check the ban was recorded and persisted. */
  readonly banDetections: { node: number; culprit: number }[] = []

  constructor(private readonly malicious: ReadonlyMap<number, MaliciousClass>) {}

  isHonest(node: number): boolean {
    return !this.malicious.has(node)
  }

  violate(invariant: InvariantName, detail: string): void {
    if (this.violations.length < MAX_VIOLATIONS) this.violations.push({ invariant, detail })
  }

  markTampered(payload: Uint8Array, session: number, from: number, cls: MaliciousClass): void {
    this.acts++
    const bySession = this.tampered.get(payload) ?? new Map()
    bySession.set(session, { from, cls })
    this.tampered.set(payload, bySession)
  }

  /** Judge one step of a signing session. */
  step(info: StepInfo): void {
    if (!this.isHonest(info.node)) return
    const acts = info.msgs.flatMap((m) => {
      const t = this.tampered.get(m.payload)?.get(info.session)
      return t && t.from === m.from ? [t] : []
    })
    const e = info.error
    const where = `node ${info.node}, session ${info.session}, round ${info.round}`
    if (acts.length > 0) {
      this.actsProcessed += acts.length
      const hit = isProtocolError(e) && acts.find((a) => matchesExpectation(a.cls, a.from, e))
      if (hit && isProtocolError(e)) {
        this.actsDetected++
        if (e.ban) this.banDetections.push({ node: info.node, culprit: hit.from })
        return
      }
      const want = acts.map((a) => `${EXPECTED[a.cls].code} naming ${a.from} (${a.cls})`).join(' or ')
      const got = isProtocolError(e)
        ? `${e.code}/${e.kind} culprits [${e.culprits}] ban=${e.ban}`
        : e === undefined
          ? 'no error'
          : String(e)
      this.violate('attribution', `${where}: expected ${want}, got ${got}`)
      return
    }
    if (e === undefined) return
    const got = isProtocolError(e) ? `${e.code}/${e.kind} culprits [${e.culprits}]` : String(e)
    this.violate('attribution', `${where}: failed without any malicious input: ${got}`)
  }

  /** Verify an output signature under the cluster key; records a violation if it does not verify. */
  verify(sig: Signature, digest: Uint8Array, publicKey: Uint8Array, where: string): boolean {
    let ok = false
    try {
      const compact = new secp256k1.Signature(sig.r, sig.s).toBytes('compact')
      ok =
        secp256k1.verify(compact, digest, publicKey, { prehash: false }) &&
        sig.digest.every((b, i) => b === digest[i])
    } catch {
      ok = false
    }
    if (ok) this.signaturesVerified++
    else {
      this.signaturesInvalid++
      this.violate('valid-signatures', `${where}: signature does not verify`)
    }
    return ok
  }
}
