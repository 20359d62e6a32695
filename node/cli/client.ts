// Client commands over a running node's HTTP API: keygen, keys, sign, send, health.
import { readFile } from 'node:fs/promises'
import { parseTransaction } from '../api/validate.ts'
import { NodeError } from '../errors.ts'
import { parseSubmitInput } from '../service/chain.ts'
import type {
  HealthView,
  KeyView,
  SignatureView,
  SignInput,
  SubmitInput,
  SubmitView,
  TransactionInput,
} from '../service/types.ts'
import { apiBase, callApi } from './http-client.ts'
import {
  type Command,
  EXIT,
  type Io,
  integer,
  list,
  parse,
  printJson,
  reportError,
  required,
  showHelp,
  UsageError,
} from './io.ts'

const API_FLAGS = `  --api URL               the node's API, e.g. http://127.0.0.1:8101
  --home DIR              or: read the API address from DIR/config.json
  --json                  machine-readable output (errors too, as { "error": … })`

const COMMON = {
  api: { type: 'string' },
  home: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const keyLine = (k: KeyView) =>
  `${k.keyId}  ${k.address}  ${k.threshold}-of-${k.committee.length}  epoch ${k.epoch}  ${k.status}`

/** --tx: inline JSON (starts with "{") or a file holding it. Numbers are accepted for quantities. */
export async function readTransaction(value: string, command: string): Promise<TransactionInput> {
  let text = value
  if (!value.trimStart().startsWith('{')) {
    try {
      text = await readFile(value, 'utf8')
    } catch (cause) {
      throw new NodeError('CLI_TX_UNREADABLE', `cannot read the transaction file ${value}`, { cause })
    }
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new UsageError('--tx is not valid JSON', command)
  }
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>
    for (const f of ['value', 'gas', 'maxFeePerGas', 'maxPriorityFeePerGas']) {
      if (typeof o[f] === 'number' && Number.isSafeInteger(o[f])) o[f] = String(o[f])
    }
  }
  try {
    return parseTransaction(raw)
  } catch (e) {
    throw new UsageError(`--tx: ${e instanceof Error ? e.message : String(e)}`, command)
  }
}

function command(
  name: string,
  summary: string,
  usage: string,
  options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>,
  action: (v: Record<string, string | boolean | string[] | undefined>, base: string, io: Io) => Promise<void>,
): Command {
  const help = `${usage}\n\nOptions:\n${API_FLAGS}\n`
  return {
    name,
    summary,
    help,
    async run(args, io) {
      const v = parse(name, args, { ...COMMON, ...options }) as Record<string, string | boolean | undefined>
      if (v.help === true) return showHelp(io, help)
      try {
        const base = await apiBase(v.api as string | undefined, v.home as string | undefined, name)
        await action(v, base, io)
        return EXIT.ok
      } catch (e) {
        return reportError(e, io, v.json === true)
      }
    },
  }
}

export const keygenCommand = command(
  'keygen',
  'run a distributed key generation',
  `Usage: mpc-node keygen (--api URL | --home DIR) --committee ID,ID,ID --threshold T [--json]

Runs a DKG among the committee (peer ids, this node included) and prints the new key.`,
  { committee: { type: 'string' }, threshold: { type: 'string' } },
  async (v, base, io) => {
    const committee = list(required(v.committee as string | undefined, 'committee', 'keygen')) ?? []
    const threshold = integer(
      required(v.threshold as string | undefined, 'threshold', 'keygen'),
      'threshold',
      'keygen',
    )
    const key = await callApi<KeyView>(base, 'POST', '/v1/keys', { committee, threshold })
    if (v.json === true) printJson(io, key)
    else io.out(`created key ${key.keyId}\n  address:    ${key.address}\n  public key: ${key.publicKey}`)
  },
)

