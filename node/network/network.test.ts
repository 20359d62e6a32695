import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { afterEach, describe, expect, it } from 'vitest'
import { isNodeError } from '../errors.ts'
import { silentLogger } from '../log/logger.ts'
import { MAX_MESSAGE_BYTES, Network, type NetworkInit } from './network.ts'

type Inbox = { from: string; bytes: Uint8Array }[]
const running: Network[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.stop()))
})

async function node(
  init: Partial<NetworkInit> & { key?: PrivateKey } = {},
): Promise<{ net: Network; inbox: Inbox }> {
  const net = new Network(
    { privateKey: init.key ?? (await generateKeyPair('Ed25519')), ...init },
    { logger: silentLogger() },
  )
  const inbox: Inbox = []
  net.onMessage((from, bytes) => {
    inbox.push({ from, bytes: Uint8Array.from(bytes) })
  })
  return { net, inbox }
}

async function start(...nets: Network[]): Promise<void> {
  for (const n of nets) {
    await n.start()
    running.push(n)
  }
}

/** Two networks that allow each other, with addresses known both ways. */
async function pair(init: Partial<NetworkInit> = {}) {
  const a = await node(init)
  const b = await node(init)
  await start(a.net, b.net)
  await a.net.allow({ peerId: b.net.peerId, addrs: b.net.addresses() })
  await b.net.allow({ peerId: a.net.peerId, addrs: a.net.addresses() })
  return { a, b }
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (isNodeError(e)) return e.code
    throw e
  }
  return 'OK'
}

const text = (s: string) => new TextEncoder().encode(s)
const str = (b: Uint8Array) => new TextDecoder().decode(b)

