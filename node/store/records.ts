import { NodeError } from '../errors.ts'

// Typed records kept in the store, each with a validating codec: a record read back from disk goes
// through the same checks as one about to be written (lodestar's repositories, with an explicit codec).

/** Key ids and session ids are lowercase hex in the store. */
export type HexId = string

export type KeyStatus = 'pending' | 'active' | 'retired' | 'frozen'

/** Public metadata of a threshold key (no secret material). */
export type KeyRecord = {
  keyId: HexId
  /** Compressed secp256k1 public key, hex. */
  publicKey: string
  /** 0x-prefixed Ethereum address. */
  address: string
  threshold: number
  /** Committee peer ids in slot order (slot i+1 is committee[i]). */
  committee: string[]
  epoch: number
  status: KeyStatus
  createdAt: number
  updatedAt: number
}

export type BanEntry = {
  peerId: string
  /** Committee slot of the banned party when the ban was recorded. */
  slot?: number
  /** Stable code of the failure that led to the ban. */
  code: string
  sessionId?: HexId
  at: number
}

export type BanRecord = { keyId: HexId; entries: BanEntry[] }

export type CeremonyKind = 'dkg' | 'sign' | 'refresh' | 'reshare'
export type CeremonyStatus = 'proposed' | 'running' | 'completed' | 'aborted'

export type CeremonyRecord = {
  sessionId: HexId
  kind: CeremonyKind
  keyId: HexId
  status: CeremonyStatus
  committee: string[]
  /** Our committee slot. */
  slot: number
  epoch: number
  createdAt: number
  updatedAt: number
  /** Abort code and culprits (slots), when aborted. */
  code?: string
  culprits?: number[]
  /** Non-secret output (public key, signature), hex. */
  output?: string
}

export type Codec<T> = { encode(value: T): Uint8Array; decode(bytes: Uint8Array): T }

type Json = Record<string, unknown>

class Shape {
  constructor(
    readonly kind: string,
    readonly o: Json,
  ) {}
  bad(field: string): never {
    throw new NodeError('STORE_RECORD_INVALID', `invalid ${this.kind} record: ${field}`, {
      details: { kind: this.kind, field },
      status: 400,
    })
  }
  str(f: string, re?: RegExp): string {
    const v = this.o[f]
    if (typeof v !== 'string' || (re !== undefined && !re.test(v))) this.bad(f)
    return v
  }
  optStr(f: string, re?: RegExp): string | undefined {
    return this.o[f] === undefined ? undefined : this.str(f, re)
  }
  int(f: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.o[f]
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) this.bad(f)
    return v
  }
  oneOf<T extends string>(f: string, values: readonly T[]): T {
    const v = this.o[f]
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) this.bad(f)
    return v as T
  }
  strs(f: string, re?: RegExp): string[] {
    const v = this.o[f]
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || (re !== undefined && !re.test(x))))
      this.bad(f)
    return [...(v as string[])]
  }
  ints(f: string): number[] {
    const v = this.o[f]
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0))
      this.bad(f)
    return [...(v as number[])]
  }
}

export const HEX_ID = /^[0-9a-f]{2,128}$/
const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{32,128}$/
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/

function object(kind: string, v: unknown): Shape {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new NodeError('STORE_RECORD_INVALID', `invalid ${kind} record`, { details: { kind }, status: 400 })
  }
  return new Shape(kind, v as Json)
}

function jsonCodec<T>(validate: (v: unknown) => T): Codec<T> {
  return {
    encode: (value) => new TextEncoder().encode(JSON.stringify(validate(value))),
    decode: (bytes) => validate(JSON.parse(new TextDecoder().decode(bytes))),
  }
}

export function validKey(v: unknown): KeyRecord {
  const s = object('key', v)
  const committee = s.strs('committee', PEER_ID)
  return {
    keyId: s.str('keyId', HEX_ID),
    publicKey: s.str('publicKey', /^[0-9a-f]{66}$|^[0-9a-f]{130}$/),
    address: s.str('address', /^0x[0-9a-fA-F]{40}$/),
    threshold: s.int('threshold', 1, committee.length),
    committee,
    epoch: s.int('epoch', 0, 0xffffffff),
    status: s.oneOf('status', ['pending', 'active', 'retired', 'frozen'] as const),
    createdAt: s.int('createdAt'),
    updatedAt: s.int('updatedAt'),
  }
}

export function validBans(v: unknown): BanRecord {
  const s = object('bans', v)
  const entries: unknown[] = Array.isArray(s.o.entries) ? s.o.entries : s.bad('entries')
  return {
    keyId: s.str('keyId', HEX_ID),
    entries: entries.map((e) => {
      const x = object('bans.entry', e)
      const entry: BanEntry = { peerId: x.str('peerId', PEER_ID), code: x.str('code', CODE), at: x.int('at') }
      if (x.o.slot !== undefined) entry.slot = x.int('slot', 1, 255)
      const sessionId = x.optStr('sessionId', HEX_ID)
      if (sessionId !== undefined) entry.sessionId = sessionId
      return entry
    }),
  }
}

export function validCeremony(v: unknown): CeremonyRecord {
  const s = object('ceremony', v)
  const rec: CeremonyRecord = {
    sessionId: s.str('sessionId', HEX_ID),
    kind: s.oneOf('kind', ['dkg', 'sign', 'refresh', 'reshare'] as const),
    keyId: s.str('keyId', HEX_ID),
    status: s.oneOf('status', ['proposed', 'running', 'completed', 'aborted'] as const),
    committee: s.strs('committee', PEER_ID),
    slot: s.int('slot', 1, 255),
    epoch: s.int('epoch', 0, 0xffffffff),
    createdAt: s.int('createdAt'),
    updatedAt: s.int('updatedAt'),
  }
  const code = s.optStr('code', CODE)
  if (code !== undefined) rec.code = code
  if (s.o.culprits !== undefined) rec.culprits = s.ints('culprits')
  const output = s.optStr('output', /^[0-9a-f]*$/)
  if (output !== undefined) rec.output = output
  return rec
}

export const keyCodec = jsonCodec(validKey)
export const banCodec = jsonCodec(validBans)
export const ceremonyCodec = jsonCodec(validCeremony)
export const bytesCodec: Codec<Uint8Array> = { encode: (b) => b, decode: (b) => b }

export function hexId(id: Uint8Array | string): HexId {
  const hex = typeof id === 'string' ? id.toLowerCase() : Buffer.from(id).toString('hex')
  if (!HEX_ID.test(hex)) {
    throw new NodeError('STORE_RECORD_INVALID', 'invalid id: expected 1..64 bytes as lowercase hex', {
      details: { kind: 'id' },
      status: 400,
    })
  }
  return hex
}
