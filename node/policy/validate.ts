// A small validator for policy documents: every problem is reported with its path, unknown keys
// are errors (a typo in a security policy must not silently widen or narrow it), addresses are
// normalised to lower case and integer amounts to decimal strings.
import { isJsonObject, type JsonValue } from '../identity/canonical.ts'
import { isDid } from '../identity/did-key.ts'
import { ADDRESS } from './request.ts'
import {
  type ApprovalRule,
  CEREMONY_KINDS,
  type CeremonyRule,
  NODE_ROLES,
  type NodeRole,
  type PolicyDocument,
  type PolicyRule,
  WEEKDAYS,
  type Weekday,
} from './types.ts'

export type PolicyProblem = { path: string; message: string }
export type ValidationResult =
  | { ok: true; document: PolicyDocument }
  | { ok: false; problems: PolicyProblem[] }

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/
const DECIMAL = /^(?:0|[1-9][0-9]{0,77})$/

class Checker {
  readonly problems: PolicyProblem[] = []
  fail(path: string, message: string): undefined {
    this.problems.push({ path, message })
    return undefined
  }
  object(v: unknown, path: string, keys: readonly string[]): Record<string, JsonValue> | undefined {
    if (!isJsonObject(v)) return this.fail(path, 'must be an object')
    for (const k of Object.keys(v)) if (!keys.includes(k)) this.fail(`${path}.${k}`, 'unknown key')
    return v
  }
  list<T>(
    v: unknown,
    path: string,
    item: (x: unknown, p: string) => T | undefined,
    nonEmpty = false,
  ): T[] | undefined {
    if (v === undefined) return undefined
    if (!Array.isArray(v)) return this.fail(path, 'must be a list')
    if (nonEmpty && v.length === 0) return this.fail(path, 'must not be empty')
    const out = v.map((x, i) => item(x, `${path}[${i}]`))
    return out.every((x) => x !== undefined) ? (out as T[]) : undefined
  }
  required<T>(
    v: unknown,
    path: string,
    item: (x: unknown, p: string) => T | undefined,
    nonEmpty = true,
  ): T[] {
    if (v === undefined) this.fail(path, 'is required')
    return this.list(v, path, item, nonEmpty) ?? []
  }
  id = (v: unknown, p: string): string | undefined =>
    typeof v === 'string' && ID.test(v) ? v : this.fail(p, 'must be an identifier [A-Za-z0-9._:-]')
  did = (v: unknown, p: string): string | undefined => (isDid(v) ? v : this.fail(p, 'must be a DID'))
  address = (v: unknown, p: string): string | undefined =>
    typeof v === 'string' && ADDRESS.test(v) ? v.toLowerCase() : this.fail(p, 'must be a 0x address')
  path = (v: unknown, p: string): string | undefined =>
    typeof v === 'string' && v.length > 0 ? v : this.fail(p, 'must be a file path')
  amount = (v: unknown, p: string): string | undefined => {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v)
    return typeof v === 'string' && DECIMAL.test(v)
      ? v
      : this.fail(p, 'must be a non-negative integer amount')
  }
  int(v: unknown, p: string, min: number, max: number): number | undefined {
    return Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max
      ? (v as number)
      : this.fail(p, `must be an integer in [${min}, ${max}]`)
  }
  bool = (v: unknown, p: string): boolean | undefined =>
    typeof v === 'boolean' ? v : this.fail(p, 'must be a boolean')
}

