import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createLogger } from './logger.ts'
import { Secret } from './secret.ts'

function collector(): { lines: string[]; stream: Writable } {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk))
      cb()
    },
  })
  return { lines, stream }
}

/** Every printable form of the bytes that a careless serializer could produce. */
function forms(bytes: Uint8Array): string[] {
  const buf = Buffer.from(bytes)
  return [
    buf.toString('hex'),
    buf.toString('base64'),
    buf.toString('base64url'),
    Array.from(bytes).join(','),
    Array.from(bytes.subarray(0, 8)).join(','),
    buf.toString('hex').slice(0, 16),
  ]
}

const flush = () => new Promise((r) => setImmediate(r))

describe('logger redaction', () => {
  it.each([false, true])(
    'never prints Secret contents or secret-named fields (pretty=%s)',
    async (pretty) => {
      const { lines, stream } = collector()
      const log = createLogger({ destination: stream, pretty, level: 'debug' })
      const bytes = randomBytes(32)
      const secret = new Secret(Uint8Array.from(bytes))
      log.info({ secret }, 'wrapped')
      log.info({ material: secret, nested: { deeper: { s: secret } } }, 'wrapped under any name')
      log.info({ share: Uint8Array.from(bytes), passphrase: 'hunter2-passphrase' }, 'named fields')
      log.info(
        { ceremony: { share: Buffer.from(bytes), seed: bytes.toString('hex') } },
        'nested named fields',
      )
      log.info({ a: { b: { privateKey: bytes.toString('base64') } } }, 'deeply nested')
      log.debug(`template ${secret} and ${String(secret)}`)
      log.warn({ err: new Error(`failed with ${secret}`) }, 'error carrying a secret')
      await flush()
      const out = lines.join('')
      expect(lines.length).toBeGreaterThanOrEqual(7)
      expect(out).toContain('[redacted]')
      for (const f of [...forms(bytes), 'hunter2-passphrase']) expect(out).not.toContain(f)
    },
  )

  it('keeps non-secret fields', async () => {
    const { lines, stream } = collector()
    const log = createLogger({ destination: stream, pretty: false })
    log.info({ keyId: 'k1', peer: 'p', round: 3 }, 'hello')
    await flush()
    const line = JSON.parse(lines[0])
    expect(line).toMatchObject({ keyId: 'k1', peer: 'p', round: 3, msg: 'hello', name: 'mpc-node' })
  })
})

describe('Secret', () => {
  it('has no printable form', () => {
    const bytes = randomBytes(16)
    const s = new Secret(Uint8Array.from(bytes))
    const printed = [
      JSON.stringify({ s }),
      String(s),
      `${s}`,
      inspect(s),
      inspect({ s }, { depth: 5 }),
      s + '',
    ]
    for (const p of printed) for (const f of forms(bytes)) expect(p).not.toContain(f)
    expect(Object.keys(s)).toEqual([])
    expect(Buffer.from(s.expose()).equals(bytes)).toBe(true)
  })

  it('zeroes bytes on dispose and refuses use afterwards', async () => {
    const value = Uint8Array.from(randomBytes(16))
    const s = new Secret(value)
    const seen = await s.use((v) => v.length)
    expect(seen).toBe(16)
    expect(value.every((x) => x === 0)).toBe(true)
    expect(s.disposed).toBe(true)
    expect(() => s.expose()).toThrow(expect.objectContaining({ code: 'SECRET_DISPOSED' }))
  })
})
