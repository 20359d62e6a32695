// The node's HTTP API over node:http: JSON in and out, one route table, errors mapped in one place.
// Every request is logged as { method, path, status, ms } — never bodies, never query strings.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from '../log/index.ts'
import type { NodeApi } from '../service/types.ts'
import { mapError } from './errors.ts'
import { DEFAULT_BODY_LIMIT, readJsonBody, sendJson, sendText } from './http.ts'
import { route } from './routes.ts'

export type ApiServerInit = {
  api: NodeApi
  logger: Logger
  /** Listen host; loopback unless told otherwise. */
  host?: string
  /** Listen port; 0 picks a free one. */
  port?: number
  /** Largest accepted request body in bytes (default 256 KiB). */
  bodyLimit?: number
}

export type ApiServer = {
  start(): Promise<{ url: string }>
  stop(): Promise<void>
}

export function createApiServer(init: ApiServerInit): ApiServer {
  const host = init.host ?? '127.0.0.1'
  const limit = init.bodyLimit ?? DEFAULT_BODY_LIMIT
  const { api, logger } = init
  let server: Server | undefined

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now()
    const method = req.method ?? 'GET'
    const path = (req.url ?? '/').split('?')[0]
    let status = 500
    let code: string | undefined
    try {
      const { handler, params } = route(method, path)
      const reply = await handler({ api, params, req, body: () => readJsonBody(req, limit) })
      status = reply.status
      if (reply.kind === 'json') sendJson(res, reply.status, reply.body)
      else sendText(res, reply.status, reply.body, reply.contentType)
    } catch (e) {
      const mapped = mapError(e)
      status = mapped.status
      code = mapped.body.error.code
      // An unread request body (413, or an error before reading) must not be parsed as the next request.
      const unread = !req.readableEnded
      sendJson(
        res,
        mapped.status,
        mapped.body,
        unread ? { ...mapped.headers, connection: 'close' } : mapped.headers,
      )
      if (unread) req.resume()
      if (status >= 500)
        logger.error({ err: e, method, path, code: mapped.body.error.code }, 'request failed')
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10
      logger.info(
        code === undefined ? { method, path, status, ms } : { method, path, status, ms, code },
        'request',
      )
    }
  }

  return {
    start() {
      return new Promise((resolve, reject) => {
        const s = createServer((req, res) => void handle(req, res))
        s.once('error', reject)
        s.listen(init.port ?? 0, host, () => {
          s.off('error', reject)
          s.on('error', (err) => logger.error({ err }, 'api server error'))
          server = s
          const port = (s.address() as AddressInfo).port
          const shown = host.includes(':') ? `[${host}]` : host
          resolve({ url: `http://${shown}:${port}` })
        })
      })
    },
    stop() {
      const s = server
      server = undefined
      if (s === undefined) return Promise.resolve()
      return new Promise((resolve) => {
        s.close(() => resolve())
        s.closeIdleConnections()
        // In-flight requests (a DKG can take seconds) get a short grace period.
        setTimeout(() => s.closeAllConnections(), 2000).unref()
      })
    },
  }
}