export function validatePolicyDocument(input: unknown): ValidationResult {
  const c = new Checker()
  const doc = c.object(input, '$', [
    'version',
    'dev',
    'node',
    'trustedIssuers',
    'revokedCredentials',
    'revocationFiles',
    'sanctions',
    'operators',
    'rules',
    'ceremonies',
  ])
  if (doc === undefined) return { ok: false, problems: c.problems }
  if (doc.version !== 1) c.fail('$.version', 'must be 1')
  const out: PolicyDocument = { version: 1 }
  if (doc.dev !== undefined) out.dev = c.bool(doc.dev, '$.dev')
  if (doc.node !== undefined) {
    const n = c.object(doc.node, '$.node', ['role', 'investorDid'])
    if (n !== undefined) {
      out.node = {}
      if (n.role !== undefined) {
        if (NODE_ROLES.includes(n.role as NodeRole)) out.node.role = n.role as NodeRole
        else c.fail('$.node.role', `must be one of ${NODE_ROLES.join(', ')}`)
      }
      if (n.investorDid !== undefined) out.node.investorDid = c.did(n.investorDid, '$.node.investorDid')
      if (n.role === 'device' && n.investorDid === undefined) {
        c.fail('$.node.investorDid', 'a device node needs the DID of its investor')
      }
    }
  }
  out.trustedIssuers = c.list(doc.trustedIssuers, '$.trustedIssuers', (x, p) => {
    const o = c.object(x, p, ['did', 'types'])
    if (o === undefined) return undefined
    const did = c.did(o.did, `${p}.did`)
    const types = c.required(o.types, `${p}.types`, c.id)
    return did !== undefined ? { did, types } : undefined
  })
  out.revokedCredentials = c.list(doc.revokedCredentials, '$.revokedCredentials', (x, p) =>
    typeof x === 'string' && x.length > 0 ? x : c.fail(p, 'must be a credential id'),
  )
  out.revocationFiles = c.list(doc.revocationFiles, '$.revocationFiles', c.path)
  if (doc.sanctions !== undefined) {
    const s = c.object(doc.sanctions, '$.sanctions', ['addresses', 'dids', 'addressFiles', 'didFiles'])
    if (s !== undefined) {
      out.sanctions = {
        addresses: c.list(s.addresses, '$.sanctions.addresses', c.address),
        dids: c.list(s.dids, '$.sanctions.dids', c.did),
        addressFiles: c.list(s.addressFiles, '$.sanctions.addressFiles', c.path),
        didFiles: c.list(s.didFiles, '$.sanctions.didFiles', c.path),
      }
    }
  }
  out.operators = c.list(doc.operators, '$.operators', (x, p) => {
    const o = c.object(x, p, ['did', 'roles'])
    if (o === undefined) return undefined
    const did = c.did(o.did, `${p}.did`)
    const roles = c.required(o.roles, `${p}.roles`, c.id)
    return did !== undefined ? { did, roles } : undefined
  })
  const roles = new Set((out.operators ?? []).flatMap((o) => o.roles))
  const approvals = (x: unknown, p: string): ApprovalRule | undefined => {
    const o = c.object(x, p, ['quorum', 'role', 'maxAgeSeconds'])
    if (o === undefined) return undefined
    const quorum = c.int(o.quorum, `${p}.quorum`, 1, 64)
    const role = c.id(o.role, `${p}.role`)
    if (role !== undefined && !roles.has(role)) c.fail(`${p}.role`, `no operator holds role "${role}"`)
    const a: ApprovalRule = { quorum: quorum ?? 0, role: role ?? '' }
    if (o.maxAgeSeconds !== undefined)
      a.maxAgeSeconds = c.int(o.maxAgeSeconds, `${p}.maxAgeSeconds`, 1, 86_400 * 30)
    return a
  }
  out.rules = c.list(doc.rules, '$.rules', (x, p) => rule(c, x, p, approvals))
  const ids = (out.rules ?? []).map((r) => r.id)
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) c.fail(`$.rules[${i}].id`, `duplicate rule id "${id}"`)
  })
  if (doc.ceremonies !== undefined) {
    const o = c.object(doc.ceremonies, '$.ceremonies', CEREMONY_KINDS)
    if (o !== undefined) {
      out.ceremonies = {}
      for (const kind of CEREMONY_KINDS) {
        if (o[kind] === undefined) continue
        const p = `$.ceremonies.${kind}`
        const r = c.object(o[kind], p, ['allow', 'approvals'])
        if (r === undefined) continue
        const cr: CeremonyRule = { allow: c.bool(r.allow, `${p}.allow`) ?? false }
        if (r.approvals !== undefined) cr.approvals = approvals(r.approvals, `${p}.approvals`)
        out.ceremonies[kind] = cr
      }
    }
  }
  if (c.problems.length > 0) return { ok: false, problems: c.problems }
  return { ok: true, document: JSON.parse(JSON.stringify(out)) as PolicyDocument }
}

const RULE_KEYS = [
  'id',
  'description',
  'keyIds',
  'keyRoles',
  'operations',
  'requesters',
  'requesterCredentials',
  'chainIds',
  'calls',
  'limits',
  'recipient',
  'timeWindow',
  'approvals',
]

