import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { NodeError } from '../errors.ts'

// The node home folder:
//   <home>/config.json   this file (no secrets)
//   <home>/db/           the encrypted store (shares, keys, bans, ceremonies, the libp2p identity key)
//   <home>/<policy>      the policy file named by `policy`

export const ROLES = ['provider', 'device', 'recovery'] as const
export type Role = (typeof ROLES)[number]

export type PeerConfig = {
  /** Ed25519 libp2p peer id (base58, 12D3KooW...). Only these peers may connect. */
  peerId: string
  addrs: string[]
  name: string
  role: Role
}

export type NodeConfig = {
  name: string
  role: Role
  /** libp2p listen multiaddr, e.g. /ip4/127.0.0.1/tcp/4101. */
  listen: string
  api: { host: string; port: number }
  chain: { rpcUrl?: string; chainId: number }
  peers: PeerConfig[]
  /** Policy file, relative to the home folder unless absolute. */
  policy: string
}

export const CONFIG_FILE = 'config.json'

export type HomePaths = { home: string; config: string; db: string; policy: (c: NodeConfig) => string }

export function homePaths(home: string): HomePaths {
  const abs = resolve(home)
  return {
    home: abs,
    config: join(abs, CONFIG_FILE),
    db: join(abs, 'db'),
    policy: (c) => (isAbsolute(c.policy) ? c.policy : join(abs, c.policy)),
  }
}

function invalid(field: string, reason: string, cause?: unknown): NodeError {
  return new NodeError('CONFIG_INVALID', `invalid config: ${field}`, {
    details: { field, reason },
    hints: [`fix "${field}" in ${CONFIG_FILE}`],
    cause,
    status: 400,
  })
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

function str(o: Obj, f: string, path: string, re = /^.{1,200}$/): string {
  const v = o[f]
  if (typeof v !== 'string' || !re.test(v)) throw invalid(`${path}${f}`, 'expected a non-empty string')
  return v
}

function role(o: Obj, path: string): Role {
  const v = o.role
  if (typeof v !== 'string' || !(ROLES as readonly string[]).includes(v)) {
    throw invalid(`${path}role`, `expected one of ${ROLES.join(', ')}`)
  }
  return v as Role
}

function addr(v: unknown, field: string): string {
  if (typeof v !== 'string') throw invalid(field, 'expected a multiaddr string')
  try {
    return multiaddr(v).toString()
  } catch (cause) {
    throw invalid(field, 'not a multiaddr', cause)
  }
}

function peerId(v: unknown, field: string): string {
  try {
    if (typeof v !== 'string') throw new Error('not a string')
    const id = peerIdFromString(v)
    if (id.type !== 'Ed25519') throw new Error('not Ed25519')
    return id.toString()
  } catch (cause) {
    throw invalid(field, 'expected an Ed25519 peer id', cause)
  }
}

function port(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535)
    throw invalid(field, 'expected 0..65535')
  return v
}

/** Validates parsed JSON into a NodeConfig; throws CONFIG_INVALID naming the field. */
export function validateConfig(v: unknown): NodeConfig {
  if (!isObj(v)) throw invalid('(root)', 'expected an object')
  const api = isObj(v.api) ? v.api : undefined
  if (api === undefined) throw invalid('api', 'expected { host, port }')
  const chain = isObj(v.chain) ? v.chain : undefined
  if (chain === undefined) throw invalid('chain', 'expected { chainId, rpcUrl? }')
  const chainId = chain.chainId
  if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId < 1) {
    throw invalid('chain.chainId', 'expected a positive integer')
  }
  const out: NodeConfig = {
    name: str(v, 'name', ''),
    role: role(v, ''),
    listen: addr(v.listen, 'listen'),
    api: { host: str(api, 'host', 'api.', /^[A-Za-z0-9.:[\]-]{1,253}$/), port: port(api.port, 'api.port') },
    chain: { chainId },
    peers: [],
    policy: str(v, 'policy', ''),
  }
  if (chain.rpcUrl !== undefined) {
    const url =
      typeof chain.rpcUrl === 'string' && URL.canParse(chain.rpcUrl) ? new URL(chain.rpcUrl) : undefined
    if (url === undefined || !['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
      throw invalid('chain.rpcUrl', 'expected an http(s) or ws(s) URL')
    }
    out.chain.rpcUrl = chain.rpcUrl as string
  }
  if (!Array.isArray(v.peers)) throw invalid('peers', 'expected an array')
  v.peers.forEach((p: unknown, i: number) => {
    const at = `peers[${i}].`
    if (!isObj(p)) throw invalid(`peers[${i}]`, 'expected an object')
    if (!Array.isArray(p.addrs)) throw invalid(`${at}addrs`, 'expected an array of multiaddrs')
    const peer: PeerConfig = {
      peerId: peerId(p.peerId, `${at}peerId`),
      addrs: p.addrs.map((a: unknown, j: number) => addr(a, `${at}addrs[${j}]`)),
      name: str(p, 'name', at),
      role: role(p, at),
    }
    if (out.peers.some((q) => q.peerId === peer.peerId)) throw invalid(`${at}peerId`, 'duplicate peer')
    if (out.peers.some((q) => q.name === peer.name)) throw invalid(`${at}name`, 'duplicate name')
    out.peers.push(peer)
  })
  return out
}

/** Reads and validates `<home>/config.json`. Throws CONFIG_NOT_FOUND or CONFIG_INVALID. */
export async function loadConfig(home: string): Promise<NodeConfig> {
  const file = homePaths(home).config
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (cause) {
    throw new NodeError('CONFIG_NOT_FOUND', 'node config not found', {
      details: { file },
      hints: ['initialise the node home first'],
      cause,
    })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw invalid('(root)', 'not JSON', cause)
  }
  return validateConfig(json)
}

/** Validates and writes `<home>/config.json` atomically (temp file + rename), owner-only permissions. */
export async function saveConfig(home: string, config: NodeConfig): Promise<void> {
  const valid = validateConfig(config)
  const paths = homePaths(home)
  await mkdir(paths.home, { recursive: true, mode: 0o700 })
  const tmp = `${paths.config}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(tmp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600, flush: true })
  await rename(tmp, paths.config)
}

/** Peers this node accepts connections from and dials: every configured peer but itself. */
export function allowlist(config: NodeConfig, self?: string): PeerConfig[] {
  return config.peers.filter((p) => p.peerId !== self)
}
