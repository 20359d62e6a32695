// `mpc-node peers add|list|remove`: the allowlisted committee peers in a home's config.json.
import { loadConfig, type PeerConfig, ROLES, type Role, saveConfig } from '../config/index.ts'
import { isNodeError, NodeError } from '../errors.ts'
import {
  type Command,
  EXIT,
  type Io,
  parse,
  printJson,
  reportError,
  required,
  showHelp,
  UsageError,
} from './io.ts'

const HELP = `Usage:
  mpc-node peers add --home DIR --peer-id ID --addr MULTIADDR [--addr ...] [--name NAME] [--role ROLE]
  mpc-node peers list --home DIR [--json]
  mpc-node peers remove --home DIR --peer-id ID

Peers in config.json are the only ones this node connects to or accepts (restart the node after
a change). ROLE is provider | device | recovery (default provider); NAME defaults to peer-<id tail>.
`

const OPTIONS = {
  home: { type: 'string' },
  'peer-id': { type: 'string' },
  addr: { type: 'string', multiple: true },
  name: { type: 'string' },
  role: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** A config validation error on the new peer, told in terms of the flag that caused it. */
function flagError(e: NodeError, index: number): Error {
  const field = String(e.details.field ?? '')
  const at = `peers[${index}].`
  if (!field.startsWith(at)) return e
  const flag = { peerId: '--peer-id', addrs: '--addr', name: '--name', role: '--role' }[
    field.slice(at.length).replace(/\[.*$/, '')
  ]
  return new UsageError(`${flag ?? field}: ${String(e.details.reason ?? 'invalid')}`, 'peers')
}

async function run(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.out(HELP)
    return sub === undefined ? EXIT.usage : EXIT.ok
  }
  if (!['add', 'list', 'remove'].includes(sub))
    throw new UsageError(`unknown peers command "${sub}"`, 'peers')
  const v = parse('peers', rest, OPTIONS)
  if (v.help === true) return showHelp(io, HELP)
  const home = required(v.home, 'home', 'peers')
  if (sub !== 'list') required(v['peer-id'], 'peer-id', 'peers')
  if (sub === 'add') {
    if ((v.addr ?? []).length === 0) throw new UsageError('missing --addr', 'peers')
    if (v.role !== undefined && !ROLES.includes(v.role as Role)) {
      throw new UsageError(`--role must be one of ${ROLES.join(', ')}`, 'peers')
    }
  }
  try {
    const config = await loadConfig(home)
    const id = v['peer-id'] as string
    if (sub === 'list') {
      if (v.json === true) printJson(io, { peers: config.peers })
      else if (config.peers.length === 0) io.out('no peers')
      else for (const p of config.peers) io.out(`${p.name}\t${p.role}\t${p.peerId}\t${p.addrs.join(' ')}`)
      return EXIT.ok
    }
    if (sub === 'add') {
      if (config.peers.some((p) => p.peerId === id)) {
        throw new NodeError('CLI_PEER_EXISTS', 'this peer is already configured', {
          details: { peerId: id },
          hints: ['remove it first to change its addresses, name or role'],
        })
      }
      const peer: PeerConfig = {
        peerId: id,
        addrs: v.addr ?? [],
        name: v.name ?? `peer-${id.slice(-6)}`,
        role: (v.role ?? 'provider') as Role,
      }
      await saveConfig(home, { ...config, peers: [...config.peers, peer] }).catch((e: unknown) => {
        throw isNodeError(e, 'CONFIG_INVALID') ? flagError(e, config.peers.length) : e
      })
      if (v.json === true) printJson(io, { added: peer })
      else io.out(`added ${peer.name} (${peer.peerId})`)
      return EXIT.ok
    }
    const peers = config.peers.filter((p) => p.peerId !== id)
    if (peers.length === config.peers.length) {
      throw new NodeError('CLI_PEER_NOT_FOUND', 'no such peer in config.json', { details: { peerId: id } })
    }
    await saveConfig(home, { ...config, peers })
    if (v.json === true) printJson(io, { removed: id })
    else io.out(`removed ${id}`)
    return EXIT.ok
  } catch (e) {
    return reportError(e, io, v.json === true)
  }
}

export const peersCommand: Command = {
  name: 'peers',
  summary: 'add, list or remove committee peers',
  help: HELP,
  run,
}
