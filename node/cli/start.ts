// `mpc-node start`: runs a node and its HTTP API until SIGTERM/SIGINT.
// stdout carries exactly one JSON line, the ready event; logs go to stderr (JSON, pretty on a TTY).
import pino from 'pino'
import { createApiServer } from '../api/server.ts'
import { loadConfig } from '../config/index.ts'
import { createLogger, type Logger } from '../log/index.ts'
import type { NodeApi } from '../service/types.ts'
import { type Command, EXIT, type Io, parse, reportError, required, showHelp } from './io.ts'
import { readPassphrase } from './secrets.ts'

const HELP = `Usage: mpc-node start --home DIR [--passphrase-file FILE] [--log-level LEVEL]

Starts the node (libp2p, ceremonies, store) and its HTTP API as configured in DIR/config.json.
When both listen, prints one JSON line on stdout:
  {"event":"ready","peerId":"…","did":"…","multiaddrs":["…"],"api":"http://HOST:PORT"}
Logs go to stderr. SIGTERM or SIGINT stops the API and the node, then exits 0.
The store passphrase comes from MPC_NODE_PASSPHRASE or --passphrase-file.

Options:
  --home DIR              node home folder
  --passphrase-file FILE  read the store passphrase from FILE
  --log-level LEVEL       trace | debug | info | warn | error | silent (default: info,
                          or MPC_NODE_LOG_LEVEL)
`

const OPTIONS = {
  home: { type: 'string' },
  'passphrase-file': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** What `startNode` in node/service/node.ts returns, as far as the CLI needs it. */
export type RunningNode = NodeApi & { stop(): Promise<void>; multiaddrs(): string[] }
export type StartNode = (opts: {
  home: string
  passphrase: string | Uint8Array
  logger?: Logger
}) => Promise<RunningNode>

export type StartDeps = {
  startNode?: StartNode
  /** Resolves when the node should stop (default: the first SIGTERM or SIGINT). */
  stopSignal?: Promise<unknown>
  logger?: Logger
}

// A variable specifier: the composition root is loaded only by `start`, so every other command
// (and its tests) works without it.
const SERVICE_MODULE = '../service/node.ts'

async function loadStartNode(): Promise<StartNode> {
  const mod = (await import(new URL(SERVICE_MODULE, import.meta.url).href)) as { startNode?: unknown }
  if (typeof mod.startNode !== 'function') throw new Error('node/service/node.ts does not export startNode')
  return mod.startNode as StartNode
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const
type LevelName = (typeof LEVELS)[number]

export function stderrLogger(level: string | undefined): Logger {
  const lvl: LevelName = (LEVELS as readonly string[]).includes(level ?? '') ? (level as LevelName) : 'info'
  return createLogger({
    level: lvl,
    pretty: process.stderr.isTTY === true,
    destination: pino.destination({ dest: 2, sync: true }),
  })
}

function signals(logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false
    const on = (sig: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal: sig }, 'second signal: exiting now')
        process.exit(EXIT.failure)
      }
      stopping = true
      resolve(sig)
    }
    process.on('SIGTERM', on)
    process.on('SIGINT', on)
  })
}

export async function runStart(args: string[], io: Io, deps: StartDeps = {}): Promise<number> {
  const v = parse('start', args, OPTIONS)
  if (v.help === true) return showHelp(io, HELP)
  const home = required(v.home, 'home', 'start')
  const logger = deps.logger ?? stderrLogger(v['log-level'] ?? io.env.MPC_NODE_LOG_LEVEL)
  const stopSignal = deps.stopSignal ?? signals(logger)
  let node: RunningNode | undefined
  try {
    const passphrase = await readPassphrase(io, v['passphrase-file'])
    const config = await loadConfig(home)
    const startNode = deps.startNode ?? (await loadStartNode())
    node = await startNode({ home, passphrase, logger })
    const server = createApiServer({
      api: node,
      logger: logger.child({ component: 'api' }),
      host: config.api.host,
      port: config.api.port,
    })
    const { url } = await server.start()
    const ready = {
      event: 'ready',
      peerId: node.peerId,
      did: node.did,
      multiaddrs: node.multiaddrs(),
      api: url,
    }
    io.out(JSON.stringify(ready))
    logger.info({ api: url }, 'api listening')
    const reason = await stopSignal
    logger.info({ reason: String(reason) }, 'stopping')
    await server.stop()
    const n = node
    node = undefined
    await n.stop()
    return EXIT.ok
  } catch (e) {
    const code = reportError(e, io, false)
    await node?.stop().catch((err: unknown) => logger.error({ err }, 'stop failed'))
    return code
  }
}

export const startCommand: Command = {
  name: 'start',
  summary: 'run the node and its HTTP API',
  help: HELP,
  run: (args, io) => runStart(args, io),
}
