// The key share a party keeps after key generation (dkls23.md §3.5), and its versioned,
// self-describing binary format. Parsing validates every field; the secret share is checked against
// the party's public share in the exponent.
//
// Layout (version 1):
//   magic "STV3KS" ‖ version u8 ‖ keyId 32 ‖ dkgSid 32 ‖ epoch u32 ‖ n u8 ‖ t u8 ‖ index u8
//   ‖ publicKey 33 ‖ chainCode 32 ‖ publicShares n×33 ‖ secretShare 32 ‖ banned count u8 ‖ banned ids
//   ‖ for each peer j ≠ index (ascending): j u8 ‖ zeroSeed 32 ‖ aliceDelta 32 ‖ aliceLeaves 32768 ‖ bobLeaves 32768

import { ErrorCodes, ProtocolError } from './errors.ts'
import { defineTag, hash } from './hash.ts'
import { bytesToBig, curve, decodePoint, q } from './math/curve.ts'
import { LEAVES_BYTES } from './ot/pprf.ts'

export const KEYSHARE_MAGIC = new TextEncoder().encode('STV3KS')
export const KEYSHARE_VERSION = 1
const KEY_ID = defineTag('key-id')

/** Long-lived OT state toward one peer (secret). */
export type PeerState = {
  /** Pairwise zero-share seed z_ij. */
  zeroSeed: Uint8Array
  /** As RVOLE Alice toward the peer: correlation Δ (256 bits) and 15 of 16 leaves per block. */
  aliceDelta: Uint8Array
  aliceLeaves: Uint8Array
  /** As RVOLE Bob toward the peer: all leaves. */
  bobLeaves: Uint8Array
}

export type KeyShare = {
  keyId: Uint8Array
  dkgSid: Uint8Array
  epoch: number
  n: number
  t: number
  index: number
  publicKey: Uint8Array
  chainCode: Uint8Array
  /** S_1..S_n, publicShares[j-1] = S_j. */
  publicShares: Uint8Array[]
  /** s_i, 32 bytes big-endian (secret). */
  secretShare: Uint8Array
  peers: Map<number, PeerState>
  /** Parties banned on this key (§7.5); the caller persists this set. */
  banned: Set<number>
}

export const computeKeyId = (publicKey: Uint8Array, chainCode: Uint8Array): Uint8Array =>
  hash(KEY_ID, [publicKey, chainCode])

const PEER_BYTES = 1 + 32 + 32 + LEAVES_BYTES + LEAVES_BYTES

export function serializeKeyShare(s: KeyShare): Uint8Array {
  const banned = [...s.banned].sort((a, b) => a - b)
  const size = 6 + 1 + 32 + 32 + 4 + 3 + 33 + 32 + 33 * s.n + 32 + 1 + banned.length + (s.n - 1) * PEER_BYTES
  const out = new Uint8Array(size)
  const dv = new DataView(out.buffer)
  let o = 0
  const put = (b: Uint8Array) => {
    out.set(b, o)
    o += b.length
  }
  put(KEYSHARE_MAGIC)
  out[o++] = KEYSHARE_VERSION
  put(s.keyId)
  put(s.dkgSid)
  dv.setUint32(o, s.epoch)
  o += 4
  out[o++] = s.n
  out[o++] = s.t
  out[o++] = s.index
  put(s.publicKey)
  put(s.chainCode)
  for (const p of s.publicShares) put(p)
  put(s.secretShare)
  out[o++] = banned.length
  for (const b of banned) out[o++] = b
  for (let j = 1; j <= s.n; j++) {
    if (j === s.index) continue
    const p = s.peers.get(j)!
    out[o++] = j
    put(p.zeroSeed)
    put(p.aliceDelta)
    put(p.aliceLeaves)
    put(p.bobLeaves)
  }
  if (o !== size) throw new Error('serializeKeyShare: size mismatch')
  return out
}

const malformed = (why: string) =>
  new ProtocolError(ErrorCodes.KEYSHARE_MALFORMED, 'usage', `key share: ${why}`)

export function parseKeyShare(bytes: Uint8Array): KeyShare {
  let o = 0
  const take = (n: number) => {
    if (o + n > bytes.length) throw malformed('truncated')
    const v = bytes.slice(o, o + n)
    o += n
    return v
  }
  const magic = take(6)
  if (!magic.every((b, i) => b === KEYSHARE_MAGIC[i])) throw malformed('not a key share (bad magic)')
  const version = take(1)[0]!
  if (version !== KEYSHARE_VERSION)
    throw new ProtocolError(ErrorCodes.KEYSHARE_VERSION, 'usage', `key share: unsupported version ${version}`)
  const keyId = take(32)
  const dkgSid = take(32)
  const epoch = new DataView(take(4).buffer).getUint32(0)
  const [n, t, index] = take(3)
  if (!(t! >= 2 && t! <= n! && index! >= 1 && index! <= n!)) throw malformed('bad n, t or index')
  const point = (what: string) => {
    const b = take(33)
    try {
      decodePoint(b)
    } catch {
      throw malformed(`${what} is not a valid point`)
    }
    return b
  }
  const publicKey = point('public key')
  const chainCode = take(32)
  const publicShares: Uint8Array[] = []
  for (let j = 1; j <= n!; j++) publicShares.push(point(`public share ${j}`))
  const secretShare = take(32)
  const s = bytesToBig(secretShare)
  if (s === 0n || s >= q) throw malformed('secret share out of range')
  const sG = curve().mulG(s)
  if (!sG.every((b, i) => b === publicShares[index! - 1]![i]))
    throw malformed('secret share does not match its public share')
  if (!computeKeyId(publicKey, chainCode).every((b, i) => b === keyId[i]))
    throw malformed('key id does not match')
  const nb = take(1)[0]!
  const banned = new Set<number>()
  for (let k = 0; k < nb; k++) {
    const b = take(1)[0]!
    if (b < 1 || b > n! || b === index) throw malformed('bad banned party id')
    banned.add(b)
  }
  const peers = new Map<number, PeerState>()
  for (let j = 1; j <= n!; j++) {
    if (j === index) continue
    if (take(1)[0] !== j) throw malformed('peer records out of order')
    peers.set(j, {
      zeroSeed: take(32),
      aliceDelta: take(32),
      aliceLeaves: take(LEAVES_BYTES),
      bobLeaves: take(LEAVES_BYTES),
    })
  }
  if (o !== bytes.length) throw malformed('trailing bytes')
  return {
    keyId,
    dkgSid,
    epoch,
    n: n!,
    t: t!,
    index: index!,
    publicKey,
    chainCode,
    publicShares,
    secretShare,
    peers,
    banned,
  }
}

/** The public part of a key share, safe to show. */
export function publicInfo(s: KeyShare): {
  keyId: Uint8Array
  publicKey: Uint8Array
  chainCode: Uint8Array
  n: number
  t: number
  index: number
  epoch: number
  publicShares: Uint8Array[]
} {
  return {
    keyId: s.keyId,
    publicKey: s.publicKey,
    chainCode: s.chainCode,
    n: s.n,
    t: s.t,
    index: s.index,
    epoch: s.epoch,
    publicShares: s.publicShares,
  }
}
