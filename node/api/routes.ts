// The route table: path pattern + method -> handler over the NodeApi.
import type { IncomingMessage } from 'node:http'
import { parseSubmitInput } from '../service/chain/input.ts'
import type { NodeApi } from '../service/types.ts'
import { apiError } from './errors.ts'
import { parseCreateKey, parseKeyId, parsePresign, parseReshare, parseSignInput } from './validate.ts'

export type Reply =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'text'; status: number; body: string; contentType: string }

export type RouteContext = {
  api: NodeApi
  params: string[]
  /** Reads and parses the JSON body (size- and type-checked). */
  body(): Promise<unknown>
  req: IncomingMessage
}

type Handler = (ctx: RouteContext) => Promise<Reply>

type Route = { pattern: RegExp; methods: Record<string, Handler> }

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

const json = (status: number, body: unknown): Reply => ({ kind: 'json', status, body })

function keyId(ctx: RouteContext): string {
  let raw: string
  try {
    raw = decodeURIComponent(ctx.params[0])
  } catch {
    raw = ''
  }
  const id = parseKeyId(raw)
  if (id === undefined) throw apiError(400, 'API_INVALID_KEY_ID', 'key id in the path is malformed')
  return id
}

const ROUTES: Route[] = [
  {
    pattern: /^\/v1\/keys$/,
    methods: {
      GET: async ({ api }) => json(200, { keys: await api.listKeys() }),
      POST: async (ctx) => json(201, await ctx.api.createKey(parseCreateKey(await ctx.body()))),
    },
  },
  {
    pattern: /^\/v1\/keys\/([^/]+)$/,
    methods: { GET: async (ctx) => json(200, await ctx.api.getKey(keyId(ctx))) },
  },
  {
    pattern: /^\/v1\/keys\/([^/]+)\/signatures$/,
    methods: {
      POST: async (ctx) => {
        const id = keyId(ctx)
        return json(200, await ctx.api.sign(id, parseSignInput(await ctx.body())))
      },
    },
  },
  {
    pattern: /^\/v1\/keys\/([^/]+)\/transactions$/,
    methods: {
      POST: async (ctx) => {
        const id = keyId(ctx)
        return json(200, await ctx.api.submit(id, parseSubmitInput(await ctx.body())))
      },
    },
  },
  {
    pattern: /^\/v1\/keys\/([^/]+)\/refresh$/,
    methods: { POST: async (ctx) => json(200, await ctx.api.refresh(keyId(ctx))) },
  },
  {
    pattern: /^\/v1\/keys\/([^/]+)\/reshare$/,
    methods: {
      POST: async (ctx) => {
        const id = keyId(ctx)
        return json(200, await ctx.api.reshare(id, parseReshare(await ctx.body())))
      },
    },
  },
  {
    pattern: /^\/v1\/keys\/([^/]+)\/presignatures$/,
    methods: {
      POST: async (ctx) => {
        const id = keyId(ctx)
        return json(200, await ctx.api.presign(id, parsePresign(await ctx.body())))
      },
    },
  },
  {
    pattern: /^\/v1\/keys\/([^/]+)\/xpub$/,
    methods: { GET: async (ctx) => json(200, await ctx.api.xpub(keyId(ctx))) },
  },
  {
    pattern: /^\/v1\/keys\/([^/]+)\/addresses$/,
    methods: {
      GET: async (ctx) => {
        const id = keyId(ctx)
        const path = new URL(ctx.req.url ?? '/', 'http://localhost').searchParams.get('path') ?? 'm'
        if (!/^m(\/\d{1,10})*$/.test(path))
          throw apiError(400, 'API_INVALID_PATH', 'path must look like m/0/7 (non-hardened)')
        return json(200, await ctx.api.address(id, path))
      },
    },
  },
  {
    pattern: /^\/v1\/health$/,
    methods: { GET: async ({ api }) => json(200, await api.health()) },
  },
  {
    pattern: /^\/metrics$/,
    methods: {
      GET: async ({ api }) => ({
        kind: 'text',
        status: 200,
        body: api.metrics(),
        contentType: PROMETHEUS_CONTENT_TYPE,
      }),
    },
  },
]

/** Finds the handler; throws 404 API_NOT_FOUND or 405 API_METHOD_NOT_ALLOWED (with `allow`). */
export function route(method: string, path: string): { handler: Handler; params: string[] } {
  for (const r of ROUTES) {
    const m = r.pattern.exec(path)
    if (m === null) continue
    const handler = r.methods[method]
    if (handler === undefined) {
      const allow = Object.keys(r.methods).join(', ')
      throw apiError(
        405,
        'API_METHOD_NOT_ALLOWED',
        `${method} is not allowed on ${path}`,
        { allow },
        { allow },
      )
    }
    return { handler, params: m.slice(1) }
  }
  throw apiError(404, 'API_NOT_FOUND', 'no such route', { path })
}
