// The payload encoding: canonical, validated on the way in, views that wipe with the buffer.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NodeConfig } from '../config/index.ts'
import type { KeyRecord } from '../store/records.ts'
import { type BackupPayload, canonicalJson, decodePayload, encodePayload, shareHeader } from './payload.ts'

const PEER = '12D3KooWJbutgL4SE1ZSZ7yQc8f9ECe3QY5oxifY6ScAUDW7xpXk'
const PEER2 = '12D3KooWKv1bpJBUUmWnfyq6L9A7ybLaHJ1ohozbKc51xen5WrnE'
const config: NodeConfig = {
  name: 'n',
  role: 'device',
  listen: '/ip4/127.0.0.1/tcp/4101',
  api: { host: '127.0.0.1', port: 8101 },
  chain: { chainId: 31337 },
  peers: [{ peerId: PEER2, addrs: ['/ip4/127.0.0.1/tcp/4102'], name: 'p2', role: 'provider' }],
  policy: 'policy.yaml',
}

/** A stand-in share: only the public header fields the payload reads (magic, version, keyId, epoch). */
function fakeShare(keyIdHex: string, epoch: number): Uint8Array {
  const b = new Uint8Array(120).fill(0xee)
  b.set(new TextEncoder().encode('STV3KS'), 0)
  b[6] = 1
  b.set(Buffer.from(keyIdHex, 'hex'), 7)
  new DataView(b.buffer).setUint32(71, epoch)
  return b
}

function record(keyId: string, epoch: number): KeyRecord {
  return {
    keyId,
    publicKey: `02${'ab'.repeat(32)}`,
    address: `0x${'12'.repeat(20)}`,
    threshold: 2,
    committee: [PEER, PEER2],
    epoch,
    status: 'active',
    createdAt: 1,
    updatedAt: 2,
  }
}

const A = 'aa'.repeat(32)
const B = 'bb'.repeat(32)
const sample = (): BackupPayload => ({
  createdAt: 5,
  peerId: PEER,
  identity: Uint8Array.from([8, 1, 18, 64, ...new Array(64).fill(9)]),
  config,
  policy: 'version: 1\n',
  keys: [
    { record: record(B, 3), bans: [], share: fakeShare(B, 3) },
    {
      record: record(A, 0),
      bans: [{ peerId: PEER2, slot: 2, code: 'OT_CHECK_FAILED', at: 3 }],
      share: fakeShare(A, 0),
    },
  ],
})

describe('backup payload', () => {
  it('round-trips, sorted by key id, and encodes the same state to the same bytes', () => {
    const p = sample()
    const bytes = encodePayload(p)
    const back = decodePayload(bytes)
    expect(back.keys.map((k) => k.record.keyId)).toEqual([A, B])
    expect(back).toEqual({ ...p, keys: [p.keys[1], p.keys[0]] })
    expect(encodePayload({ ...p, keys: [...p.keys].reverse() })).toEqual(bytes)
    // Secrets are views into the buffer: wiping it wipes them.
    bytes.fill(0)
    expect(back.identity.every((b) => b === 0)).toBe(true)
    expect(back.keys[0]!.share.every((b) => b === 0)).toBe(true)
  })

  it('canonical JSON does not depend on member order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse())
        expect(canonicalJson(reversed)).toBe(canonicalJson(o))
        expect(JSON.parse(canonicalJson(o))).toEqual(o)
      }),
    )
  })

  it('refuses a share that names another epoch or key than its record, and trailing bytes', () => {
    const p = sample()
    const wrongEpoch = encodePayload({ ...p, keys: [{ ...p.keys[0]!, share: fakeShare(B, 2) }] })
    expect(() => decodePayload(wrongEpoch)).toThrow(expect.objectContaining({ code: 'BACKUP_CORRUPT' }))
    const wrongKey = encodePayload({ ...p, keys: [{ ...p.keys[0]!, share: fakeShare(A, 3) }] })
    expect(() => decodePayload(wrongKey)).toThrow(expect.objectContaining({ code: 'BACKUP_CORRUPT' }))
    const bytes = encodePayload(p)
    const longer = new Uint8Array(bytes.length + 1)
    longer.set(bytes)
    expect(() => decodePayload(longer)).toThrow(expect.objectContaining({ code: 'BACKUP_CORRUPT' }))
    expect(() => decodePayload(bytes.subarray(0, bytes.length - 1))).toThrow(
      expect.objectContaining({ code: 'BACKUP_CORRUPT' }),
    )
  })

  it('reads only the public header of a share', () => {
    expect(shareHeader(fakeShare(A, 7))).toEqual({ keyId: A, epoch: 7 })
    expect(shareHeader(new Uint8Array(100))).toBeUndefined()
  })
})
