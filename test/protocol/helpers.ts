import { secp256k1 } from '@noble/curves/secp256k1.js'
import { expect } from 'vitest'
import { isProtocolError, type ProtocolError } from '../../protocol/errors.ts'
import type { Signature } from '../../protocol/sign/party.ts'
import { CeremonyFailure } from '../../simulations/inprocess/driver.ts'
import { type SeededRng, seededRng } from '../../simulations/seeded-rng.ts'

/** Run `fn` with a seeded RNG; on failure, print the seed so the run can be replayed. */
export function withSeed<T>(seed: string, fn: (rng: SeededRng) => T): T {
  const report = (e: unknown) => {
    console.error(`failing seed: ${seed} (replay with this seed)`)
    if (e instanceof Error) e.message = `[seed ${seed}] ${e.message}`
    return e
  }
  try {
    const out = fn(seededRng(seed))
    if (out instanceof Promise) return out.catch((e) => Promise.reject(report(e))) as T
    return out
  } catch (e) {
    throw report(e)
  }
}

/** Run a ceremony expected to fail, and assert how party `at` failed. */
export function expectPartyAbort(
  fn: () => unknown,
  at: number,
  code: string,
  culprits: number[],
  ban = false,
): ProtocolError {
  let err: unknown
  try {
    fn()
  } catch (e) {
    err = e
  }
  if (!(err instanceof CeremonyFailure))
    throw err ?? new Error(`expected ${code} at party ${at}, the ceremony succeeded`)
  const e = err.failures.get(at)
  if (!isProtocolError(e))
    throw e ?? new Error(`party ${at} did not fail; failures: ${[...err.failures.keys()]}`)
  expect({ code: e.code, culprits: [...e.culprits], ban: e.ban }).toEqual({ code, culprits, ban })
  return e
}

/** Assert `fn` throws a ProtocolError with this code, culprits and ban flag. */
export function expectAbort(fn: () => unknown, code: string, culprits: number[], ban = false): ProtocolError {
  let err: unknown
  try {
    fn()
  } catch (e) {
    err = e
  }
  expect(err, `expected ${code}`).toBeDefined()
  if (!isProtocolError(err)) throw err
  expect({ code: err.code, culprits: [...err.culprits], ban: err.ban }).toEqual({ code, culprits, ban })
  return err
}

/** The final signature checked independently of the protocol with noble. */
export function expectValidSignature(sig: Signature, digest: Uint8Array, publicKey: Uint8Array): void {
  const compact = new secp256k1.Signature(sig.r, sig.s).toBytes('compact')
  expect(secp256k1.verify(compact, digest, publicKey, { prehash: false })).toBe(true)
  expect(sig.s <= secp256k1.Point.Fn.ORDER >> 1n).toBe(true)
  const recovered = new secp256k1.Signature(sig.r, sig.s, sig.recovery).recoverPublicKey(digest)
  expect(recovered.toBytes(true)).toEqual(publicKey)
}

/** All k-element subsets of 1..n, ascending. */
export function subsets(n: number, k: number): number[][] {
  const out: number[][] = []
  const rec = (start: number, acc: number[]) => {
    if (acc.length === k) return void out.push([...acc])
    for (let i = start; i <= n; i++) rec(i + 1, [...acc, i])
  }
  rec(1, [])
  return out
}
