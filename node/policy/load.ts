// Loading a policy: parse JSON or YAML, validate, read the sanctions and revocation lists it names
// (paths relative to the policy file), and compile everything into one hashed `Policy`.
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { NodeError } from '../errors.ts'
import { canonicalHash } from '../identity/canonical.ts'
import type { Policy, PolicyDocument } from './types.ts'
import { validatePolicyDocument } from './validate.ts'

export type PolicyLists = { sanctionedAddresses: string[]; sanctionedDids: string[]; revoked: string[] }

/** Parses policy text (JSON when it starts with `{`, YAML otherwise) and validates it. */
export function parsePolicyText(text: string, source = 'policy'): PolicyDocument {
  let raw: unknown
  try {
    raw = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 16 })
  } catch (cause) {
    throw new NodeError('POLICY_UNPARSABLE', `${source} is not valid JSON or YAML`, {
      cause,
      hints: ['Fix the syntax; the node keeps its previous policy (or denies everything if it has none).'],
    })
  }
  const v = validatePolicyDocument(raw)
  if (!v.ok) {
    throw new NodeError(
      'POLICY_INVALID',
      `${source} is not a valid policy (${v.problems.length} problem(s))`,
      {
        details: { problems: v.problems },
        hints: v.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`),
      },
    )
  }
  return v.document
}

/** Compiles a validated document and its loaded lists into a `Policy` versioned by its hash. */
export function compilePolicy(
  document: PolicyDocument,
  lists?: Partial<PolicyLists>,
  source?: string,
): Policy {
  const addresses = new Set([...(document.sanctions?.addresses ?? []), ...(lists?.sanctionedAddresses ?? [])])
  const dids = new Set([...(document.sanctions?.dids ?? []), ...(lists?.sanctionedDids ?? [])])
  const revoked = new Set([...(document.revokedCredentials ?? []), ...(lists?.revoked ?? [])])
  const operators = new Map<string, Set<string>>()
  for (const o of document.operators ?? []) {
    const roles = operators.get(o.did) ?? new Set<string>()
    for (const r of o.roles) roles.add(r)
    operators.set(o.did, roles)
  }
  const hash = canonicalHash({
    document,
    sanctionedAddresses: [...addresses].sort(),
    sanctionedDids: [...dids].sort(),
    revoked: [...revoked].sort(),
  })
  const policy: Policy = {
    document,
    hash,
    dev: document.dev === true,
    sanctionedAddresses: addresses,
    sanctionedDids: dids,
    revoked,
    operators,
  }
  if (source !== undefined) policy.source = source
  return policy
}

/** Reads, validates and compiles a policy file. Throws `POLICY_UNREADABLE`, `POLICY_UNPARSABLE`, `POLICY_INVALID`. */
export async function loadPolicyFile(path: string): Promise<Policy> {
  const text = await readText(path, 'policy file')
  const document = parsePolicyText(text, path)
  const dir = dirname(path)
  const read = async (files: string[] | undefined, kind: 'address' | 'did' | 'id') => {
    const out: string[] = []
    for (const f of files ?? [])
      out.push(...parseList(await readText(resolve(dir, f), `${kind} list`), f, kind))
    return out
  }
  const lists: PolicyLists = {
    sanctionedAddresses: await read(document.sanctions?.addressFiles, 'address'),
    sanctionedDids: await read(document.sanctions?.didFiles, 'did'),
    revoked: await read(document.revocationFiles, 'id'),
  }
  return compilePolicy(document, lists, path)
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (cause) {
    throw new NodeError('POLICY_UNREADABLE', `Cannot read the ${what} ${path}`, { cause })
  }
}

/** A list file: a JSON array of strings, or one entry per line with `#` comments. */
export function parseList(text: string, source: string, kind: 'address' | 'did' | 'id'): string[] {
  let entries: unknown[]
  if (text.trimStart().startsWith('[')) {
    try {
      entries = JSON.parse(text)
    } catch (cause) {
      throw new NodeError('POLICY_UNPARSABLE', `${source} is not a JSON list`, { cause })
    }
  } else {
    entries = text
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l.length > 0)
  }
  const check = { address: /^0x[0-9a-fA-F]{40}$/, did: /^did:[a-z0-9]+:\S+$/, id: /^\S{1,256}$/ }[kind]
  return entries.map((e, i) => {
    if (typeof e !== 'string' || !check.test(e)) {
      throw new NodeError('POLICY_INVALID', `${source}: entry ${i + 1} is not a valid ${kind}`, {
        details: { problems: [{ path: `${source}[${i}]`, message: `not a valid ${kind}` }] },
      })
    }
    return kind === 'address' ? e.toLowerCase() : e
  })
}
