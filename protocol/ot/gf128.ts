// GF(2^128) with modulus x^128 + x^7 + x^2 + x + 1 (dkls23.md §5.2, Appendix B). An element is four
// little-endian 32-bit words: bit b of word w is the coefficient of x^(32w+b), which is the same as
// "bit k of byte m = coefficient of x^(8m+k)" on the byte string.
// Multiplication by a fixed element χ uses its 128 precomputed multiples χ·x^k and masks, so the
// running time and memory accesses do not depend on the other (secret) operand.

/** The 128 words-quadruples χ·x^k, k = 0..127, flattened (512 words). */
export type MulTable = Uint32Array

export function mulTable(chi: Uint32Array): MulTable {
  const t = new Uint32Array(512)
  let a0 = chi[0]!
  let a1 = chi[1]!
  let a2 = chi[2]!
  let a3 = chi[3]!
  for (let k = 0; k < 128; k++) {
    t[4 * k] = a0
    t[4 * k + 1] = a1
    t[4 * k + 2] = a2
    t[4 * k + 3] = a3
    // multiply by x: shift left one bit, reduce x^128 = x^7 + x^2 + x + 1
    const carry = a3 >>> 31
    a3 = ((a3 << 1) | (a2 >>> 31)) >>> 0
    a2 = ((a2 << 1) | (a1 >>> 31)) >>> 0
    a1 = ((a1 << 1) | (a0 >>> 31)) >>> 0
    a0 = ((a0 << 1) ^ (-carry & 0x87)) >>> 0
  }
  return t
}

/** acc ^= v·χ, where v is the 128-bit element at words v[vo..vo+3] and acc has 4 words. */
export function mulAcc(acc: Uint32Array, table: MulTable, v: Uint32Array, vo: number): void {
  let r0 = acc[0]!
  let r1 = acc[1]!
  let r2 = acc[2]!
  let r3 = acc[3]!
  for (let w = 0; w < 4; w++) {
    const word = v[vo + w]!
    const base = 128 * w
    for (let b = 0; b < 32; b++) {
      const m = -((word >>> b) & 1)
      const i = base + 4 * b
      r0 ^= table[i]! & m
      r1 ^= table[i + 1]! & m
      r2 ^= table[i + 2]! & m
      r3 ^= table[i + 3]! & m
    }
  }
  acc[0] = r0
  acc[1] = r1
  acc[2] = r2
  acc[3] = r3
}

/** Reference multiplication (bit by bit), for tests. */
export function gfMul(a: Uint32Array, b: Uint32Array): Uint32Array {
  const acc = new Uint32Array(4)
  mulAcc(acc, mulTable(b), a, 0)
  return acc
}
