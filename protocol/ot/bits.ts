// Bit-matrix helpers. A row of the OT-extension matrix is a little-endian bit string viewed as
// 32-bit words; column c of rows r..r+31 is gathered by a 32×32 transpose.

/**
 * Transpose the 32×32 bit block whose row k is word `src[so + k*stride]` (bit b = column b)
 * into `dst[do + b*dstStride]` (bit k = row k). Branch-free (Hacker's Delight 7-3, LSB-first).
 */
export function transpose32(
  src: Uint32Array,
  so: number,
  stride: number,
  dst: Uint32Array,
  dOff: number,
  dstStride: number,
  tmp: Uint32Array,
): void {
  for (let k = 0; k < 32; k++) tmp[k] = src[so + k * stride]!
  let j = 16
  let m = 0x0000ffff
  while (j !== 0) {
    for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
      const t = ((tmp[k]! >>> j) ^ tmp[k + j]!) & m
      tmp[k] = tmp[k]! ^ (t << j)
      tmp[k + j] = tmp[k + j]! ^ t
    }
    j >>>= 1
    m ^= m << j
  }
  for (let k = 0; k < 32; k++) dst[dOff + k * dstStride] = tmp[k]! >>> 0
}

/**
 * Columns 0..cols-1 of a matrix of `rows` rows (each `rowWords` words) → `cols` columns of
 * rows/32 words each. rows and cols are multiples of 32.
 */
export function transposeColumns(m: Uint32Array, rows: number, rowWords: number, cols: number): Uint32Array {
  const colWords = rows >>> 5
  const out = new Uint32Array(cols * colWords)
  const tmp = new Uint32Array(32)
  for (let rb = 0; rb < colWords; rb++) {
    for (let cb = 0; cb < cols >>> 5; cb++) {
      transpose32(m, rb * 32 * rowWords + cb, rowWords, out, cb * 32 * colWords + rb, colWords, tmp)
    }
  }
  return out
}
