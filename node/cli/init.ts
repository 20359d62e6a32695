// `mpc-node init`: a new node home — encrypted store, persistent libp2p identity, config.json and
// a policy file. Safe to re-run after a crash: the store and identity are reused, and a home that
// already has its config.json is refused (after the passphrase check) instead of overwritten.
import { access, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import {
  homePaths,
  loadOrCreateIdentity,
  type NodeConfig,
  ROLES,
  type Role,
  saveConfig,
} from '../config/index.ts'
import { NodeError } from '../errors.ts'
import { didKeyFromPublicKey } from '../identity/did-key.ts'
import { devPolicyDocument, policyYaml, starterPolicyDocument } from '../policy/index.ts'
import { Store } from '../store/store.ts'
import {
  type Command,
  EXIT,
  type Io,
  integer,
  parse,
  printJson,
  reportError,
  required,
  showHelp,
  UsageError,
} from './io.ts'
import { readPassphrase, testScryptCost } from './secrets.ts'

const HELP = `Usage: mpc-node init --home DIR [options]

Creates a node home: the encrypted store (db/), the node's libp2p identity, config.json and a
policy file. The store passphrase comes from MPC_NODE_PASSPHRASE or --passphrase-file.

Options:
  --home DIR              node home folder (created)
  --name NAME             node name (default: node-<last 6 chars of the peer id>)
  --role ROLE             provider | device | recovery (default: provider)
  --listen MULTIADDR      libp2p listen address (default: /ip4/127.0.0.1/tcp/<free port>)
  --api HOST:PORT         HTTP API address (default: 127.0.0.1:<free port>)
  --chain-id N            chain id (default: 31337)
  --rpc-url URL           chain JSON-RPC endpoint
  --policy starter|dev    starter denies everything until edited (default); dev allows any request
  --passphrase-file FILE  read the store passphrase from FILE
  --json                  print { peerId, did, home, listen, api, policy } as JSON
`

const OPTIONS = {
  home: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  listen: { type: 'string' },
  api: { type: 'string' },
  'chain-id': { type: 'string' },
  'rpc-url': { type: 'string' },
  policy: { type: 'string' },
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** A currently free TCP port on loopback (the OS picks it; nothing holds it afterwards). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, host, () => {
      const address = s.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      s.close(() => resolve(port))
    })
  })
}

/** HOST:PORT, [V6]:PORT or PORT. */
export function parseHostPort(value: string, command: string): { host: string; port: number } {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?([0-9]{1,5})$/.exec(value)
  const port = m === null ? Number.NaN : Number(m[2])
  if (m === null || port > 65535) throw new UsageError('--api must be HOST:PORT', command)
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

async function run(args: string[], io: Io): Promise<number> {
  const v = parse('init', args, OPTIONS)
  if (v.help === true) return showHelp(io, HELP)
  const home = required(v.home, 'home', 'init')
  const role = (v.role ?? 'provider') as Role
  if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`, 'init')
  const policyKind = v.policy ?? 'starter'
  if (policyKind !== 'starter' && policyKind !== 'dev')
    throw new UsageError('--policy must be starter or dev', 'init')
  const chainId = integer(v['chain-id'], 'chain-id', 'init') ?? 31337
  const api = v.api === undefined ? undefined : parseHostPort(v.api, 'init')
  try {
    const passphrase = await readPassphrase(io, v['passphrase-file'])
    const paths = homePaths(home)
    const scrypt = testScryptCost(io)
    const store = await Store.open({
      path: paths.db,
      passphrase,
      create: true,
      ...(scrypt ? { scrypt } : {}),
    })
    let identity: Awaited<ReturnType<typeof loadOrCreateIdentity>>
    try {
      identity = await loadOrCreateIdentity(store)
    } finally {
      await store.close()
    }
    if (await exists(paths.config)) {
      throw new NodeError('CLI_HOME_INITIALIZED', 'this home already has a config.json', {
        details: { home: paths.home, peerId: identity.peerId },
        hints: ['use another --home, or edit config.json / use `mpc-node peers` to change it'],
      })
    }
    const did = didKeyFromPublicKey('ed25519', identity.privateKey.publicKey.raw).did
    const config: NodeConfig = {
      name: v.name ?? `node-${identity.peerId.slice(-6)}`,
      role,
      listen: v.listen ?? `/ip4/127.0.0.1/tcp/${await freePort()}`,
      api: api ?? { host: '127.0.0.1', port: await freePort() },
      chain: { chainId, ...(v['rpc-url'] === undefined ? {} : { rpcUrl: v['rpc-url'] }) },
      peers: [],
      policy: 'policy.yaml',
    }
    if (/\/tcp\/0(?:\/|$)/.test(config.listen)) {
      io.err('warning: --listen uses port 0: peers cannot dial this node at a known address')
    }
    const policyFile = paths.policy(config)
    if (!(await exists(policyFile))) {
      const doc = policyKind === 'dev' ? devPolicyDocument() : starterPolicyDocument()
      if (doc.node !== undefined) doc.node.role = role
      await writeFile(policyFile, policyYaml(doc), { mode: 0o600 })
    }
    // Written last: its presence marks a complete home.
    await saveConfig(paths.home, config)
    const shownHost = config.api.host.includes(':') ? `[${config.api.host}]` : config.api.host
    const out = {
      peerId: identity.peerId,
      did,
      home: paths.home,
      name: config.name,
      listen: config.listen,
      api: `http://${shownHost}:${config.api.port}`,
      policy: policyFile,
    }
    if (v.json === true) printJson(io, out)
    else {
      io.out(`initialised ${config.name} (${role}) in ${paths.home}`)
      io.out(`  peer id: ${out.peerId}\n  did:     ${did}\n  listen:  ${out.listen}\n  api:     ${out.api}`)
      io.out(
        policyKind === 'dev'
          ? `  policy:  ${policyFile} (DEVELOPMENT: allows any request)`
          : `  policy:  ${policyFile} (starter: denies everything until you edit it)`,
      )
    }
    return EXIT.ok
  } catch (e) {
    return reportError(e, io, v.json === true)
  }
}

export const initCommand: Command = { name: 'init', summary: 'create a node home', help: HELP, run }
