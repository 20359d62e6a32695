// Canonical JSON and SHA-256 helpers shared by identity, policy and audit.
// The encoding is the JSON Canonicalization Scheme (RFC 8785) restricted to what this project
// stores: object keys sorted by UTF-16 code units, no whitespace, finite numbers only
// (integers in practice), `undefined` members dropped. Amounts travel as decimal strings.
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { NodeError } from '../errors.ts'

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** RFC 8785-style canonical JSON. Throws `CANONICAL_JSON_UNSUPPORTED` on non-JSON values. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'string':
      return JSON.stringify(value)
    case 'number':
      if (!Number.isFinite(value)) throw unsupported('a non-finite number')
      return JSON.stringify(value)
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) throw unsupported('a non-plain object')
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
    }
    default:
      throw unsupported(`a ${typeof value}`)
  }
}

function unsupported(what: string): NodeError {
  return new NodeError('CANONICAL_JSON_UNSUPPORTED', `Canonical JSON cannot encode ${what}`, {
    hints: ['Convert bigints to decimal strings and bytes to hex before hashing.'],
  })
}

/** Lower-case hex SHA-256 of a UTF-8 string or of bytes. */
export function sha256Hex(input: string | Uint8Array): string {
  return bytesToHex(sha256(typeof input === 'string' ? utf8ToBytes(input) : input))
}

/** Lower-case hex SHA-256 of the canonical JSON of a value. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value))
}
