// Prints the cost of the two stream strategies the network could use, on real loopback libp2p nodes:
//   persistent  one long-lived length-prefixed stream per peer (what Network.send does)
//   per-message a new protocol stream per frame (dial protocol, write, close)
// Run: npx tsx node/network/bench.ts
import '../runtime/polyfill.ts'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { silentLogger } from '../log/logger.ts'
import { Network } from './network.ts'

async function main(): Promise<void> {
  // The default inbound rate limit (2000 frames/s per peer) would drop part of a flood benchmark.
  const rateLimit = { windowMs: 1000, maxMessages: 1e9, maxBytes: 1e12 }
  const a = new Network(
    { privateKey: await generateKeyPair('Ed25519'), rateLimit },
    { logger: silentLogger() },
  )
  const b = new Network(
    { privateKey: await generateKeyPair('Ed25519'), rateLimit },
    { logger: silentLogger() },
  )
  await a.start()
  await b.start()
  await a.allow({ peerId: b.peerId, addrs: b.addresses() })
  await b.allow({ peerId: a.peerId, addrs: a.addresses() })
  let received = 0
  b.onMessage(() => {
    received++
  })
  const until = async (n: number) => {
    while (received < n) await new Promise((r) => setTimeout(r, 1))
  }
  const target = peerIdFromString(b.peerId)
  await a.send(b.peerId, new Uint8Array(1))
  await until(1)

  for (const size of [1024, 64 * 1024]) {
    const frame = new Uint8Array(size).fill(1)
    const n = size > 4096 ? 300 : 2000
    const rows: [string, number][] = []

    received = 0
    let t = performance.now()
    for (let i = 0; i < n; i++) await a.send(b.peerId, frame)
    await until(n)
    rows.push(['persistent, awaited one by one', performance.now() - t])

    received = 0
    t = performance.now()
    await Promise.all(Array.from({ length: n }, () => a.send(b.peerId, frame)))
    await until(n)
    rows.push(['persistent, pipelined', performance.now() - t])

    received = 0
    t = performance.now()
    for (let i = 0; i < n; i++) {
      const stream = await a.libp2p.dialProtocol(target, a.protocol)
      await lpStream(stream).write(frame)
      await stream.close()
    }
    await until(n)
    rows.push(['stream per message, awaited', performance.now() - t])

    for (const [name, ms] of rows) {
      const per = ms / n
      console.log(
        `${String(size).padStart(6)} B  ${name.padEnd(32)} ${per.toFixed(3)} ms/msg  ${((size * n) / ms / 1024).toFixed(0)} MB/s`,
      )
    }
  }
  await a.stop()
  await b.stop()
}

await main()
