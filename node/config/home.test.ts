import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { NodeConfig } from './config.ts'
import { initHome, openHome, readPassphrase } from './home.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'home-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const config: NodeConfig = {
  name: 'device-1',
  role: 'device',
  listen: '/ip4/127.0.0.1/tcp/0',
  api: { host: '127.0.0.1', port: 0 },
  chain: { chainId: 31337 },
  peers: [],
  policy: 'policy.yaml',
}

describe('node home', () => {
  it('initialises once, then opens with the same identity', async () => {
    const { peerId } = await initHome({
      home: dir,
      config,
      passphrase: 'pw',
      scrypt: { N: 1024, r: 8, p: 1 },
    })
    await expect(initHome({ home: dir, config, passphrase: 'pw' })).rejects.toMatchObject({
      code: 'CONFIG_EXISTS',
    })
    const opened = await openHome(dir, 'pw')
    expect(opened.identity.peerId).toBe(peerId)
    expect(opened.config).toEqual(config)
    await opened.store.close()
    await expect(openHome(dir, 'wrong')).rejects.toMatchObject({ code: 'STORE_BAD_PASSPHRASE' })
  })

  it('reads the passphrase from an owner-only file or the environment', async () => {
    const file = join(dir, 'pass')
    await writeFile(file, 'from file\n', { mode: 0o600 })
    const s = await readPassphrase({ MPC_PASSPHRASE_FILE: file, MPC_PASSPHRASE: 'from env' })
    expect(new TextDecoder().decode(s.expose())).toBe('from file')
    expect(String(s)).toBe('[redacted]')
    await chmod(file, 0o644)
    await expect(readPassphrase({ MPC_PASSPHRASE_FILE: file })).rejects.toMatchObject({
      code: 'CONFIG_PASSPHRASE_FILE_INSECURE',
    })
    expect(new TextDecoder().decode((await readPassphrase({ MPC_PASSPHRASE: 'from env' })).expose())).toBe(
      'from env',
    )
    await expect(readPassphrase({})).rejects.toMatchObject({ code: 'CONFIG_NO_PASSPHRASE' })
  })
})
