import { request as httpRequest } from 'node:http'
import { Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NodeError } from '../errors.ts'
import { createLogger } from '../log/index.ts'
import { type ApiServer, createApiServer } from './server.ts'
import { FakeNodeApi } from './testkit.ts'

const PEERS = [
  '12D3KooWMm4srrCjx9nBHE73xohcWXCWzSdGN2XTr7Wkwdapkywr',
  '12D3KooWJbutgL4SE1ZSZ7yQc8f9ECe3QY5oxifY6ScAUDW7xpXk',
  '12D3KooWKv1bpJBUUmWnfyq6L9A7ybLaHJ1ohozbKc51xen5WrnE',
]
const TX = {
  chainId: 31337,
  nonce: 0,
  to: `0x${'ab'.repeat(20)}`,
  value: '1000',
  data: '0x',
  gas: '21000',
  maxFeePerGas: '0x3b9aca00',
  maxPriorityFeePerGas: '1',
}

let api: FakeNodeApi
let server: ApiServer
let url: string
let logLines: string[]

beforeEach(async () => {
  api = new FakeNodeApi()
  logLines = []
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk))
      cb()
    },
  })
  server = createApiServer({ api, logger: createLogger({ destination, pretty: false }), port: 0 })
  ;({ url } = await server.start())
})
afterEach(async () => {
  await server.stop()
})

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } }
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
  }
  const res = await fetch(`${url}${path}`, init)
  const text = await res.text()
  const isJson = res.headers.get('content-type')?.startsWith('application/json') === true
  return { status: res.status, headers: res.headers, text, json: isJson ? JSON.parse(text) : undefined }
}

async function withKey(): Promise<string> {
  const r = await call('POST', '/v1/keys', { committee: PEERS, threshold: 2 })
  return r.json.keyId as string
}

describe('routes', () => {
  it('POST /v1/keys runs a keygen and answers 201 with the key', async () => {
    const r = await call('POST', '/v1/keys', { committee: PEERS, threshold: 2 })
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({ keyId: 'k001', threshold: 2, committee: PEERS })
    expect(api.calls.at(-1)).toEqual({ op: 'createKey', input: { committee: PEERS, threshold: 2 } })
  })

  it('GET /v1/keys and /v1/keys/{keyId}', async () => {
    const keyId = await withKey()
    const list = await call('GET', '/v1/keys')
    expect(list.status).toBe(200)
    expect(list.json.keys.map((k: { keyId: string }) => k.keyId)).toEqual([keyId])
    const one = await call('GET', `/v1/keys/${keyId}`)
    expect(one.status).toBe(200)
    expect(one.json.keyId).toBe(keyId)
  })

  it('POST signatures passes a validated transaction, signers and path', async () => {
    const keyId = await withKey()
    const body = { transaction: TX, signers: PEERS.slice(0, 2), derivationPath: 'm/0/7' }
    const r = await call('POST', `/v1/keys/${keyId}/signatures`, body)
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ keyId, yParity: 1, derivationPath: 'm/0/7', signers: PEERS.slice(0, 2) })
    expect(api.calls.at(-1)).toEqual({ op: 'sign', keyId, input: body })
  })

  it('POST signatures accepts a message, a raw message and a request JWS', async () => {
    const keyId = await withKey()
    for (const body of [
      { message: 'hello' },
      { message: { raw: '0xdeadbeef' } },
      { request: 'eyJhbGciOiJFUzI1NksifQ.eyJ4IjoxfQ.c2ln', approvals: ['a.b.c'] },
    ]) {
      const r = await call('POST', `/v1/keys/${keyId}/signatures`, body)
      expect(r.status).toBe(200)
      expect(api.calls.at(-1)?.input).toEqual(body)
    }
  })

  it('POST transactions submits and answers the receipt view', async () => {
    const keyId = await withKey()
    const { chainId, to, value, data, gas } = TX
    const r = await call('POST', `/v1/keys/${keyId}/transactions`, {
      transaction: { chainId, to, value, data, gas },
    })
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ status: 'success', nonce: 0 })
  })

  it('GET /v1/health and /metrics', async () => {
    const h = await call('GET', '/v1/health')
    expect(h.status).toBe(200)
    expect(h.json).toMatchObject({ status: 'ok', peerId: api.peerId })
    const m = await call('GET', '/metrics')
    expect(m.status).toBe(200)
    expect(m.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(m.text).toContain('mpc_up 1')
  })
})

