// Tamper helpers for the malicious-party tables: byte offsets of the wire layouts and re-encoders.

import { HEADER_BYTES } from '../../protocol/codec.ts'
import { G, Point } from '../../protocol/math/curve.ts'
import type { Delivery, Tamper } from '../../simulations/inprocess/driver.ts'

/** Offsets in signing wire round 2 (commitment, OT extension) and round 3 (nonce, Γ, RVOLE). */
export const SIGN = {
  r2: {
    commitment: HEADER_BYTES,
    u: HEADER_BYTES + 32,
    x: HEADER_BYTES + 32 + 5120,
    t: HEADER_BYTES + 32 + 5136,
  },
  r3: (() => {
    const echo = HEADER_BYTES
    const R = echo + 32
    const salt = R + 33
    const pk = salt + 32
    const gammaU = pk + 33
    const gammaV = gammaU + 33
    const psi = gammaV + 33
    const atilde = psi + 32
    const eta = atilde + 512 * 96
    const mu = eta + 32
    return { echo, R, salt, pk, gammaU, gammaV, psi, atilde, eta, mu }
  })(),
  r4: { u: HEADER_BYTES, w: HEADER_BYTES + 32 },
}

export const flip = (b: Uint8Array, off: number, mask = 1): Uint8Array => {
  const out = b.slice()
  out[off]! ^= mask
  return out
}

/** Replace the 33-byte point at `off` by that point plus G (still a valid point). */
export const bumpPoint = (b: Uint8Array, off: number): Uint8Array => {
  const out = b.slice()
  out.set(
    Point.fromBytes(b.subarray(off, off + 33))
      .add(G)
      .toBytes(true),
    off,
  )
  return out
}

/** A tamper that applies `f` to the message of `round` from `from` to `to` (to = undefined: to all). */
export function on(
  round: number,
  from: number,
  to: number | undefined,
  f: (p: Uint8Array, d: Delivery) => Uint8Array | null,
): Tamper {
  return (d) =>
    d.round === round && d.from === from && (to === undefined || d.to === to) ? f(d.payload, d) : undefined
}
