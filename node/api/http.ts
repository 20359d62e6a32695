// Small node:http helpers: a bounded JSON body reader and response writers.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { apiError } from './errors.ts'

export const DEFAULT_BODY_LIMIT = 256 * 1024

/** Reads and parses a JSON request body. Throws 415, 413 or 400 NodeErrors. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type !== 'application/json') {
    throw apiError(415, 'API_UNSUPPORTED_MEDIA_TYPE', 'expected content-type: application/json')
  }
  const declared = Number(req.headers['content-length'] ?? Number.NaN)
  if (declared > limit) throw tooLarge(limit)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw tooLarge(limit)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim().length === 0) throw apiError(400, 'API_INVALID_JSON', 'request body is empty')
  try {
    return JSON.parse(text)
  } catch {
    throw apiError(400, 'API_INVALID_JSON', 'request body is not valid JSON')
  }
}

function tooLarge(limit: number) {
  return apiError(413, 'API_BODY_TOO_LARGE', `request body exceeds ${limit} bytes`, { limit })
}

const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value)
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}
