import type { AbortOptions, Connection, Libp2p, PrivateKey, Stream } from '@libp2p/interface'
import { noise } from '@libp2p/noise'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { type LengthPrefixedStream, lpStream } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { NodeError } from '../errors.ts'
import type { Logger } from '../log/logger.ts'
import { type AllowedPeer, Allowlist, canonicalPeerId } from './allowlist.ts'
import { DEFAULT_RATE_LIMIT, PeerRateLimiter, type RateLimit } from './rate-limit.ts'

/** Versioned protocol id of the MPC message stream. A breaking wire change bumps the major. */
export const PROTOCOL_ID = '/stv3-mpc/1.0.0'
/** Largest frame accepted or sent (signing frames are ~64 KB, key generation ~100 KB). */
export const MAX_MESSAGE_BYTES = 1 << 20

export type MessageHandler = (fromPeerId: string, bytes: Uint8Array) => void | Promise<void>

export type NetworkInit = {
  /** The node's persistent libp2p identity (node/config loadOrCreateIdentity). */
  privateKey: PrivateKey
  /** Listen multiaddrs; loopback with an ephemeral port by default. */
  listen?: string[]
  /** The committee's pinned peers; the only ones that may connect either way. */
  peers?: AllowedPeer[]
  protocol?: string
  maxMessageBytes?: number
  rateLimit?: Partial<RateLimit>
  /** Dial + stream open timeout. */
  dialTimeoutMs?: number
  /**
   * libp2p's connection monitor pings every `pingInterval` ms. By default it never aborts a
   * connection on a failed ping: a long CPU-bound round would otherwise kill healthy connections
   * (STACK trap 4); dead connections surface as send failures instead.
   */
  connectionMonitor?: { enabled?: boolean; pingInterval?: number; abortConnectionOnPingFailure?: boolean }
}

export type NetworkComponents = { logger: Logger }

export type PeerStats = { received: number; rateLimited: number; oversized: number; malformed: number }

type Outbound = { stream: Stream; lp: LengthPrefixedStream<Stream> }

/**
 * Encrypted, mutually authenticated, allowlisted message transport between committee nodes:
 * TCP + Noise + Yamux, one long-lived length-prefixed stream per peer and direction (frames of a
 * peer arrive in order), per-peer inbound rate limits. Bytes are opaque here: proto/codec decodes.
 */
export class Network {
  readonly allowlist: Allowlist
  readonly protocol: string
  readonly maxMessageBytes: number

  readonly #init: NetworkInit
  readonly #log: Logger
  readonly #limiter: PeerRateLimiter
  readonly #handlers = new Set<MessageHandler>()
  readonly #outbound = new Map<string, Promise<Outbound>>()
  readonly #sendQueues = new Map<string, Promise<unknown>>()
  readonly #stats = new Map<string, PeerStats>()
  readonly #peerId: string
  #node: Libp2p | undefined

  constructor(init: NetworkInit, components: NetworkComponents) {
    this.#init = init
    this.#peerId = peerIdFromPrivateKey(init.privateKey).toString()
    this.#log = components.logger.child({ component: 'network' })
    this.allowlist = new Allowlist(init.peers ?? [])
    this.protocol = init.protocol ?? PROTOCOL_ID
    this.maxMessageBytes = init.maxMessageBytes ?? MAX_MESSAGE_BYTES
    this.#limiter = new PeerRateLimiter({ ...DEFAULT_RATE_LIMIT, ...init.rateLimit })
  }

  /** This node's peer id (known before start: it is the identity key's). */
  get peerId(): string {
    return this.#peerId
  }

  get isStarted(): boolean {
    return this.#node !== undefined
  }

  /** The underlying libp2p node (for tests and diagnostics). */
  get libp2p(): Libp2p {
    return this.#running()
  }

