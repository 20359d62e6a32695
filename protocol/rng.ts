// All randomness is an input. Production passes `cryptoRng` (the platform CSPRNG, Web Crypto);
// tests and simulations inject a seeded generator that lives outside protocol/.

export interface Rng {
  /** Fill `out` with random bytes and return it. */
  fill(out: Uint8Array): Uint8Array
}

type WebCrypto = { getRandomValues<T extends ArrayBufferView>(a: T): T }

export const cryptoRng: Rng = {
  fill(out: Uint8Array): Uint8Array {
    const c = (globalThis as { crypto?: WebCrypto }).crypto
    if (!c) throw new Error('no platform CSPRNG (globalThis.crypto) available')
    // getRandomValues accepts at most 65536 bytes per call.
    for (let off = 0; off < out.length; off += 65536) c.getRandomValues(out.subarray(off, off + 65536))
    return out
  },
}

export const randomBytes = (rng: Rng, n: number): Uint8Array => rng.fill(new Uint8Array(n))
