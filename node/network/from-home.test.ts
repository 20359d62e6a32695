import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeEnvelope } from '../../proto/codec.ts'
import { decodeInbound } from '../../proto/inbound.ts'
import { allowlist, loadConfig, type NodeConfig, saveConfig } from '../config/config.ts'
import { initHome, openHome } from '../config/home.ts'
import { silentLogger } from '../log/logger.ts'
import { Network } from './network.ts'

// The path the composition root takes: node home -> config + encrypted store -> persistent
// identity -> allowlisted network, then a validated envelope whose sender is bound to the peer.

const dirs: string[] = []
const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

const base = (name: string): NodeConfig => ({
  name,
  role: 'provider',
  listen: '/ip4/127.0.0.1/tcp/0',
  api: { host: '127.0.0.1', port: 0 },
  chain: { chainId: 31337 },
  peers: [],
  policy: 'policy.yaml',
})

async function boot(home: string) {
  const opened = await openHome(home, 'pw')
  const net = new Network(
    {
      privateKey: opened.identity.privateKey,
      listen: [opened.config.listen],
      peers: allowlist(opened.config, opened.identity.peerId),
    },
    { logger: silentLogger() },
  )
  await net.start()
  cleanup.push(async () => {
    await net.stop()
    await opened.store.close()
  })
  return { net, opened }
}

describe('network from a node home', () => {
  it('two homes find each other by their persisted identities and exchange a bound envelope', async () => {
    const homes = [await mkdtemp(join(tmpdir(), 'home-a-')), await mkdtemp(join(tmpdir(), 'home-b-'))]
    dirs.push(...homes)
    const ids: string[] = []
    for (const [i, home] of homes.entries()) {
      ids.push(
        (await initHome({ home, config: base(`n${i}`), passphrase: 'pw', scrypt: { N: 1024, r: 8, p: 1 } }))
          .peerId,
      )
    }
    const a = await boot(homes[0])
    // b knows a's address from a's running node; a learns b's when b dials in
    const cfgB = await loadConfig(homes[1])
    cfgB.peers = [{ peerId: ids[0], addrs: a.net.addresses(), name: 'n0', role: 'provider' }]
    await saveConfig(homes[1], cfgB)
    await a.net.allow({ peerId: ids[1], addrs: [] })
    const b = await boot(homes[1])
    expect([a.net.peerId, b.net.peerId]).toEqual(ids)

    const committee = [ids[0], ids[1]]
    const got: { from: string; round: number }[] = []
    a.net.onMessage((from, bytes) => {
      const env = decodeInbound(from, bytes, { committee, self: ids[0] })
      got.push({ from, round: env.round })
    })
    const frame = encodeEnvelope({
      protocol: 'sign',
      keyId: Uint8Array.of(1),
      sessionId: new Uint8Array(32).fill(9),
      round: 3,
      sender: 2,
      to: 1,
      kind: 'direct',
      payload: Uint8Array.of(7),
    })
    await b.net.send(ids[0], frame)
    const end = Date.now() + 10_000
    while (got.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
    expect(got).toEqual([{ from: ids[1], round: 3 }])
  })
})