export const keysCommand = command(
  'keys',
  'list the keys, or show one',
  `Usage: mpc-node keys (--api URL | --home DIR) [--key KEYID] [--json]`,
  { key: { type: 'string' } },
  async (v, base, io) => {
    if (typeof v.key === 'string') {
      const key = await callApi<KeyView>(base, 'GET', `/v1/keys/${encodeURIComponent(v.key)}`)
      if (v.json === true) printJson(io, key)
      else
        io.out(`${keyLine(key)}\n  public key: ${key.publicKey}\n  committee:  ${key.committee.join(', ')}`)
      return
    }
    const { keys } = await callApi<{ keys: KeyView[] }>(base, 'GET', '/v1/keys')
    if (v.json === true) printJson(io, { keys })
    else io.out(keys.length === 0 ? 'no keys' : keys.map(keyLine).join('\n'))
  },
)

const SIGN_OPTIONS = {
  key: { type: 'string' },
  tx: { type: 'string' },
  message: { type: 'string' },
  raw: { type: 'string' },
  request: { type: 'string' },
  approvals: { type: 'string' },
  signers: { type: 'string' },
  path: { type: 'string' },
} as const

const { message: _m, raw: _r, path: _p, ...SEND_BASE } = SIGN_OPTIONS
const SEND_OPTIONS = {
  ...SEND_BASE,
  op: { type: 'string' },
  token: { type: 'string' },
  registry: { type: 'string' },
} as const

/** JSON inline (starts with "{") or a file holding it. */
async function readJson(value: string, flag: string, command: string): Promise<unknown> {
  let text = value
  if (!value.trimStart().startsWith('{')) {
    try {
      text = await readFile(value, 'utf8')
    } catch (cause) {
      throw new NodeError('CLI_FILE_UNREADABLE', `cannot read the --${flag} file ${value}`, { cause })
    }
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new UsageError(`--${flag} is not valid JSON`, command)
  }
}

/** The body of POST /v1/keys/{keyId}/transactions, validated as the node validates it. */
async function submitInput(v: Record<string, unknown>): Promise<SubmitInput> {
  const kinds = ['tx', 'op', 'request'].filter((k) => v[k] !== undefined)
  if (kinds.length !== 1) throw new UsageError('give exactly one of --tx, --op or --request', 'send')
  const body: Record<string, unknown> = {}
  if (typeof v.tx === 'string') {
    const tx = await readJson(v.tx, 'tx', 'send')
    if (typeof tx === 'object' && tx !== null && !Array.isArray(tx)) {
      const o = tx as Record<string, unknown>
      for (const f of ['value', 'gas'])
        if (typeof o[f] === 'number' && Number.isSafeInteger(o[f])) o[f] = String(o[f])
    }
    body.transaction = tx
  }
  if (typeof v.op === 'string') {
    body.operation = await readJson(v.op, 'op', 'send')
    const contracts: Record<string, unknown> = {}
    if (typeof v.token === 'string') contracts.token = v.token
    if (typeof v.registry === 'string') contracts.didRegistry = v.registry
    body.contracts = contracts
  }
  if (typeof v.request === 'string') body.request = v.request
  const approvals = list(v.approvals as string | undefined)
  if (approvals !== undefined) body.approvals = approvals
  const signers = list(v.signers as string | undefined)
  if (signers !== undefined) body.signers = signers
  try {
    return parseSubmitInput(body)
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e), 'send')
  }
}

async function signInput(v: Record<string, unknown>, name: string, forSubmit: boolean): Promise<SignInput> {
  const kinds = (forSubmit ? ['tx', 'request'] : ['tx', 'message', 'raw', 'request']).filter(
    (k) => v[k] !== undefined,
  )
  const one = forSubmit ? '--tx or --request' : '--tx, --message, --raw or --request'
  if (kinds.length !== 1) throw new UsageError(`give exactly one of ${one}`, name)
  const input: SignInput = {}
  if (typeof v.tx === 'string') input.transaction = await readTransaction(v.tx, name)
  if (typeof v.message === 'string') input.message = v.message
  if (typeof v.raw === 'string') input.message = { raw: v.raw }
  if (typeof v.request === 'string') input.request = v.request
  const approvals = list(v.approvals as string | undefined)
  if (approvals !== undefined) input.approvals = approvals
  const signers = list(v.signers as string | undefined)
  if (signers !== undefined) input.signers = signers
  if (typeof v.path === 'string') input.derivationPath = v.path
  return input
}

