// Helpers for the key-lifecycle suite on node processes (test/e2e/lifecycle.e2e.test.ts): what a
// STOPPED node's store holds (opened with its passphrase, never from a running node, shares never
// combined), independent signature checks, the `mpc-node` CLI as a process, and polling.

import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { homePaths } from '../../node/config/index.ts'
import type { SignatureView } from '../../node/service/types.ts'
import type { KeyRecord } from '../../node/store/records.ts'
import { Store } from '../../node/store/store.ts'
import { TEST_PASSPHRASE } from './cluster.ts'
import { call } from './node-process.ts'

const BIN = fileURLToPath(new URL('../../node/cli/bin.mjs', import.meta.url))
const REPO = fileURLToPath(new URL('../../', import.meta.url))

export type ErrorBody = {
  error: {
    code: string
    message: string
    details?: {
      denials?: { peerId: string; code: string; reasons: string[] }[]
      waitingFor?: string[]
      round?: number
    }
  }
}

/** One key as a stopped node's store holds it. */
export type StoredKey = {
  record: KeyRecord | undefined
  /** Epochs with a share in the store. */
  epochs: number[]
  /** Serialized share per epoch (copies, test memory only). */
  shares: Map<number, Uint8Array>
  /** Ids of this key's presignature records (`presig/<keyId>/<id>` → `<id>`). */
  presignatures: string[]
}

/** Opens a stopped node's store with its passphrase and reads one key (fails if the node runs). */
export async function readStoredKey(home: string, keyId: string): Promise<StoredKey> {
  const store = await Store.open({ path: homePaths(home).db, passphrase: TEST_PASSPHRASE })
  try {
    const epochs = await store.shares.epochs(keyId)
    const shares = new Map<number, Uint8Array>()
    for (const e of epochs) {
      const secret = await store.shares.get(keyId, e)
      if (!secret) continue
      shares.set(e, Uint8Array.from(secret.expose()))
      secret.dispose()
    }
    const presignatures = (await store.secrets.ids({ gte: `presig/${keyId}/`, lt: `presig/${keyId}0` })).map(
      (id) => id.split('/')[2]!,
    )
    return { record: await store.keys.get(keyId), epochs, shares, presignatures }
  } finally {
    await store.close()
  }
}

/** Every presignature record (`presig/...`) of a stopped node, with its bytes. */
export async function readPresignatures(home: string): Promise<Map<string, Uint8Array>> {
  const store = await Store.open({ path: homePaths(home).db, passphrase: TEST_PASSPHRASE })
  try {
    const out = new Map<string, Uint8Array>()
    for (const id of await store.secrets.ids({ gte: 'presig/', lt: 'presig0' })) {
      const bytes = await store.secrets.get(id)
      if (bytes) out.set(id, bytes)
    }
    return out
  } finally {
    await store.close()
  }
}

/** Positions at which two equally long byte strings agree (≈ length/256 for independent bytes). */
export function samePositions(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`)
  let n = 0
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) n++
  return n
}

/** Whether `needle` occurs in `hay`. */
export function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle)) >= 0
}

export const hexBytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/^0x/, ''), 'hex'))

/** noble verify of a signature view's (r, s) over its digest under `publicKey` (compressed hex). */
export function verifies(sig: SignatureView, publicKey: string): boolean {
  const compact = new secp256k1.Signature(BigInt(sig.r), BigInt(sig.s)).toBytes('compact')
  return secp256k1.verify(compact, hexBytes(sig.digest), hexBytes(publicKey), { prehash: false, lowS: true })
}

export async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  ms = 30_000,
  everyMs = 50,
): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Ceremonies in progress on a node (its /metrics gauge); 0 when it does not answer. */
export async function ceremoniesRunning(api: string): Promise<number> {
  try {
    const r = await call<string>(api, 'GET', '/metrics', undefined, 2000)
    return Number(/^mpc_ceremonies_running (\d+)$/m.exec(r.text)?.[1] ?? 0)
  } catch {
    return 0
  }
}

/** `mpc-node ...` as a process (the real executable), with the test passphrase. */
export function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const e = { ...process.env, MPC_NODE_PASSPHRASE: TEST_PASSPHRASE, ...env } as Record<string, string>
    delete e.NODE_OPTIONS
    delete e.VITEST
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: e })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => resolve({ code, out, err }))
  })
}
