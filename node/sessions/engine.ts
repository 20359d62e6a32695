// The ceremony engine: proposals, admission, start, protocol rounds over the network, results,
// aborts and timeouts, for many ceremonies at once.
//
//   coordinator ── Proposal ──▶ participants        each checks it independently (hooks.admit)
//               ◀─ Response ──   (accept + 32-byte contribution, or a refusal with reasons)
//               ── Start ─────▶  all contributions; context = H(nonce, proposal, contributions)
//   participants ◀── protocol rounds ──▶ participants  (direct and broadcast envelopes)
//               ◀─ Result / Abort ──                  DKG: the coordinator commits when all hold a share
//
// Envelopes are admitted only when their sender slot is the authenticated peer's committee slot, for
// a known session and round; messages of finished sessions are dropped as replays.

import { sha256 } from '@noble/hashes/sha2.js'
import { decodeControl, decodeEnvelope, encodeControl, encodeEnvelope } from '../../proto/codec.ts'
import type { Control, Envelope, Proposal, ProtocolName } from '../../proto/types.ts'
import { BROADCAST, type OutMessage } from '../../protocol/codec.ts'
import { DkgParty } from '../../protocol/dkg/party.ts'
import { isProtocolError } from '../../protocol/errors.ts'
import type { KeyShare } from '../../protocol/keyshare.ts'
import type { Party } from '../../protocol/party.ts'
import { type ReshareOutput, ReshareParty } from '../../protocol/reshare/party.ts'
import { cryptoRng, type Rng, randomBytes } from '../../protocol/rng.ts'
import { type Presignature, type Signature, SignParty } from '../../protocol/sign/party.ts'
import { FinishParty, PresignParty } from '../../protocol/sign/presign.ts'
import { NodeError } from '../errors.ts'
import type { Logger } from '../log/logger.ts'
import { type Roster, rosterOf } from './roster.ts'
import { RoundRunner } from './round-runner.ts'
import type { CeremonyHooks, CeremonyOutcome, PreparedCeremony } from './types.ts'

export type Transport = {
  send(peerId: string, bytes: Uint8Array): Promise<void>
  onMessage(handler: (fromPeerId: string, bytes: Uint8Array) => void): () => void
}

export type EngineInit = {
  selfPeerId: string
  rng?: Rng
  /** Early messages kept per session and participant before this node starts its protocol. */
  maxEarlyMessages?: number
}
export type EngineComponents = { transport: Transport; logger: Logger; hooks: CeremonyHooks }

export type CeremonyResult = {
  sessionId: Uint8Array
  share?: KeyShare
  /** Our own signature when we signed. */
  signature?: Signature
  /** r ‖ s ‖ recovery from a participant, when the coordinator did not sign itself (verify it). */
  remoteSignature?: Uint8Array
  keyId?: Uint8Array
  /** Resharing: this node's outcome (new share, or null when it left the committee). */
  reshare?: ReshareOutput
  /** Presigning: the id (session id) under which every signer stored its presignature. */
  presignatureId?: Uint8Array
}

type Deferred<T> = { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void }
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  promise.catch(() => undefined)
  return { promise, resolve, reject }
}

type Output = KeyShare | Signature | ReshareOutput | Presignature

type Session = {
  id: string
  proposal: Proposal
  roster: Roster
  mySlot: number
  coordinatorSlot: number
  participants: number[]
  startedAt: number
  timer: NodeJS.Timeout
  prepared?: PreparedCeremony
  contribution?: Uint8Array
  runner?: RoundRunner<Output>
  transcript: Uint8Array[]
  output?: Output
  finished: boolean
  // coordinator only
  run?: Deferred<CeremonyResult>
  responses: Map<number, Uint8Array>
  /** Refusals collected by the coordinator: the caller gets every denying node's reasons. */
  denials: Map<number, { peerId: string; code: string; reasons: string[] }>
  results: Map<number, Uint8Array>
}

const CONTEXT_TAG = new TextEncoder().encode('stv3-mpc-node/ceremony-context/v1')
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

