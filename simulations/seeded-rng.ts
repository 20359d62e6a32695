// A seeded, deterministic RNG for tests and simulations only (threats.md #13: production code has no
// way to select it; node/ always passes the platform CSPRNG). ChaCha20 keystream keyed by
// SHA-256(seed); `fork(label)` derives independent streams, e.g. one per simulated party.

import { chacha20 } from '@noble/ciphers/chacha.js'
import { sha256 } from '@noble/hashes/sha2.js'
import type { Rng } from '../protocol/rng.ts'

export type SeededRng = Rng & { readonly seed: string; fork(label: string): SeededRng }

export function seededRng(seed: string | number): SeededRng {
  const seedStr = String(seed)
  const key = sha256(new TextEncoder().encode(`stv3-seeded-rng/${seedStr}`))
  const nonce = new Uint8Array(12)
  let counter = 0
  let buf = new Uint8Array(0)
  let pos = 0
  const refill = () => {
    const block = new Uint8Array(4096)
    buf = chacha20(key, nonce, block, block, counter)
    counter += 4096 / 64
    pos = 0
  }
  return {
    seed: seedStr,
    fill(out: Uint8Array): Uint8Array {
      let o = 0
      while (o < out.length) {
        if (pos >= buf.length) refill()
        const n = Math.min(out.length - o, buf.length - pos)
        out.set(buf.subarray(pos, pos + n), o)
        pos += n
        o += n
      }
      return out
    },
    fork(label: string): SeededRng {
      return seededRng(`${seedStr}/${label}`)
    },
  }
}

/** Seed for a test run: MPC_TEST_SEED if set, else a fresh one; always printed on failure by callers. */
export function testSeed(): string {
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env
  if (env?.MPC_TEST_SEED) return env.MPC_TEST_SEED
  const b = new Uint8Array(8)
  globalThis.crypto.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}