  async start(): Promise<void> {
    if (this.#node !== undefined) return
    const monitor = this.#init.connectionMonitor ?? {}
    const node = await createLibp2p({
      privateKey: this.#init.privateKey,
      addresses: { listen: this.#init.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: this.allowlist.gater(),
      connectionMonitor: {
        enabled: monitor.enabled ?? true,
        pingInterval: monitor.pingInterval ?? 10_000,
        abortConnectionOnPingFailure: monitor.abortConnectionOnPingFailure ?? false,
      },
      start: false,
    })
    await node.handle(this.protocol, (stream, connection) => this.#onStream(stream, connection), {
      maxInboundStreams: 16,
      maxOutboundStreams: 16,
    })
    this.#node = node
    for (const p of this.allowlist.list()) await this.#remember(p)
    await node.start()
    this.#log.info({ peerId: node.peerId.toString(), addrs: this.addresses() }, 'network started')
  }

  async stop(): Promise<void> {
    const node = this.#node
    if (node === undefined) return
    this.#node = undefined
    this.#outbound.clear()
    this.#sendQueues.clear()
    await node.stop()
    this.#log.info('network stopped')
  }

  addresses(): string[] {
    return this.#running()
      .getMultiaddrs()
      .map((a) => a.toString())
  }

  /** Opens (or reuses) the outbound stream to an allowlisted peer ahead of the first send. */
  async connect(peerId: string, options: AbortOptions = {}): Promise<void> {
    const id = this.#allowed(peerId)
    try {
      await this.#outboundTo(id, options)
    } catch (cause) {
      throw new NodeError('NET_DIAL_FAILED', 'could not open a stream to peer', {
        details: { peerId: id },
        hints: ['check the peer address in config.json and that the peer lists this node'],
        cause,
        status: 502,
      })
    }
  }

  /** Allowlisted peers with an open connection. */
  connectedPeers(): string[] {
    const node = this.#running()
    return [...new Set(node.getConnections().map((c) => c.remotePeer.toString()))].filter((p) =>
      this.allowlist.has(p),
    )
  }

  /** Registers a receiver of authenticated frames; returns its unsubscribe function. */
  onMessage(handler: MessageHandler): () => void {
    this.#handlers.add(handler)
    return () => this.#handlers.delete(handler)
  }

  /** Adds a peer to the allowlist (and its addresses to the peer store when running). */
  async allow(peer: AllowedPeer): Promise<void> {
    this.allowlist.add(peer)
    if (this.#node !== undefined) await this.#remember(peer)
  }

  /** Removes a peer from the allowlist and closes its connections. */
  async disallow(peerId: string): Promise<void> {
    this.allowlist.remove(peerId)
    this.#outbound.delete(peerId)
    this.#limiter.forget(peerId)
    if (this.#node !== undefined) await this.#node.hangUp(peerIdFromString(peerId)).catch(() => undefined)
  }

  stats(peerId: string): PeerStats {
    return { ...this.#statsOf(peerId) }
  }

  /**
   * Sends one frame to an allowlisted peer, in order with the previous frames to that peer.
   * Throws NET_NOT_STARTED, NET_PEER_NOT_ALLOWED, WIRE_TOO_LARGE or NET_SEND_FAILED.
   */
  send(peerId: string, bytes: Uint8Array, options: AbortOptions = {}): Promise<void> {
    this.#running()
    const id = canonicalPeerId(peerId)
    if (!this.allowlist.has(id)) {
      return Promise.reject(
        new NodeError('NET_PEER_NOT_ALLOWED', 'peer is not on the allowlist', {
          details: { peerId: id },
          status: 403,
        }),
      )
    }
    if (bytes.length === 0 || bytes.length > this.maxMessageBytes) {
      return Promise.reject(
        new NodeError('WIRE_TOO_LARGE', 'frame size out of range', {
          details: { size: bytes.length, limit: this.maxMessageBytes },
          status: 413,
        }),
      )
    }
    const previous = this.#sendQueues.get(id) ?? Promise.resolve()
    const run = previous.then(() => this.#sendNow(id, bytes, options))
    const tail = run.catch(() => undefined)
    this.#sendQueues.set(id, tail)
    void tail.then(() => {
      if (this.#sendQueues.get(id) === tail) this.#sendQueues.delete(id)
    })
    return run
  }

  async #sendNow(peerId: string, bytes: Uint8Array, options: AbortOptions): Promise<void> {
    let lastError: unknown
    // A cached stream may have been reset by the remote (restart, oversized frame): retry once on a new one.
    for (let attempt = 0; attempt < 2; attempt++) {
      let out: Outbound | undefined
      try {
        out = await this.#outboundTo(peerId, options)
        await out.lp.write(bytes, options)
        return
      } catch (err) {
        lastError = err
        this.#dropOutbound(peerId, out)
        if (options.signal?.aborted === true) break
      }
    }
    throw new NodeError('NET_SEND_FAILED', 'could not deliver frame to peer', {
      details: { peerId, size: bytes.length },
      hints: ['the peer may be offline or unreachable; the ceremony times out or retries'],
      cause: lastError,
      status: 502,
    })
  }

  #outboundTo(peerId: string, options: AbortOptions): Promise<Outbound> {
    const cached = this.#outbound.get(peerId)
    if (cached !== undefined) return cached
    const node = this.#running()
    const signal = AbortSignal.any([
      AbortSignal.timeout(this.#init.dialTimeoutMs ?? 10_000),
      ...(options.signal === undefined ? [] : [options.signal]),
    ])
    const opening = node.dialProtocol(peerIdFromString(peerId), this.protocol, { signal }).then((stream) => {
      const out: Outbound = { stream, lp: lpStream(stream, { maxDataLength: this.maxMessageBytes }) }
      stream.addEventListener('close', () => this.#dropOutbound(peerId, out), { once: true })
      return out
    })
    this.#outbound.set(peerId, opening)
    opening.catch(() => {
      if (this.#outbound.get(peerId) === opening) this.#outbound.delete(peerId)
    })
    return opening
  }

  #dropOutbound(peerId: string, out: Outbound | undefined): void {
    const cached = this.#outbound.get(peerId)
    if (cached === undefined) return
    if (out === undefined) {
      this.#outbound.delete(peerId)
      return
    }
    void cached.then(
      (c) => {
        if (c === out && this.#outbound.get(peerId) === cached) this.#outbound.delete(peerId)
      },
      () => undefined,
    )
    if (out.stream.status === 'open') out.stream.abort(new Error('dropped outbound stream'))
  }

  async #onStream(stream: Stream, connection: Connection): Promise<void> {
    const from = connection.remotePeer.toString()
    if (!this.allowlist.has(from)) {
      this.#log.warn({ peer: from }, 'stream from a peer not on the allowlist: reset')
      stream.abort(new Error('peer not allowed'))
      return
    }
    const stats = this.#statsOf(from)
    const lp = lpStream(stream, {
      maxDataLength: this.maxMessageBytes,
      maxBufferSize: 2 * this.maxMessageBytes + 1024,
    })
    try {
      while (true) {
        const frame = await lp.read()
        if (frame.byteLength === 0) {
          stats.malformed++
          continue
        }
        const verdict = this.#limiter.admit(from, frame.byteLength)
        if (!verdict.ok) {
          stats.rateLimited++
          if (verdict.firstDropInWindow)
            this.#log.warn(
              { peer: from, limit: this.#limiter.limit },
              'peer over its rate limit: dropping frames',
            )
          continue
        }
        stats.received++
        this.#dispatch(from, frame.subarray())
      }
    } catch (err) {
      const name = err instanceof Error ? err.name : ''
      if (
        name === 'InvalidDataLengthError' ||
        name === 'InvalidDataLengthLengthError' ||
        name === 'StreamBufferError'
      ) {
        stats.oversized++
        this.#log.warn(
          { peer: from, limit: this.maxMessageBytes },
          'oversized frame: stream reset, connection kept',
        )
      } else if (name === 'InvalidMessageLengthError') {
        stats.malformed++
        this.#log.warn({ peer: from }, 'malformed frame length: stream reset')
      } else if (name !== 'UnexpectedEOFError') {
        this.#log.debug({ peer: from, err: name }, 'inbound stream ended')
      }
      if (stream.status === 'open')
        stream.abort(err instanceof Error ? err : new Error('inbound stream failed'))
    }
  }

  #dispatch(from: string, bytes: Uint8Array): void {
    for (const h of this.#handlers) {
      try {
        const r = h(from, bytes)
        if (r instanceof Promise) r.catch((err: unknown) => this.#handlerFailed(from, err))
      } catch (err) {
        this.#handlerFailed(from, err)
      }
    }
  }

  #handlerFailed(from: string, err: unknown): void {
    const e =
      err instanceof NodeError ? { code: err.code } : { name: err instanceof Error ? err.name : typeof err }
    this.#log.error({ peer: from, ...e }, 'message handler failed')
  }

  #statsOf(peerId: string): PeerStats {
    let s = this.#stats.get(peerId)
    if (s === undefined) {
      s = { received: 0, rateLimited: 0, oversized: 0, malformed: 0 }
      this.#stats.set(peerId, s)
    }
    return s
  }

  async #remember(peer: AllowedPeer): Promise<void> {
    if (peer.addrs.length === 0) return
    await this.#running().peerStore.merge(peerIdFromString(peer.peerId), {
      multiaddrs: peer.addrs.map((a) => multiaddr(a)),
    })
  }

  #allowed(peerId: string): string {
    this.#running()
    const id = canonicalPeerId(peerId)
    if (!this.allowlist.has(id)) {
      throw new NodeError('NET_PEER_NOT_ALLOWED', 'peer is not on the allowlist', {
        details: { peerId: id },
        status: 403,
      })
    }
    return id
  }

  #running(): Libp2p {
    if (this.#node === undefined) throw new NodeError('NET_NOT_STARTED', 'network is not started')
    return this.#node
  }
}

/** Factory in the style of libp2p services: `createNetwork(init, components)`, then `start()`. */
export function createNetwork(init: NetworkInit, components: NetworkComponents): Network {
  return new Network(init, components)
}