export class CeremonyEngine {
  readonly #self: string
  readonly #rng: Rng
  readonly #transport: Transport
  readonly #log: Logger
  readonly #hooks: CeremonyHooks
  readonly #sessions = new Map<string, Session>()
  readonly #finished = new Set<string>()
  readonly #early = new Map<string, { peer: string; bytes: Uint8Array }[]>()
  readonly #maxEarly: number
  #unsubscribe: (() => void) | undefined

  constructor(init: EngineInit, components: EngineComponents) {
    this.#self = init.selfPeerId
    this.#rng = init.rng ?? cryptoRng
    this.#maxEarly = init.maxEarlyMessages ?? 8
    this.#transport = components.transport
    this.#log = components.logger.child({ component: 'ceremonies' })
    this.#hooks = components.hooks
  }

  start(): void {
    this.#unsubscribe ??= this.#transport.onMessage((peer, bytes) => this.#onFrame(peer, bytes))
  }

  stop(): void {
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
    for (const s of this.#sessions.values())
      this.#end(s, 'aborted', new NodeError('NODE_STOPPING', 'the node is stopping', { status: 503 }))
  }

  get running(): number {
    return this.#sessions.size
  }

  /** Sessions in progress that involve `peerId` on `keyId` (to abort them after a ban). */
  abortSessionsWith(keyId: Uint8Array, peerId: string, code: string): void {
    for (const s of this.#sessions.values()) {
      if (hex(s.proposal.keyId) !== hex(keyId)) continue
      if (!s.participants.some((slot) => s.roster.peerOf.get(slot) === peerId)) continue
      this.#end(
        s,
        'aborted',
        new NodeError('CEREMONY_ABORTED', 'aborted: a participant was banned on this key', {
          details: { code, peerId },
          status: 409,
        }),
      )
    }
  }

  // ------------------------------------------------------------------ coordinator

  /** Propose a ceremony to its participants and run it; resolves when it completed everywhere needed. */
  async run(p: Omit<Proposal, 'sessionNonce'>): Promise<CeremonyResult> {
    const proposal: Proposal = { ...p, sessionNonce: randomBytes(this.#rng, 32) }
    // Our party id: the committee slot (key generation, signing) or the resharing roster id.
    const mySlot = rosterOf(proposal).idOf.get(this.#self) ?? 0
    if (mySlot === 0)
      throw new NodeError('CEREMONY_NOT_MEMBER', 'this node takes no part in the ceremony', { status: 400 })
    const s = this.#open(proposal, mySlot, mySlot)
    s.run = deferred<CeremonyResult>()
    if (s.participants.includes(mySlot)) {
      const admission = await this.#hooks.admit(proposal, this.#self)
      if (!admission.accept) {
        this.#end(
          s,
          'rejected',
          refused([{ peerId: this.#self, code: admission.code, reasons: admission.reasons }]),
        )
        return s.run.promise
      }
      s.prepared = admission.prepared
      s.contribution = randomBytes(this.#rng, 32)
      s.responses.set(mySlot, s.contribution)
    }
    this.#sendControl(s, s.participants, { type: 'proposal', proposal })
    this.#maybeStart(s)
    return s.run.promise
  }

  // ------------------------------------------------------------------ inbound

  #onFrame(peer: string, bytes: Uint8Array): void {
    let env: Envelope
    try {
      env = decodeEnvelope(bytes)
    } catch (e) {
      this.#log.warn({ peer, code: (e as NodeError).code }, 'dropped a malformed frame')
      return
    }
    const id = hex(env.sessionId)
    const s = this.#sessions.get(id)
    if (!s) {
      if (this.#finished.has(id)) {
        this.#log.warn(
          { peer, session: id.slice(0, 16), round: env.round },
          'dropped a message of a finished session (replay)',
        )
        return
      }
      if (env.protocol === 'control') return void this.#onOrphanControl(peer, env)
      // Every legitimate message follows the proposal on the same ordered stream: a message for a
      // session this node never heard of is junk (or a flood) and is not buffered.
      this.#log.warn(
        { peer, session: id.slice(0, 16), round: env.round },
        'dropped a message for an unknown session',
      )
      return
    }
    if (s.roster.peerOf.get(env.sender) !== peer) {
      this.#log.warn(
        { peer, session: id.slice(0, 16), claimed: env.sender },
        'dropped a message whose sender slot is not the authenticated peer',
      )
      return
    }
    if (env.protocol === 'control') return void this.#onControl(s, env)
    if (env.protocol !== protocolOf(s.proposal.kind)) {
      this.#log.warn({ peer, session: id.slice(0, 16) }, 'dropped a message of another protocol')
      return
    }
    if (!s.runner) return this.#bufferEarly(s, peer, bytes)
    s.transcript.push(sha256(bytes))
    s.runner.admit(env.sender, env.round, env.payload)
  }

  /** Messages of a known session that arrive before this node started its protocol (bounded). */
  #bufferEarly(s: Session, peer: string, bytes: Uint8Array): void {
    const list = this.#early.get(s.id) ?? []
    // A few rounds' worth from each participant; a flood beyond that is dropped.
    if (list.length >= this.#maxEarly * s.participants.length) {
      this.#log.warn(
        { peer, session: s.id.slice(0, 16) },
        'dropped an early message: per-session buffer full',
      )
      return
    }
    list.push({ peer, bytes })
    this.#early.set(s.id, list)
  }

