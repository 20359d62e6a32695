// Shamir/Feldman helpers over Z_q with evaluation points x_i = i (dkls23.md §1.1).

import { inv, mod, Point as P, type Point } from './curve.ts'

/** f(x) = Σ a_k x^k (Horner). */
export function evalPoly(coeffs: readonly bigint[], x: bigint): bigint {
  let acc = 0n
  for (let k = coeffs.length - 1; k >= 0; k--) acc = mod(acc * x + coeffs[k]!)
  return acc
}

/** Σ_k x^k·F_k in the exponent (Horner; x is a small public index). */
export function evalPolyInExponent(commitments: readonly Point[], x: bigint): Point {
  let acc = P.ZERO
  for (let k = commitments.length - 1; k >= 0; k--) acc = acc.multiplyUnsafe(x).add(commitments[k]!)
  return acc
}

/** Lagrange coefficient at 0 for party i within the set `parties`. */
export function lagrangeAtZero(parties: readonly number[], i: number): bigint {
  let num = 1n
  let den = 1n
  const xi = BigInt(i)
  for (const j of parties) {
    if (j === i) continue
    const xj = BigInt(j)
    num = mod(num * xj)
    den = mod(den * (xj - xi))
  }
  return mod(num * inv(den))
}

/** Σ λ_j·S_j over a set: the value at 0 of the polynomial through the points, in the exponent. */
export function interpolateInExponent(points: ReadonlyMap<number, Point>): Point {
  const parties = [...points.keys()]
  let acc = P.ZERO
  for (const j of parties) acc = acc.add(points.get(j)!.multiplyUnsafe(lagrangeAtZero(parties, j)))
  return acc
}
