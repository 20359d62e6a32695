import { wireInvalid } from './errors.ts'
import { peerIdFromBytes } from './peer-id.ts'
import type { WireLimits } from './types.ts'

// Field checks shared by the decoders. Each throws a WIRE_INVALID NodeError naming the message and
// field, never the field's contents.

export class Checker {
  constructor(
    readonly what: string,
    readonly limits: WireLimits,
  ) {}

  fail(field: string, reason: string): never {
    throw wireInvalid(this.what, field, reason)
  }

  /** A fresh copy of exactly `length` bytes. */
  exact(field: string, value: Uint8Array | null | undefined, length: number): Uint8Array {
    const v = value ?? new Uint8Array(0)
    if (v.length !== length) this.fail(field, `expected ${length} bytes, got ${v.length}`)
    return Uint8Array.from(v)
  }

  /** A fresh copy of min..max bytes. */
  bytes(field: string, value: Uint8Array | null | undefined, min: number, max: number): Uint8Array {
    const v = value ?? new Uint8Array(0)
    if (v.length < min || v.length > max) this.fail(field, `expected ${min}..${max} bytes, got ${v.length}`)
    return Uint8Array.from(v)
  }

  int(field: string, value: number | null | undefined, min: number, max: number): number {
    const v = value ?? 0
    if (!Number.isSafeInteger(v) || v < min || v > max) this.fail(field, `expected ${min}..${max}`)
    return v
  }

  slot(field: string, value: number | null | undefined): number {
    return this.int(field, value, 1, this.limits.maxParties)
  }

  /** Strictly ascending slots in 1..maxParties, at most `maxCount` of them. */
  slots(field: string, values: number[] | null | undefined, maxCount: number): number[] {
    const v = values ?? []
    if (v.length > maxCount) this.fail(field, `more than ${maxCount} entries`)
    let prev = 0
    for (const s of v) {
      this.slot(field, s)
      if (s <= prev) this.fail(field, 'slots must be strictly ascending')
      prev = s
    }
    return [...v]
  }

  /** Distinct Ed25519 peer ids, between min and maxParties of them. */
  peers(field: string, values: Uint8Array[] | null | undefined, min: number): string[] {
    const v = values ?? []
    if (v.length < min || v.length > this.limits.maxParties) {
      this.fail(field, `expected ${min}..${this.limits.maxParties} peer ids, got ${v.length}`)
    }
    const out: string[] = []
    for (const b of v) {
      const id = peerIdFromBytes(b)
      if (id === undefined) this.fail(field, 'not an Ed25519 peer id')
      if (out.includes(id)) this.fail(field, 'duplicate peer id')
      out.push(id)
    }
    return out
  }

  /** A stable error code: upper-case letters, digits and underscores. */
  code(field: string, value: string | null | undefined, required: boolean): string {
    const v = value ?? ''
    if (v === '' && !required) return v
    if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(v)) this.fail(field, 'expected an upper-case code of at most 64 chars')
    return v
  }

  text(field: string, value: string | null | undefined): string {
    const v = value ?? ''
    if (v.length > this.limits.maxReasonLength) this.fail(field, `longer than ${this.limits.maxReasonLength}`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(v)) this.fail(field, 'control characters')
    return v
  }

  texts(field: string, values: string[] | null | undefined): string[] {
    const v = values ?? []
    if (v.length > this.limits.maxReasons) this.fail(field, `more than ${this.limits.maxReasons} entries`)
    return v.map((s) => this.text(field, s))
  }

  /** Enum value by number, from a table of allowed values. */
  oneOf<T>(field: string, value: number | null | undefined, table: ReadonlyMap<number, T>): T {
    const v = table.get(value ?? 0)
    if (v === undefined) this.fail(field, 'unknown or unspecified value')
    return v
  }
}