  async #onOrphanControl(peer: string, env: Envelope): Promise<void> {
    let control: Control
    try {
      control = decodeControl(env.payload)
    } catch (e) {
      this.#log.warn({ peer, code: (e as NodeError).code }, 'dropped a malformed control message')
      return
    }
    if (control.type !== 'proposal') {
      this.#log.warn({ peer, type: control.type }, 'dropped a control message for an unknown session')
      return
    }
    const proposal = control.proposal
    const id = hex(proposal.sessionNonce)
    if (hex(env.sessionId) !== id || this.#sessions.has(id)) return
    const roster = rosterOf(proposal)
    const coordinatorSlot = roster.idOf.get(peer) ?? 0
    const mySlot = roster.idOf.get(this.#self) ?? 0
    if (coordinatorSlot === 0 || coordinatorSlot !== env.sender || mySlot === 0) {
      this.#log.warn({ peer }, 'dropped a proposal from outside its committee or for another node')
      return
    }
    const s = this.#open(proposal, mySlot, coordinatorSlot)
    if (!s.participants.includes(mySlot)) return this.#end(s, 'rejected')
    let admission: Awaited<ReturnType<CeremonyHooks['admit']>>
    try {
      admission = await this.#hooks.admit(proposal, peer)
    } catch (e) {
      admission = {
        accept: false,
        code: (e as NodeError).code ?? 'ADMISSION_FAILED',
        reasons: [(e as Error).message],
      }
    }
    if (s.finished) return
    if (!admission.accept) {
      this.#log.info({ session: id.slice(0, 16), code: admission.code }, 'refused a proposal')
      this.#sendControl(s, [coordinatorSlot], {
        type: 'response',
        response: {
          sessionNonce: proposal.sessionNonce,
          accept: false,
          code: admission.code,
          reasons: admission.reasons,
        },
      })
      return this.#end(s, 'rejected')
    }
    s.prepared = admission.prepared
    s.contribution = randomBytes(this.#rng, 32)
    this.#sendControl(s, [coordinatorSlot], {
      type: 'response',
      response: {
        sessionNonce: proposal.sessionNonce,
        accept: true,
        contribution: s.contribution,
        reasons: [],
      },
    })
    this.#drainEarly(s)
  }

  #onControl(s: Session, env: Envelope): void {
    let control: Control
    try {
      control = decodeControl(env.payload)
    } catch (e) {
      this.#log.warn({ code: (e as NodeError).code }, 'dropped a malformed control message')
      return
    }
    const from = env.sender
    const iAmCoordinator = s.coordinatorSlot === s.mySlot
    switch (control.type) {
      case 'response': {
        if (
          !iAmCoordinator ||
          !s.participants.includes(from) ||
          s.responses.has(from) ||
          s.denials.has(from) ||
          s.runner
        )
          return
        const r = control.response
        if (!r.accept)
          s.denials.set(from, { peerId: s.roster.peerOf.get(from)!, code: r.code, reasons: r.reasons })
        else s.responses.set(from, r.contribution)
        return this.#maybeStart(s)
      }
      case 'start': {
        if (iAmCoordinator || from !== s.coordinatorSlot || s.runner || !s.prepared) return
        const slots = control.start.contributions.map((c) => c.slot)
        const mine = control.start.contributions.find((c) => c.slot === s.mySlot)
        if (slots.join() !== s.participants.join() || !mine || hex(mine.value) !== hex(s.contribution!)) {
          this.#log.warn(
            { session: s.id.slice(0, 16) },
            'refused a start whose contributions do not match the proposal',
          )
          return this.#end(s, 'aborted', new NodeError('CEREMONY_BAD_START', 'inconsistent start message'))
        }
        return this.#startProtocol(s, new Map(control.start.contributions.map((c) => [c.slot, c.value])))
      }
      case 'result': {
        if (iAmCoordinator) {
          if (!s.participants.includes(from) || s.results.has(from)) return
          s.results.set(from, control.result.output)
          return this.#maybeComplete(s)
        }
        // From the coordinator: the new shares are held everywhere; commit them.
        if (from === s.coordinatorSlot && s.output && s.proposal.kind !== 'sign') this.#commit(s)
        return
      }
      case 'abort': {
        const a = control.abort
        const culprits = a.culprits.map((c) => s.roster.peerOf.get(c) ?? `slot ${c}`)
        const by = s.roster.peerOf.get(from)
        this.#log.warn(
          { session: s.id.slice(0, 16), by, code: a.code, culprits },
          'ceremony aborted by a participant',
        )
        if (iAmCoordinator) {
          this.#sendControl(
            s,
            s.participants.filter((x) => x !== from),
            { type: 'abort', abort: a },
          )
        }
        return this.#end(
          s,
          'aborted',
          new NodeError('CEREMONY_ABORTED', `ceremony aborted by ${by}: ${a.code}`, {
            details: { code: a.code, culprits, by, reason: a.reason },
            status: 409,
          }),
          a.code,
          culprits,
        )
      }
      case 'proposal':
        return
    }
  }

  // ------------------------------------------------------------------ lifecycle

  #open(proposal: Proposal, mySlot: number, coordinatorSlot: number): Session {
    const id = hex(proposal.sessionNonce)
    const roster = rosterOf(proposal)
    const participants = roster.ids
    const s: Session = {
      id,
      proposal,
      roster,
      mySlot,
      coordinatorSlot,
      participants,
      startedAt: Date.now(),
      timer: setTimeout(() => this.#timeout(s), proposal.timeoutMs),
      transcript: [],
      finished: false,
      responses: new Map(),
      denials: new Map(),
      results: new Map(),
    }
    s.timer.unref()
    this.#sessions.set(id, s)
    return s
  }

  #maybeStart(s: Session): void {
    if (s.runner || s.finished || s.responses.size + s.denials.size < s.participants.length) return
    // Every participant answered: one refusal is enough to stop, and the caller sees them all.
    if (s.denials.size > 0) {
      const abort = {
        sessionId: s.proposal.sessionNonce,
        code: 'CEREMONY_REFUSED',
        culprits: [],
        reason: 'refused by a participant',
      }
      this.#sendControl(s, [...s.responses.keys()], { type: 'abort', abort })
      return this.#end(s, 'rejected', refused([...s.denials.values()]))
    }
    const contributions = s.participants.map((slot) => ({ slot, value: s.responses.get(slot)! }))
    this.#sendControl(s, s.participants, {
      type: 'start',
      start: { sessionNonce: s.proposal.sessionNonce, contributions },
    })
    if (s.participants.includes(s.mySlot))
      this.#startProtocol(s, new Map(contributions.map((c) => [c.slot, c.value])))
  }

  #startProtocol(s: Session, contributions: Map<number, Uint8Array>): void {
    const p = s.prepared!
    const h = sha256
      .create()
      .update(CONTEXT_TAG)
      .update(s.proposal.sessionNonce)
      .update(sha256(encodeControl({ type: 'proposal', proposal: s.proposal })))
    for (const slot of s.participants) h.update(contributions.get(slot)!)
    const context = h.digest()
    let party: Party<Output>
    try {
      if (p.kind === 'dkg') party = new DkgParty({ index: s.mySlot, n: p.n, t: p.t, context, rng: this.#rng })
      else if (p.kind === 'presign')
        party = new PresignParty({
          share: p.share,
          signers: s.participants,
          path: p.path,
          context,
          rng: this.#rng,
        })
      else if (p.kind === 'finish')
        party = new FinishParty({ presignature: p.presignature, digest: p.digest })
      else if (p.kind === 'sign')
        party = new SignParty({
          share: p.share,
          signers: s.participants,
          digest: p.digest,
          path: p.path,
          context,
          rng: this.#rng,
        })
      else
        party = new ReshareParty({
          id: s.mySlot,
          roster: s.roster.members!,
          newN: s.roster.newN!,
          newT: s.roster.newT!,
          oldShare: p.oldShare,
          publicKey: p.publicKey,
          keyId: p.keyId,
          epoch: p.epoch,
          context,
          rng: this.#rng,
        })
    } catch (e) {
      return this.#protocolFailed(s, e)
    }
    const others = s.participants.filter((x) => x !== s.mySlot)
    s.runner = new RoundRunner(party, others, {
      send: (msgs) => this.#sendProtocol(s, msgs),
      done: (out) => void this.#protocolDone(s, out),
      fail: (e) => this.#protocolFailed(s, e),
      dropped: (from, round, reason) =>
        this.#log.warn(
          { session: s.id.slice(0, 16), from: s.roster.peerOf.get(from), round, reason },
          'dropped a protocol message',
        ),
    })
    s.runner.start()
    this.#drainEarly(s)
  }

  #drainEarly(s: Session): void {
    const early = this.#early.get(s.id)
    if (!early) return
    this.#early.delete(s.id)
    for (const { peer, bytes } of early) this.#onFrame(peer, bytes)
  }

  #sendProtocol(s: Session, msgs: OutMessage[]): void {
    const protocol = protocolOf(s.proposal.kind)
    for (const m of msgs) {
      const broadcast = m.to === BROADCAST
      const env: Envelope = {
        protocol,
        keyId: s.proposal.keyId,
        sessionId: s.proposal.sessionNonce,
        round: m.round,
        sender: s.mySlot,
        to: broadcast ? 0 : m.to,
        kind: broadcast ? 'broadcast' : 'direct',
        payload: m.payload,
      }
      const frame = encodeEnvelope(env)
      s.transcript.push(sha256(frame))
      for (const slot of broadcast ? s.participants.filter((x) => x !== s.mySlot) : [m.to])
        this.#sendTo(s, slot, frame)
    }
  }

  async #protocolDone(s: Session, out: Output): Promise<void> {
    s.output = out
    const transcriptHash = this.#transcriptHash(s)
    let output: Uint8Array
    if (isPresignature(out)) {
      try {
        await this.#hooks.presigned(s.proposal, out)
      } catch (e) {
        return this.#protocolFailed(s, e)
      }
      output = out.sessionId
    } else if ('share' in out) {
      try {
        await this.#hooks.reshared(s.proposal, out)
      } catch (e) {
        return this.#protocolFailed(s, e)
      }
      output = out.share ? new Uint8Array([...out.share.keyId, ...out.share.publicKey]) : new Uint8Array([0])
    } else if ('secretShare' in out) {
      try {
        await this.#hooks.keyGenerated(s.proposal, out)
      } catch (e) {
        return this.#protocolFailed(s, e)
      }
      output = new Uint8Array([...out.keyId, ...out.publicKey])
    } else {
      output = signatureBytes(out)
    }
    if (s.mySlot === s.coordinatorSlot) {
      s.results.set(s.mySlot, output)
      return this.#maybeComplete(s)
    }
    this.#sendControl(s, [s.coordinatorSlot], {
      type: 'result',
      result: { sessionId: s.proposal.sessionNonce, output, transcriptHash },
    })
    if (s.proposal.kind === 'sign') this.#end(s, 'completed')
  }

  #maybeComplete(s: Session): void {
    if (s.finished) return
    if (s.prepared?.kind === 'presign') {
      // A presignature is usable only when every signer stored its part.
      if (s.results.size < s.participants.length) return
      const ids = new Set([...s.results.values()].map(hex))
      if (ids.size !== 1)
        return this.#end(
          s,
          'aborted',
          new NodeError('CEREMONY_DIVERGED', 'signers reported different presignatures', { status: 500 }),
        )
      return this.#end(s, 'completed')
    }
    if (s.proposal.kind === 'sign') {
      // Our own signature if we signed; otherwise the first participant's, checked by the service.
      const sig = s.output && isSignature(s.output) ? s.output : undefined
      if (sig) return this.#end(s, 'completed')
      const [first] = s.results.values()
      if (first) return this.#end(s, 'completed', undefined, undefined, undefined, first)
      return
    }
    if (s.results.size < s.participants.length) return
    const outputs = [...s.results.values()].filter((o) => o.length > 1).map(hex)
    if (new Set(outputs).size !== 1) {
      return this.#end(
        s,
        'aborted',
        new NodeError('CEREMONY_DIVERGED', 'participants reported different keys', { status: 500 }),
      )
    }
    this.#sendControl(s, s.participants, {
      type: 'result',
      result: {
        sessionId: s.proposal.sessionNonce,
        output: s.results.get(s.mySlot)!,
        transcriptHash: this.#transcriptHash(s),
      },
    })
    this.#commit(s)
  }

  /** Apply the commit of new shares (key generation or a new epoch) and end the session. */
  #commit(s: Session): void {
    const commit =
      s.proposal.kind === 'dkg'
        ? this.#hooks.keyCommitted(s.proposal)
        : this.#hooks.reshareCommitted(s.proposal)
    void commit.then(
      () => this.#end(s, 'completed'),
      (e) => this.#end(s, 'aborted', e),
    )
  }

  #protocolFailed(s: Session, e: unknown): void {
    if (s.finished) return
    const code = isProtocolError(e) ? e.code : ((e as NodeError).code ?? 'INTERNAL')
    const culpritSlots = isProtocolError(e) ? [...e.culprits] : []
    const culprits = culpritSlots.map((c) => s.roster.peerOf.get(c) ?? `slot ${c}`)
    this.#log.warn(
      { session: s.id.slice(0, 16), code, culprits, ban: isProtocolError(e) && e.ban },
      'protocol aborted',
    )
    if (isProtocolError(e) && e.ban) {
      for (const slot of culpritSlots) {
        const peer = s.roster.peerOf.get(slot)!
        void this.#hooks
          .banned(s.proposal.keyId, peer, slot, code, s.proposal.sessionNonce)
          .catch((err) => this.#log.error({ err: (err as Error).message }, 'could not persist a ban'))
      }
    }
    const abort = {
      sessionId: s.proposal.sessionNonce,
      code: code.toUpperCase(),
      culprits: culpritSlots,
      reason: String((e as Error).message ?? e).slice(0, 200),
    }
    this.#sendControl(s, s.mySlot === s.coordinatorSlot ? s.participants : [s.coordinatorSlot], {
      type: 'abort',
      abort,
    })
    this.#end(
      s,
      'aborted',
      new NodeError('CEREMONY_ABORTED', `ceremony aborted: ${code}`, {
        details: { code, culprits },
        status: 409,
        cause: e,
      }),
      code,
      culprits,
    )
    if (isProtocolError(e) && e.ban)
      for (const peer of culprits) this.abortSessionsWith(s.proposal.keyId, peer, code)
  }

  #timeout(s: Session): void {
    if (s.finished) return
    if (s.denials.size > 0 && !s.runner) return this.#end(s, 'rejected', refused([...s.denials.values()]))
    const missing =
      s.mySlot === s.coordinatorSlot && !s.runner
        ? s.participants.filter((x) => !s.responses.has(x)).map((x) => s.roster.peerOf.get(x))
        : s.participants.filter((x) => x !== s.mySlot).map((x) => s.roster.peerOf.get(x))
    if (s.mySlot === s.coordinatorSlot) {
      this.#sendControl(s, s.participants, {
        type: 'abort',
        abort: {
          sessionId: s.proposal.sessionNonce,
          code: 'CEREMONY_TIMEOUT',
          culprits: [],
          reason: 'timeout',
        },
      })
    }
    this.#end(
      s,
      'timeout',
      new NodeError('CEREMONY_TIMEOUT', `ceremony timed out after ${s.proposal.timeoutMs} ms`, {
        details: { waitingFor: missing, round: s.runner?.round ?? 0 },
        status: 504,
        hints: ['check that every participant is running and reachable', 'retry with another signer set'],
      }),
      'CEREMONY_TIMEOUT',
    )
  }

  #end(
    s: Session,
    outcome: CeremonyOutcome,
    error?: unknown,
    code?: string,
    culprits?: string[],
    remoteSignature?: Uint8Array,
  ): void {
    if (s.finished) return
    s.finished = true
    clearTimeout(s.timer)
    s.runner?.cancel()
    this.#sessions.delete(s.id)
    this.#finished.add(s.id)
    if (this.#finished.size > 100_000) this.#finished.delete(this.#finished.values().next().value!)
    this.#early.delete(s.id)
    const signature = s.output && isSignature(s.output) ? s.output : undefined
    this.#hooks.finished({
      proposal: s.proposal,
      outcome,
      ms: Date.now() - s.startedAt,
      code,
      culprits,
      signature,
      transcriptHash: s.transcript.length ? this.#transcriptHash(s) : undefined,
    })
    if (!s.run) return
    if (outcome === 'completed') {
      const share = s.output && 'secretShare' in s.output ? s.output : undefined
      s.run.resolve({
        sessionId: s.proposal.sessionNonce,
        share,
        signature,
        remoteSignature,
        keyId: share?.keyId,
        reshare: s.output && 'share' in s.output ? s.output : undefined,
        presignatureId: s.output && isPresignature(s.output) ? s.output.sessionId : undefined,
      })
    } else s.run.reject(error ?? new NodeError('CEREMONY_ABORTED', `ceremony ${outcome}`, { status: 409 }))
  }

  #transcriptHash(s: Session): Uint8Array {
    const h = sha256.create()
    for (const d of [...s.transcript].sort((a, b) => Buffer.compare(a, b))) h.update(d)
    return h.digest()
  }

  /** Send a control message to each of `slots` (one direct envelope per recipient). */
  #sendControl(s: Session, slots: readonly number[], control: Control): void {
    const payload = encodeControl(control)
    for (const to of slots) {
      if (to === s.mySlot) continue
      const frame = encodeEnvelope({
        protocol: 'control',
        keyId: s.proposal.keyId,
        sessionId: s.proposal.sessionNonce,
        round: 0,
        sender: s.mySlot,
        to,
        kind: 'direct',
        payload,
      })
      this.#sendTo(s, to, frame)
    }
  }

  #sendTo(s: Session, slot: number, frame: Uint8Array): void {
    const peer = s.roster.peerOf.get(slot)
    if (!peer || peer === this.#self) return
    this.#transport.send(peer, frame).catch((e) => {
      this.#log.warn({ session: s.id.slice(0, 16), peer, code: (e as NodeError).code }, 'send failed')
    })
  }
}

const isSignature = (o: Output): o is Signature => 'r' in o && 's' in o
const isPresignature = (o: Output): o is Presignature => 'phi' in o && 'R' in o
const protocolOf = (kind: Proposal['kind']): ProtocolName => (kind === 'refresh' ? 'reshare' : kind)

function refused(denials: { peerId: string; code: string; reasons: string[] }[]): NodeError {
  const [d] = denials
  return new NodeError('CEREMONY_REFUSED', `refused by ${d?.peerId}: ${d?.code}`, {
    details: { denials },
    status: 403,
  })
}

/** r ‖ s ‖ recovery (65 bytes), the form a signature travels in a Result. */
export function signatureBytes(sig: Signature): Uint8Array {
  const out = new Uint8Array(65)
  const r = sig.r.toString(16).padStart(64, '0')
  const s = sig.s.toString(16).padStart(64, '0')
  out.set(Buffer.from(r + s, 'hex'), 0)
  out[64] = sig.recovery
  return out
}