describe('network over real libp2p nodes on 127.0.0.1', () => {
  it('delivers frames both ways, in order, tagged with the authenticated sender', async () => {
    const { a, b } = await pair()
    await a.net.connect(b.net.peerId)
    expect(a.net.connectedPeers()).toEqual([b.net.peerId])
    for (let i = 0; i < 100; i++) void a.net.send(b.net.peerId, text(`a${i}`))
    await Promise.all([b.net.send(a.net.peerId, text('hello a')), a.net.send(b.net.peerId, text('last'))])
    await until(() => b.inbox.length === 101 && a.inbox.length === 1)
    expect(b.inbox.map((m) => str(m.bytes))).toEqual([
      ...Array.from({ length: 100 }, (_, i) => `a${i}`),
      'last',
    ])
    expect(new Set(b.inbox.map((m) => m.from))).toEqual(new Set([a.net.peerId]))
    expect(a.inbox[0]).toMatchObject({ from: b.net.peerId })
    // later frames reuse the existing connection and stream (no new connection per message)
    const before = a.net.libp2p.getConnections(peerIdFromString(b.net.peerId)).map((c) => c.id)
    const streamsBefore = a.net.libp2p.getConnections().flatMap((c) => c.streams).length
    for (let i = 0; i < 50; i++) await a.net.send(b.net.peerId, text(`again${i}`))
    await until(() => b.inbox.length === 151)
    expect(a.net.libp2p.getConnections(peerIdFromString(b.net.peerId)).map((c) => c.id)).toEqual(before)
    expect(a.net.libp2p.getConnections().flatMap((c) => c.streams).length).toBe(streamsBefore)
  })

  it('carries a 1 MiB frame and refuses to send a bigger one', async () => {
    const { a, b } = await pair()
    const big = Uint8Array.from(randomBytes(MAX_MESSAGE_BYTES))
    await a.net.send(b.net.peerId, big)
    await until(() => b.inbox.length === 1)
    expect(Buffer.from(b.inbox[0].bytes).equals(Buffer.from(big))).toBe(true)
    expect(await errorCode(a.net.send(b.net.peerId, new Uint8Array(MAX_MESSAGE_BYTES + 1)))).toBe(
      'WIRE_TOO_LARGE',
    )
  })

  it('refuses a peer that is not on the allowlist: no connection, no protocol stream, nothing delivered', async () => {
    const a = await node()
    const c = await node()
    await start(a.net, c.net)
    // c allows a (so c's own gater lets it dial), but a does not allow c
    await c.net.allow({ peerId: a.net.peerId, addrs: a.net.addresses() })
    expect(await errorCode(c.net.send(a.net.peerId, text('let me in')))).toBe('NET_SEND_FAILED')
    await expect(c.net.libp2p.dialProtocol(a.net.libp2p.getMultiaddrs(), a.net.protocol)).rejects.toThrow()
    expect(a.inbox).toEqual([])
    expect(a.net.libp2p.getConnections(peerIdFromString(c.net.peerId))).toHaveLength(0)
    // and a will not send to c either
    expect(await errorCode(a.net.send(c.net.peerId, text('x')))).toBe('NET_PEER_NOT_ALLOWED')
    await expect(a.net.libp2p.dial(c.net.libp2p.getMultiaddrs())).rejects.toThrow()
  })

  it('drops an oversized frame, resets only that stream, and keeps the connection serving', async () => {
    const { a, b } = await pair()
    await b.net.send(a.net.peerId, text('before'))
    await until(() => a.inbox.length === 1)
    const conn = a.net.libp2p.getConnections(peerIdFromString(b.net.peerId))[0]
    // b bypasses its own size check with a raw stream
    const raw = await b.net.libp2p.dialProtocol(peerIdFromString(a.net.peerId), a.net.protocol)
    const lp = lpStream(raw)
    await lp.write(new Uint8Array(MAX_MESSAGE_BYTES + 1)).catch(() => undefined)
    await until(() => a.net.stats(b.net.peerId).oversized === 1)
    await b.net.send(a.net.peerId, text('after'))
    await a.net.send(b.net.peerId, text('still here'))
    await until(() => a.inbox.length === 2 && b.inbox.length === 1)
    expect(a.inbox.map((m) => str(m.bytes))).toEqual(['before', 'after'])
    expect(a.net.libp2p.getConnections(peerIdFromString(b.net.peerId))[0].id).toBe(conn.id)
  })

  it('survives garbage bytes and throwing handlers', async () => {
    const { a, b } = await pair()
    a.net.onMessage(() => {
      throw new Error('handler bug')
    })
    a.net.onMessage(async () => {
      throw new Error('async handler bug')
    })
    for (const junk of [
      Uint8Array.from(randomBytes(5000)),
      new Uint8Array(12).fill(0xff), // a varint length that never ends
      Uint8Array.of(0x00, 0x00, 0x00), // zero-length frames
      Uint8Array.of(0x05, 1, 2), // truncated frame, then EOF
    ]) {
      const raw = await b.net.libp2p.dialProtocol(peerIdFromString(a.net.peerId), a.net.protocol)
      raw.send(junk)
      await raw.close().catch(() => undefined)
    }
    await b.net.send(a.net.peerId, text('ok'))
    await until(() => a.inbox.some((m) => str(m.bytes) === 'ok'))
    const s = a.net.stats(b.net.peerId)
    expect(s.oversized + s.malformed).toBeGreaterThan(0)
    expect(a.net.isStarted).toBe(true)
  })

  it('drops frames over the per-peer rate limit and keeps serving', async () => {
    const { a, b } = await pair({ rateLimit: { windowMs: 60_000, maxMessages: 10, maxBytes: 1 << 20 } })
    await Promise.all(Array.from({ length: 30 }, (_, i) => b.net.send(a.net.peerId, text(`m${i}`))))
    await until(() => a.net.stats(b.net.peerId).received + a.net.stats(b.net.peerId).rateLimited === 30)
    expect(a.inbox).toHaveLength(10)
    expect(a.net.stats(b.net.peerId).rateLimited).toBe(20)
    await a.net.send(b.net.peerId, text('pong'))
    await until(() => b.inbox.length === 1)
  })

  it('cuts a peer removed from the allowlist and refuses it afterwards', async () => {
    const { a, b } = await pair()
    await b.net.send(a.net.peerId, text('while allowed'))
    await until(() => a.inbox.length === 1)
    await a.net.disallow(b.net.peerId)
    await until(() => a.net.libp2p.getConnections(peerIdFromString(b.net.peerId)).length === 0)
    expect(await errorCode(b.net.send(a.net.peerId, text('after removal')))).toBe('NET_SEND_FAILED')
    expect(await errorCode(a.net.send(b.net.peerId, text('x')))).toBe('NET_PEER_NOT_ALLOWED')
    expect(a.inbox).toHaveLength(1)
    expect(a.net.connectedPeers()).toEqual([])
  })

  it('reopens its stream after the peer restarts with the same identity', async () => {
    const keyB = await generateKeyPair('Ed25519')
    const a = await node()
    const b = await node({ key: keyB })
    await start(a.net, b.net)
    const addrs = b.net.addresses()
    await a.net.allow({ peerId: b.net.peerId, addrs })
    await b.net.allow({ peerId: a.net.peerId, addrs: a.net.addresses() })
    await a.net.send(b.net.peerId, text('one'))
    await until(() => b.inbox.length === 1)
    await b.net.stop()
    expect(
      await errorCode(a.net.send(b.net.peerId, text('lost'), { signal: AbortSignal.timeout(3000) })),
    ).toBe('NET_SEND_FAILED')
    const b2 = await node({ key: keyB, listen: addrs, peers: [{ peerId: a.net.peerId, addrs: [] }] })
    await start(b2.net)
    await a.net.send(b.net.peerId, text('two'))
    await until(() => b2.inbox.length === 1)
    expect(str(b2.inbox[0].bytes)).toBe('two')
  })
})