function rule(
  c: Checker,
  x: unknown,
  p: string,
  approvals: (x: unknown, p: string) => ApprovalRule | undefined,
): PolicyRule | undefined {
  const o = c.object(x, p, RULE_KEYS)
  if (o === undefined) return undefined
  const r: PolicyRule = {
    id: c.id(o.id, `${p}.id`) ?? '',
    operations: c.required(o.operations, `${p}.operations`, c.id),
    requesters: c.required(o.requesters, `${p}.requesters`, (v, q) =>
      v === '*' || v === 'key-owner' ? v : c.did(v, q),
    ),
  }
  if (o.description !== undefined)
    r.description =
      typeof o.description === 'string' ? o.description : c.fail(`${p}.description`, 'must be text')
  r.keyIds = c.list(o.keyIds, `${p}.keyIds`, c.id)
  r.keyRoles = c.list(o.keyRoles, `${p}.keyRoles`, c.id)
  if ((r.keyIds?.length ?? 0) + (r.keyRoles?.length ?? 0) === 0) c.fail(p, 'needs keyIds or keyRoles')
  r.requesterCredentials = c.list(o.requesterCredentials, `${p}.requesterCredentials`, c.id)
  r.chainIds = c.list(o.chainIds, `${p}.chainIds`, (v, q) => c.int(v, q, 1, Number.MAX_SAFE_INTEGER))
  r.calls = c.list(o.calls, `${p}.calls`, (v, q) => {
    const call = c.object(v, q, ['contract', 'functions'])
    if (call === undefined) return undefined
    const contract = call.contract === '*' ? '*' : c.address(call.contract, `${q}.contract`)
    const functions =
      c.list(call.functions, `${q}.functions`, c.id, true) ?? c.fail(`${q}.functions`, 'is required')
    return contract !== undefined && functions !== undefined ? { contract, functions } : undefined
  })
  r.limits = c.list(o.limits, `${p}.limits`, (v, q) => {
    const l = c.object(v, q, ['token', 'perTx', 'per24h'])
    if (l === undefined) return undefined
    const token = l.token === 'native' ? 'native' : c.address(l.token, `${q}.token`)
    const limit: { token: string; perTx?: string; per24h?: string } = { token: token ?? '' }
    if (l.perTx !== undefined) limit.perTx = c.amount(l.perTx, `${q}.perTx`)
    if (l.per24h !== undefined) limit.per24h = c.amount(l.per24h, `${q}.per24h`)
    if (l.perTx === undefined && l.per24h === undefined) c.fail(q, 'needs perTx or per24h')
    return token === undefined ? undefined : limit
  })
  if (o.recipient !== undefined) {
    const rc = c.object(o.recipient, `${p}.recipient`, ['canReceive', 'validDid', 'credentials'])
    if (rc !== undefined) {
      r.recipient = {}
      if (rc.canReceive !== undefined)
        r.recipient.canReceive = c.bool(rc.canReceive, `${p}.recipient.canReceive`)
      if (rc.validDid !== undefined) r.recipient.validDid = c.bool(rc.validDid, `${p}.recipient.validDid`)
      r.recipient.credentials = c.list(rc.credentials, `${p}.recipient.credentials`, c.id)
    }
  }
  if (o.timeWindow !== undefined) {
    const tw = c.object(o.timeWindow, `${p}.timeWindow`, ['days', 'hoursUtc'])
    if (tw !== undefined) {
      r.timeWindow = {}
      r.timeWindow.days = c.list(tw.days, `${p}.timeWindow.days`, (v, q) =>
        WEEKDAYS.includes(v as Weekday) ? (v as Weekday) : c.fail(q, `must be one of ${WEEKDAYS.join(', ')}`),
      )
      if (tw.hoursUtc !== undefined) {
        const h = c.list(tw.hoursUtc, `${p}.timeWindow.hoursUtc`, (v, q) => c.int(v, q, 0, 24))
        if (h !== undefined && h.length !== 2)
          c.fail(`${p}.timeWindow.hoursUtc`, 'must be [startHour, endHour)')
        else if (h !== undefined) r.timeWindow.hoursUtc = [h[0], h[1]]
      }
    }
  }
  if (o.approvals !== undefined) r.approvals = approvals(o.approvals, `${p}.approvals`)
  return r
}