const SIGN_FLAGS = `  --key KEYID, --signers ID,ID (default: chosen by the node), --path m/0/1 (non-hardened),
  --approvals JWS,JWS (approval tokens for operations that need a quorum)`

export const signCommand = command(
  'sign',
  'sign a transaction, a message or a policy request',
  `Usage: mpc-node sign (--api URL | --home DIR) --key KEYID
         (--tx FILE|JSON | --message TEXT | --raw 0xHEX | --request JWS)
         [--signers ID,ID] [--path m/0/1] [--approvals JWS,...] [--json]

${SIGN_FLAGS}`,
  SIGN_OPTIONS,
  async (v, base, io) => {
    const key = required(v.key as string | undefined, 'key', 'sign')
    const input = await signInput(v, 'sign', false)
    const sig = await callApi<SignatureView>(
      base,
      'POST',
      `/v1/keys/${encodeURIComponent(key)}/signatures`,
      input,
    )
    if (v.json === true) return printJson(io, sig)
    io.out(`digest:  ${sig.digest}\nr:       ${sig.r}\ns:       ${sig.s}\nyParity: ${sig.yParity}`)
    io.out(`signers: ${sig.signers.join(', ')}`)
    if (sig.signedTransaction !== undefined) io.out(`signed transaction: ${sig.signedTransaction}`)
  },
)

export const sendCommand = command(
  'send',
  'sign a transaction and submit it to the chain',
  `Usage: mpc-node send (--api URL | --home DIR) --key KEYID
         (--tx FILE|JSON | --op FILE|JSON (--token ADDR | --registry ADDR) | --request JWS)
         [--signers ID,ID] [--approvals JWS,...] [--json]

  --tx '{"to":"0x…","data":"0x…","value":"0","gas":"90000"}'   a call; the node fills chainId,
                          nonce, fees and (unless given) gas
  --op '{"op":"transfer","to":"0x…","amount":"5"}'   an STV3 operation by name (issue, redeem,
                          transfer, transferFromTreasury, forcedTransfer, setFrozenTokens,
                          pauseToken, unpauseToken, grantTokenRole, revokeTokenRole, createDID,
                          linkWallet, removeLinkedAddress, setAttribute, prolongateDID, blockDID,
                          unblockDID), sent to --token or --registry
  --key KEYID, --signers ID,ID (default: chosen by the node),
  --approvals JWS,JWS (approval tokens for operations that need a quorum)`,
  SEND_OPTIONS,
  async (v, base, io) => {
    const key = required(v.key as string | undefined, 'key', 'send')
    const input = await submitInput(v)
    const r = await callApi<SubmitView>(
      base,
      'POST',
      `/v1/keys/${encodeURIComponent(key)}/transactions`,
      input,
    )
    if (v.json === true) return printJson(io, r)
    io.out(`${r.status}: ${r.txHash} (block ${r.blockNumber}, from ${r.from}, nonce ${r.nonce})`)
  },
)

export const healthCommand = command(
  'health',
  "show a node's health",
  `Usage: mpc-node health (--api URL | --home DIR) [--json]`,
  {},
  async (v, base, io) => {
    const h = await callApi<HealthView>(base, 'GET', '/v1/health')
    if (v.json === true) return printJson(io, h)
    io.out(
      `${h.name} (${h.role}) ${h.status}, up ${h.uptimeSeconds}s, ${h.ceremoniesRunning} ceremonies running`,
    )
    for (const p of h.peers) io.out(`  ${p.name}\t${p.connected ? 'connected' : 'disconnected'}\t${p.peerId}`)
  },
)
