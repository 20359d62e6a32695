// The archive container on its own: round trip, one code per failure, header bound to the payload.

import { sha256 } from '@noble/hashes/sha2.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ARCHIVE_VERSION, HEADER_BYTES, openArchive, readArchiveHeader, sealArchive } from './archive.ts'

const COST = { N: 1 << 10, r: 8, p: 1 }
const PASS = new TextEncoder().encode('archive passphrase')
const payload = Uint8Array.from({ length: 200 }, (_, i) => (i * 7 + 3) & 0xff)

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'OK'
  } catch (e) {
    return (e as { code?: string }).code ?? String(e)
  }
}

/** The archive with its unkeyed checksum recomputed: what a deliberate tamperer would write. */
function rechecksum(a: Uint8Array): Uint8Array {
  const out = Uint8Array.from(a)
  out.set(sha256(out.subarray(0, out.length - 32)), out.length - 32)
  return out
}

describe('backup archive container', () => {
  it('round-trips, with a fresh salt and nonce each time and the parameters in the header', async () => {
    const a = await sealArchive(payload, PASS, { source: 'store', scrypt: COST })
    const b = await sealArchive(payload, PASS, { source: 'backup', scrypt: COST })
    expect(await openArchive(a, PASS)).toEqual(payload)
    expect(await openArchive(b, PASS)).toEqual(payload)
    expect(a.length).toBe(HEADER_BYTES + payload.length + 16 + 32)
    expect(Buffer.from(a.subarray(0, 9)).toString('latin1')).toBe(`STV3BKUP${String.fromCharCode(1)}`)
    const h = readArchiveHeader(a)
    expect(h).toMatchObject({ version: ARCHIVE_VERSION, source: 'store', scrypt: COST })
    expect(readArchiveHeader(b).source).toBe('backup')
    expect(h.salt).not.toEqual(readArchiveHeader(b).salt)
    expect(Buffer.from(a).indexOf(Buffer.from(payload.subarray(0, 16)))).toBe(-1)
  })

  it('a wrong passphrase is BACKUP_BAD_PASSPHRASE, with a hint for the passphrase it was sealed with', async () => {
    const a = await sealArchive(payload, PASS, { source: 'backup', scrypt: COST })
    const err = await openArchive(a, new TextEncoder().encode('wrong')).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'BACKUP_BAD_PASSPHRASE', details: { passphrase: 'backup' } })
    expect((err as { hints: string[] }).hints.join(' ')).toContain('MPC_NODE_BACKUP_PASSPHRASE')
  })

  it('every single flipped bit is refused: BACKUP_VERSION on the version byte, BACKUP_CORRUPT elsewhere', async () => {
    const a = await sealArchive(payload, PASS, { source: 'store', scrypt: COST })
    for (let i = 0; i < a.length; i++) {
      const bad = Uint8Array.from(a)
      bad[i]! ^= 0x01
      expect([i, await codeOf(openArchive(bad, PASS))]).toEqual([
        i,
        i === 8 ? 'BACKUP_VERSION' : 'BACKUP_CORRUPT',
      ])
    }
  })

  it('every truncation and any appended byte is BACKUP_CORRUPT', async () => {
    const a = await sealArchive(payload, PASS, { source: 'store', scrypt: COST })
    for (let n = 0; n < a.length; n++) {
      expect([n, await codeOf(openArchive(a.subarray(0, n), PASS))]).toEqual([n, 'BACKUP_CORRUPT'])
    }
    const longer = new Uint8Array(a.length + 1)
    longer.set(a)
    expect(await codeOf(openArchive(longer, PASS))).toBe('BACKUP_CORRUPT')
  })

  it('refuses an unknown version (a newer format) as BACKUP_VERSION, checksum or not', async () => {
    const a = await sealArchive(payload, PASS, { source: 'store', scrypt: COST })
    for (const v of [0, 2, 255]) {
      const bad = Uint8Array.from(a)
      bad[8] = v
      const err = await openArchive(rechecksum(bad), PASS).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'BACKUP_VERSION', details: { version: v, supported: [1] } })
    }
  })

  it('binds the header as associated data: a rewritten header field with a fixed-up checksum fails', async () => {
    const a = await sealArchive(payload, PASS, { source: 'store', scrypt: COST })
    const at = (offset: number, value: number) => {
      const bad = Uint8Array.from(a)
      bad[offset] = value
      return rechecksum(bad)
    }
    // Passphrase source byte: authenticated, so the tag fails.
    expect(await codeOf(openArchive(at(9, 2), PASS))).toBe('BACKUP_CORRUPT')
    // Ciphertext and tag bytes.
    expect(await codeOf(openArchive(at(HEADER_BYTES + 5, a[HEADER_BYTES + 5]! ^ 0x80), PASS))).toBe(
      'BACKUP_CORRUPT',
    )
    expect(await codeOf(openArchive(at(a.length - 33, a[a.length - 33]! ^ 1), PASS))).toBe('BACKUP_CORRUPT')
    // Nonce: the tag fails.
    expect(await codeOf(openArchive(at(70, a[70]! ^ 1), PASS))).toBe('BACKUP_CORRUPT')
    // Unknown source, kdf id, out-of-range cost: refused before any key derivation.
    expect(await codeOf(openArchive(at(9, 7), PASS))).toBe('BACKUP_CORRUPT')
    expect(await codeOf(openArchive(at(10, 2), PASS))).toBe('BACKUP_CORRUPT')
    expect(await codeOf(openArchive(at(11, 40), PASS))).toBe('BACKUP_CORRUPT')
    expect(await codeOf(openArchive(at(12, 0), PASS))).toBe('BACKUP_CORRUPT')
    // A memory bomb (N = 2^22, r = 32: 16 GiB) is refused without running scrypt.
    const bomb = Uint8Array.from(a)
    bomb[11] = 22
    bomb[12] = 32
    expect(await codeOf(openArchive(rechecksum(bomb), PASS))).toBe('BACKUP_CORRUPT')
    // Salt or key check rewritten by someone who also fixed the checksum: indistinguishable from
    // a wrong passphrase (documented in archive.ts).
    expect(await codeOf(openArchive(at(20, a[20]! ^ 1), PASS))).toBe('BACKUP_BAD_PASSPHRASE')
    expect(await codeOf(openArchive(at(50, a[50]! ^ 1), PASS))).toBe('BACKUP_BAD_PASSPHRASE')
  })

  it('never opens a mutated archive (property)', async () => {
    const a = await sealArchive(payload, PASS, { source: 'store', scrypt: COST })
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: a.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        async (i, x, fix) => {
          if (fix && i >= a.length - 32) return // the fixed-up checksum undoes a flip in the checksum
          const bad = Uint8Array.from(a)
          bad[i]! ^= x
          const code = await codeOf(openArchive(fix ? rechecksum(bad) : bad, PASS))
          expect(['BACKUP_CORRUPT', 'BACKUP_VERSION', 'BACKUP_BAD_PASSPHRASE']).toContain(code)
        },
      ),
      { numRuns: 100 },
    )
  })
})
