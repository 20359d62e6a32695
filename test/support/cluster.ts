// Node homes for multi-node tests: an encrypted store, a persistent identity, config.json with the
// other nodes as allowlisted peers, loopback ports picked free.

import { mkdtemp } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  homePaths,
  loadOrCreateIdentity,
  type NodeConfig,
  type Role,
  saveConfig,
} from '../../node/config/index.ts'
import { Store } from '../../node/store/store.ts'

export const TEST_PASSPHRASE = 'correct horse battery staple'
/** Small scrypt cost for tests only (production uses node/store's default). */
export const TEST_SCRYPT = { N: 1 << 12, r: 8, p: 1 }

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

export type TestHome = {
  home: string
  name: string
  role: Role
  peerId: string
  port: number
  apiPort: number
}

export async function createHomes(specs: { name: string; role: Role }[], root?: string): Promise<TestHome[]> {
  const base = root ?? (await mkdtemp(join(tmpdir(), 'mpc-cluster-')))
  const homes: TestHome[] = []
  for (const s of specs) {
    const home = join(base, s.name)
    const store = await Store.open({
      path: homePaths(home).db,
      passphrase: TEST_PASSPHRASE,
      create: true,
      scrypt: TEST_SCRYPT,
    })
    const { peerId } = await loadOrCreateIdentity(store)
    await store.close()
    homes.push({
      home,
      name: s.name,
      role: s.role,
      peerId,
      port: await freePort(),
      apiPort: await freePort(),
    })
  }
  for (const h of homes) {
    const config: NodeConfig = {
      name: h.name,
      role: h.role,
      listen: `/ip4/127.0.0.1/tcp/${h.port}`,
      api: { host: '127.0.0.1', port: h.apiPort },
      chain: { chainId: 31337 },
      peers: homes
        .filter((o) => o !== h)
        .map((o) => ({
          peerId: o.peerId,
          addrs: [`/ip4/127.0.0.1/tcp/${o.port}`],
          name: o.name,
          role: o.role,
        })),
      policy: 'policy.yaml',
    }
    await saveConfig(h.home, config)
  }
  return homes
}
