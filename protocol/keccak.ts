// Keccak-p[1600, n_r] on a Uint32Array(50) state: lane i is words (2i, 2i+1) = (low, high) in
// little-endian order, the layout of noble's `keccakP`. This is the same permutation written with the
// 25 lanes in local variables, because the signing hot path spends most of its time here (about 7,000
// single-block TurboSHAKE256 calls per two-party signature). A test checks it against noble's
// keccakP on random states for every round count used.

const RC_LO = new Uint32Array([
  0x00000001, 0x00008082, 0x0000808a, 0x80008000, 0x0000808b, 0x80000001, 0x80008081, 0x00008009, 0x0000008a,
  0x00000088, 0x80008009, 0x8000000a, 0x8000808b, 0x0000008b, 0x00008089, 0x00008003, 0x00008002, 0x00000080,
  0x0000800a, 0x8000000a, 0x80008081, 0x00008080, 0x80000001, 0x80008008,
])
const RC_HI = new Uint32Array([
  0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x00000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x80000000, 0x80000000, 0x80000000,
  0x00000000, 0x80000000, 0x80000000, 0x80000000, 0x00000000, 0x80000000,
])

export function keccakP1600(s: Uint32Array, rounds: number): void {
  let a00l = s[0]!, a00h = s[1]!, a01l = s[2]!, a01h = s[3]!, a02l = s[4]!, a02h = s[5]!, a03l = s[6]!, a03h = s[7]!
  let a04l = s[8]!, a04h = s[9]!, a05l = s[10]!, a05h = s[11]!, a06l = s[12]!, a06h = s[13]!, a07l = s[14]!, a07h = s[15]!
  let a08l = s[16]!, a08h = s[17]!, a09l = s[18]!, a09h = s[19]!, a10l = s[20]!, a10h = s[21]!, a11l = s[22]!, a11h = s[23]!
  let a12l = s[24]!, a12h = s[25]!, a13l = s[26]!, a13h = s[27]!, a14l = s[28]!, a14h = s[29]!, a15l = s[30]!, a15h = s[31]!
  let a16l = s[32]!, a16h = s[33]!, a17l = s[34]!, a17h = s[35]!, a18l = s[36]!, a18h = s[37]!, a19l = s[38]!, a19h = s[39]!
  let a20l = s[40]!, a20h = s[41]!, a21l = s[42]!, a21h = s[43]!, a22l = s[44]!, a22h = s[45]!, a23l = s[46]!, a23h = s[47]!
  let a24l = s[48]!, a24h = s[49]!
  for (let r = 24 - rounds; r < 24; r++) {
    // θ: column parities (lane index = x + 5y)
    const c0l = a00l ^ a05l ^ a10l ^ a15l ^ a20l, c0h = a00h ^ a05h ^ a10h ^ a15h ^ a20h
    const c1l = a01l ^ a06l ^ a11l ^ a16l ^ a21l, c1h = a01h ^ a06h ^ a11h ^ a16h ^ a21h
    const c2l = a02l ^ a07l ^ a12l ^ a17l ^ a22l, c2h = a02h ^ a07h ^ a12h ^ a17h ^ a22h
    const c3l = a03l ^ a08l ^ a13l ^ a18l ^ a23l, c3h = a03h ^ a08h ^ a13h ^ a18h ^ a23h
    const c4l = a04l ^ a09l ^ a14l ^ a19l ^ a24l, c4h = a04h ^ a09h ^ a14h ^ a19h ^ a24h
    // D[x] = C[x-1] ^ rot(C[x+1], 1)
    const d0l = c4l ^ ((c1l << 1) | (c1h >>> 31)), d0h = c4h ^ ((c1h << 1) | (c1l >>> 31))
    const d1l = c0l ^ ((c2l << 1) | (c2h >>> 31)), d1h = c0h ^ ((c2h << 1) | (c2l >>> 31))
    const d2l = c1l ^ ((c3l << 1) | (c3h >>> 31)), d2h = c1h ^ ((c3h << 1) | (c3l >>> 31))
    const d3l = c2l ^ ((c4l << 1) | (c4h >>> 31)), d3h = c2h ^ ((c4h << 1) | (c4l >>> 31))
    const d4l = c3l ^ ((c0l << 1) | (c0h >>> 31)), d4h = c3h ^ ((c0h << 1) | (c0l >>> 31))
    a00l ^= d0l; a00h ^= d0h; a05l ^= d0l; a05h ^= d0h; a10l ^= d0l; a10h ^= d0h; a15l ^= d0l; a15h ^= d0h; a20l ^= d0l; a20h ^= d0h
    a01l ^= d1l; a01h ^= d1h; a06l ^= d1l; a06h ^= d1h; a11l ^= d1l; a11h ^= d1h; a16l ^= d1l; a16h ^= d1h; a21l ^= d1l; a21h ^= d1h
    a02l ^= d2l; a02h ^= d2h; a07l ^= d2l; a07h ^= d2h; a12l ^= d2l; a12h ^= d2h; a17l ^= d2l; a17h ^= d2h; a22l ^= d2l; a22h ^= d2h
    a03l ^= d3l; a03h ^= d3h; a08l ^= d3l; a08h ^= d3h; a13l ^= d3l; a13h ^= d3h; a18l ^= d3l; a18h ^= d3h; a23l ^= d3l; a23h ^= d3h
    a04l ^= d4l; a04h ^= d4h; a09l ^= d4l; a09h ^= d4h; a14l ^= d4l; a14h ^= d4h; a19l ^= d4l; a19h ^= d4h; a24l ^= d4l; a24h ^= d4h
    // ρ and π: B[y, 2x+3y] = rot(A[x, y], r[x, y]); written as b{dest} from a{src}.
    const b00l = a00l, b00h = a00h
    const b10l = (a01l << 1) | (a01h >>> 31), b10h = (a01h << 1) | (a01l >>> 31)
    const b20l = (a02h << 30) | (a02l >>> 2), b20h = (a02l << 30) | (a02h >>> 2)
    const b05l = (a03l << 28) | (a03h >>> 4), b05h = (a03h << 28) | (a03l >>> 4)
    const b15l = (a04l << 27) | (a04h >>> 5), b15h = (a04h << 27) | (a04l >>> 5)
    const b16l = (a05h << 4) | (a05l >>> 28), b16h = (a05l << 4) | (a05h >>> 28)
    const b01l = (a06h << 12) | (a06l >>> 20), b01h = (a06l << 12) | (a06h >>> 20)
    const b11l = (a07l << 6) | (a07h >>> 26), b11h = (a07h << 6) | (a07l >>> 26)
    const b21l = (a08h << 23) | (a08l >>> 9), b21h = (a08l << 23) | (a08h >>> 9)
    const b06l = (a09l << 20) | (a09h >>> 12), b06h = (a09h << 20) | (a09l >>> 12)
    const b07l = (a10l << 3) | (a10h >>> 29), b07h = (a10h << 3) | (a10l >>> 29)
    const b17l = (a11l << 10) | (a11h >>> 22), b17h = (a11h << 10) | (a11l >>> 22)
    const b02l = (a12h << 11) | (a12l >>> 21), b02h = (a12l << 11) | (a12h >>> 21)
    const b12l = (a13l << 25) | (a13h >>> 7), b12h = (a13h << 25) | (a13l >>> 7)
    const b22l = (a14h << 7) | (a14l >>> 25), b22h = (a14l << 7) | (a14h >>> 25)
    const b23l = (a15h << 9) | (a15l >>> 23), b23h = (a15l << 9) | (a15h >>> 23)
    const b08l = (a16h << 13) | (a16l >>> 19), b08h = (a16l << 13) | (a16h >>> 19)
    const b18l = (a17l << 15) | (a17h >>> 17), b18h = (a17h << 15) | (a17l >>> 17)
    const b03l = (a18l << 21) | (a18h >>> 11), b03h = (a18h << 21) | (a18l >>> 11)
    const b13l = (a19l << 8) | (a19h >>> 24), b13h = (a19h << 8) | (a19l >>> 24)
    const b14l = (a20l << 18) | (a20h >>> 14), b14h = (a20h << 18) | (a20l >>> 14)
    const b24l = (a21l << 2) | (a21h >>> 30), b24h = (a21h << 2) | (a21l >>> 30)
    const b09l = (a22h << 29) | (a22l >>> 3), b09h = (a22l << 29) | (a22h >>> 3)
    const b19l = (a23h << 24) | (a23l >>> 8), b19h = (a23l << 24) | (a23h >>> 8)
    const b04l = (a24l << 14) | (a24h >>> 18), b04h = (a24h << 14) | (a24l >>> 18)
    // χ and ι
    a00l = b00l ^ (~b01l & b02l) ^ RC_LO[r]!
    a00h = b00h ^ (~b01h & b02h) ^ RC_HI[r]!
    a01l = b01l ^ (~b02l & b03l); a01h = b01h ^ (~b02h & b03h)
    a02l = b02l ^ (~b03l & b04l); a02h = b02h ^ (~b03h & b04h)
    a03l = b03l ^ (~b04l & b00l); a03h = b03h ^ (~b04h & b00h)
    a04l = b04l ^ (~b00l & b01l); a04h = b04h ^ (~b00h & b01h)
    a05l = b05l ^ (~b06l & b07l); a05h = b05h ^ (~b06h & b07h)
    a06l = b06l ^ (~b07l & b08l); a06h = b06h ^ (~b07h & b08h)
    a07l = b07l ^ (~b08l & b09l); a07h = b07h ^ (~b08h & b09h)
    a08l = b08l ^ (~b09l & b05l); a08h = b08h ^ (~b09h & b05h)
    a09l = b09l ^ (~b05l & b06l); a09h = b09h ^ (~b05h & b06h)
    a10l = b10l ^ (~b11l & b12l); a10h = b10h ^ (~b11h & b12h)
    a11l = b11l ^ (~b12l & b13l); a11h = b11h ^ (~b12h & b13h)
    a12l = b12l ^ (~b13l & b14l); a12h = b12h ^ (~b13h & b14h)
    a13l = b13l ^ (~b14l & b10l); a13h = b13h ^ (~b14h & b10h)
    a14l = b14l ^ (~b10l & b11l); a14h = b14h ^ (~b10h & b11h)
    a15l = b15l ^ (~b16l & b17l); a15h = b15h ^ (~b16h & b17h)
    a16l = b16l ^ (~b17l & b18l); a16h = b16h ^ (~b17h & b18h)
    a17l = b17l ^ (~b18l & b19l); a17h = b17h ^ (~b18h & b19h)
    a18l = b18l ^ (~b19l & b15l); a18h = b18h ^ (~b19h & b15h)
    a19l = b19l ^ (~b15l & b16l); a19h = b19h ^ (~b15h & b16h)
    a20l = b20l ^ (~b21l & b22l); a20h = b20h ^ (~b21h & b22h)
    a21l = b21l ^ (~b22l & b23l); a21h = b21h ^ (~b22h & b23h)
    a22l = b22l ^ (~b23l & b24l); a22h = b22h ^ (~b23h & b24h)
    a23l = b23l ^ (~b24l & b20l); a23h = b23h ^ (~b24h & b20h)
    a24l = b24l ^ (~b20l & b21l); a24h = b24h ^ (~b20h & b21h)
  }
  s[0] = a00l; s[1] = a00h; s[2] = a01l; s[3] = a01h; s[4] = a02l; s[5] = a02h; s[6] = a03l; s[7] = a03h
  s[8] = a04l; s[9] = a04h; s[10] = a05l; s[11] = a05h; s[12] = a06l; s[13] = a06h; s[14] = a07l; s[15] = a07h
  s[16] = a08l; s[17] = a08h; s[18] = a09l; s[19] = a09h; s[20] = a10l; s[21] = a10h; s[22] = a11l; s[23] = a11h
  s[24] = a12l; s[25] = a12h; s[26] = a13l; s[27] = a13h; s[28] = a14l; s[29] = a14h; s[30] = a15l; s[31] = a15h
  s[32] = a16l; s[33] = a16h; s[34] = a17l; s[35] = a17h; s[36] = a18l; s[37] = a18h; s[38] = a19l; s[39] = a19h
  s[40] = a20l; s[41] = a20h; s[42] = a21l; s[43] = a21h; s[44] = a22l; s[45] = a22h; s[46] = a23l; s[47] = a23h
  s[48] = a24l; s[49] = a24h
}
