// Node homes for multi-node tests: an encrypted store, a persistent identity, config.json with the
// other nodes as allowlisted peers, loopback ports picked free, and a policy file: the development
// policy (allows any well-formed request; the node logs a loud warning) unless a test gives one.

import { mkdtemp, writeFile } from 'node:fs/promises'
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
import { devPolicyDocument, type PolicyDocument, policyYaml } from '../../node/policy/index.ts'
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

export type HomeSpec = {
  name: string
  role: Role
  /** The node's policy document (default: the development policy); null writes no policy file. */
  policy?: PolicyDocument | null
  /** JSON-RPC URL of the chain the node reads facts from. */
  rpcUrl?: string
}

export const POLICY_FILE = 'policy.yaml'

/** Writes (or replaces: nodes hot-reload it) a home's policy file. */
export async function writePolicy(home: string, document: PolicyDocument): Promise<void> {
  await writeFile(join(home, POLICY_FILE), policyYaml(document))
}

export async function createHomes(specs: HomeSpec[], root?: string): Promise<TestHome[]> {
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
  for (const [i, h] of homes.entries()) {
    const spec = specs[i]!
    const config: NodeConfig = {
      name: h.name,
      role: h.role,
      listen: `/ip4/127.0.0.1/tcp/${h.port}`,
      api: { host: '127.0.0.1', port: h.apiPort },
      chain: spec.rpcUrl === undefined ? { chainId: 31337 } : { chainId: 31337, rpcUrl: spec.rpcUrl },
      peers: homes
        .filter((o) => o !== h)
        .map((o) => ({
          peerId: o.peerId,
          addrs: [`/ip4/127.0.0.1/tcp/${o.port}`],
          name: o.name,
          role: o.role,
        })),
      policy: POLICY_FILE,
    }
    await saveConfig(h.home, config)
    if (spec.policy !== null) await writePolicy(h.home, spec.policy ?? devPolicyDocument())
  }
  return homes
}
