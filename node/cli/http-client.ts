// A thin fetch client for a node's HTTP API. API errors come back as NodeErrors with the
// server's code, message, details and hints, so the CLI prints them like local errors.
import { loadConfig } from '../config/index.ts'
import { NodeError } from '../errors.ts'
import { UsageError } from './io.ts'

const TIMEOUT_MS = 10 * 60_000

/** The API base URL from --api, or from the home's config.json with --home. */
export async function apiBase(
  api: string | undefined,
  home: string | undefined,
  command: string,
): Promise<string> {
  if (api !== undefined) {
    if (!URL.canParse(api) || !/^https?:$/.test(new URL(api).protocol)) {
      throw new UsageError('--api must be an http(s) URL such as http://127.0.0.1:8101', command)
    }
    return api.replace(/\/+$/, '')
  }
  if (home === undefined) throw new UsageError('missing --api URL (or --home DIR)', command)
  const c = await loadConfig(home)
  const host = c.api.host.includes(':') ? `[${c.api.host}]` : c.api.host
  return `http://${host}:${c.api.port}`
}

type ErrorShape = { code?: unknown; message?: unknown; details?: unknown; hints?: unknown }

export async function callApi<T>(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  let res: Response
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (cause) {
    throw new NodeError('CLI_API_UNREACHABLE', `cannot reach the node API at ${base}`, {
      cause,
      hints: ['is the node running? start it with `mpc-node start --home DIR`'],
    })
  }
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  if (res.ok && json !== undefined) return json as T
  const err = (json as { error?: ErrorShape } | undefined)?.error
  if (err !== undefined && typeof err.code === 'string' && typeof err.message === 'string') {
    const details =
      typeof err.details === 'object' && err.details !== null ? (err.details as Record<string, unknown>) : {}
    const hints = Array.isArray(err.hints) ? err.hints.filter((h): h is string => typeof h === 'string') : []
    throw new NodeError(err.code, err.message, {
      details: { ...details, status: res.status },
      hints,
      status: res.status,
    })
  }
  throw new NodeError('CLI_API_BAD_RESPONSE', `the node API answered ${res.status} without a JSON body`, {
    details: { status: res.status },
  })
}