describe('errors', () => {
  it('unknown route is 404, wrong method is 405 with allow', async () => {
    const nf = await call('GET', '/v2/nothing')
    expect(nf.status).toBe(404)
    expect(nf.json.error.code).toBe('API_NOT_FOUND')
    const na = await call('DELETE', '/v1/keys')
    expect(na.status).toBe(405)
    expect(na.json.error.code).toBe('API_METHOD_NOT_ALLOWED')
    expect(na.headers.get('allow')).toBe('GET, POST')
  })

  it('a NodeError keeps its status, code, details and hints', async () => {
    const r = await call('GET', '/v1/keys/unknown')
    expect(r.status).toBe(404)
    expect(r.json).toEqual({
      error: { code: 'KEY_NOT_FOUND', message: 'no such key', details: { keyId: 'unknown' } },
    })
    api.failWith = new NodeError('POLICY_DENIED', 'denied by policy', {
      status: 403,
      hints: ['ask an operator'],
    })
    const d = await call('GET', '/v1/keys')
    expect(d.status).toBe(403)
    expect(d.json.error).toEqual({
      code: 'POLICY_DENIED',
      message: 'denied by policy',
      hints: ['ask an operator'],
    })
  })

  it('an unexpected error is a generic 500 that leaks nothing', async () => {
    const secret = 'share=0123456789abcdef'
    api.failWith = new Error(`boom ${secret}`)
    const r = await call('GET', '/v1/health')
    expect(r.status).toBe(500)
    expect(r.json).toEqual({ error: { code: 'API_INTERNAL', message: 'internal error; see the node log' } })
    expect(r.text).not.toContain(secret)
    expect(r.text).not.toContain('at ')
  })

  it('bad JSON, empty body and a wrong content-type', async () => {
    const bad = await call('POST', '/v1/keys', '{"committee": [')
    expect(bad.status).toBe(400)
    expect(bad.json.error.code).toBe('API_INVALID_JSON')
    const empty = await call('POST', '/v1/keys', '')
    expect(empty.status).toBe(400)
    const type = await call('POST', '/v1/keys', '{}', { 'content-type': 'text/plain' })
    expect(type.status).toBe(415)
    expect(type.json.error.code).toBe('API_UNSUPPORTED_MEDIA_TYPE')
  })

  it('an oversized body is refused with 413', async () => {
    const big = JSON.stringify({ message: 'x'.repeat(300 * 1024) })
    const r = await call('POST', '/v1/keys/k001/signatures', big)
    expect(r.status).toBe(413)
    expect(r.json.error.code).toBe('API_BODY_TOO_LARGE')
  })

  it('an oversized chunked body (no content-length) is refused with 413', async () => {
    const port = Number(new URL(url).port)
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/keys',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      for (let i = 0; i < 20; i++) req.write('x'.repeat(16 * 1024))
      req.end()
    })
    expect(status).toBe(413)
  })

  it.each([
    ['committee', { threshold: 2 }, 'committee'],
    ['committee entry', { committee: ['nope', PEERS[1]], threshold: 1 }, 'committee[0]'],
    ['duplicate peers', { committee: [PEERS[0], PEERS[0]], threshold: 1 }, 'committee'],
    ['threshold range', { committee: PEERS, threshold: 4 }, 'threshold'],
    ['threshold type', { committee: PEERS, threshold: '2' }, 'threshold'],
    ['unknown field', { committee: PEERS, threshold: 2, extra: 1 }, 'extra'],
  ])('keygen body: %s', async (_name, body, field) => {
    const r = await call('POST', '/v1/keys', body)
    expect(r.status).toBe(400)
    expect(r.json.error.code).toBe('API_INVALID_BODY')
    expect(r.json.error.details).toEqual({ field })
    expect(r.json.error.message.startsWith(`${field}:`)).toBe(true)
  })

  it.each([
    ['nothing to sign', {}, '(body)'],
    ['two things to sign', { message: 'a', request: 'a.b.c' }, 'request'],
    ['chainId as string', { transaction: { ...TX, chainId: '1' } }, 'transaction.chainId'],
    ['nonce negative', { transaction: { ...TX, nonce: -1 } }, 'transaction.nonce'],
    ['value as number', { transaction: { ...TX, value: 5 } }, 'transaction.value'],
    ['gas missing', { transaction: { ...TX, gas: undefined } }, 'transaction.gas'],
    ['fee not a quantity', { transaction: { ...TX, maxFeePerGas: '1.5' } }, 'transaction.maxFeePerGas'],
    ['to not an address', { transaction: { ...TX, to: '0x1234' } }, 'transaction.to'],
    ['odd hex data', { transaction: { ...TX, data: '0xabc' } }, 'transaction.data'],
    ['unknown tx field', { transaction: { ...TX, from: TX.to } }, 'transaction.from'],
    ['raw message not hex', { message: { raw: 'zz' } }, 'message'],
    ['request not a JWS', { request: 'not a jws' }, 'request'],
    ['approvals not JWS', { message: 'm', approvals: ['x'] }, 'approvals[0]'],
    ['signers not peer ids', { message: 'm', signers: ['bob'] }, 'signers[0]'],
    ['hardened path', { message: 'm', derivationPath: "m/0'/1" }, 'derivationPath'],
    ['index too large', { message: 'm', derivationPath: 'm/2147483648' }, 'derivationPath'],
  ])('sign body: %s', async (_name, body, field) => {
    const keyId = await withKey()
    const r = await call('POST', `/v1/keys/${keyId}/signatures`, body)
    expect(r.status).toBe(400)
    expect(r.json.error).toMatchObject({ code: 'API_INVALID_BODY', details: { field } })
  })

  it('submitting a message is refused', async () => {
    const keyId = await withKey()
    const r = await call('POST', `/v1/keys/${keyId}/transactions`, { message: 'm' })
    expect(r.status).toBe(400)
    expect(r.json.error.details).toEqual({ field: 'message' })
  })

  it('a malformed key id in the path is a 400', async () => {
    const r = await call('GET', '/v1/keys/%E0%A4%A')
    expect(r.status).toBe(400)
    expect(r.json.error.code).toBe('API_INVALID_KEY_ID')
  })
})

describe('logging', () => {
  it('logs method, path, status and duration, never bodies or query strings', async () => {
    await call('POST', '/v1/keys?token=abc', { committee: PEERS, threshold: 2 })
    await call('GET', '/nope')
    const entries = logLines.map((l) => JSON.parse(l)).filter((e) => e.msg === 'request')
    expect(entries.map((e) => [e.method, e.path, e.status])).toEqual([
      ['POST', '/v1/keys', 201],
      ['GET', '/nope', 404],
    ])
    expect(typeof entries[0].ms).toBe('number')
    const all = logLines.join('')
    expect(all).not.toContain(PEERS[2])
    expect(all).not.toContain('token=abc')
  })
})
