import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { stringify } from 'yaml'
import { isNodeError } from '../errors.ts'
import { compilePolicy, loadPolicyFile, parsePolicyText } from './load.ts'
import { devPolicy, devPolicyDocument, policyYaml, starterPolicy, starterPolicyDocument } from './presets.ts'
import { PolicyStore } from './store.ts'
import { investor, RECIPIENT, samplePolicyDocument } from './testkit.ts'
import { validatePolicyDocument } from './validate.ts'

function problems(doc: unknown): string[] {
  const v = validatePolicyDocument(doc)
  return v.ok ? [] : v.problems.map((p) => `${p.path}: ${p.message}`)
}

describe('policy validation', () => {
  it('accepts the sample, starter and dev documents', () => {
    for (const d of [samplePolicyDocument(), starterPolicyDocument(), devPolicyDocument()])
      expect(problems(d)).toEqual([])
  })

  it('reports each problem with its path', () => {
    const d = samplePolicyDocument() as unknown as Record<string, unknown>
    d.version = 2
    d.rulez = []
    const rules = d.rules as Record<string, unknown>[]
    rules[0].limits = [{ token: 'USDC', perTx: '-5' }]
    rules[0].operations = []
    rules[1].approvals = { quorum: 0, role: 'auditor' }
    rules[1].id = rules[0].id
    expect(problems(d)).toEqual([
      '$.rulez: unknown key',
      '$.version: must be 1',
      '$.rules[0].operations: must not be empty',
      '$.rules[0].limits[0].token: must be a 0x address',
      '$.rules[0].limits[0].perTx: must be a non-negative integer amount',
      '$.rules[1].approvals.quorum: must be an integer in [1, 64]',
      '$.rules[1].approvals.role: no operator holds role "auditor"',
      '$.rules[1].id: duplicate rule id "investor-transfers"',
    ])
  })

  it('requires the investor DID on a device node and known roles', () => {
    expect(problems({ version: 1, node: { role: 'device' } })).toEqual([
      '$.node.investorDid: a device node needs the DID of its investor',
    ])
    expect(problems({ version: 1, node: { role: 'king' } })).toEqual([
      '$.node.role: must be one of provider, device, recovery',
    ])
  })

  it('normalises addresses and integer amounts', () => {
    const d = samplePolicyDocument()
    d.rules![0].calls = [{ contract: '0xABCDEF0000000000000000000000000000000001', functions: ['transfer'] }]
    ;(d.rules![0].limits![0] as { perTx: unknown }).perTx = 1000
    const v = validatePolicyDocument(d)
    expect(v.ok && v.document.rules![0].calls![0].contract).toBe('0xabcdef0000000000000000000000000000000001')
    expect(v.ok && v.document.rules![0].limits![0].perTx).toBe('1000')
  })

  it('versions a policy by the hash of its canonical JSON, whatever the key order or format', () => {
    const a = compilePolicy(samplePolicyDocument())
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : typeof v === 'object' && v !== null
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverseKeys(x)]),
            )
          : v
    const shuffled = reverseKeys(samplePolicyDocument())
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(samplePolicyDocument()))
    const fromYaml = compilePolicy(parsePolicyText(stringify(samplePolicyDocument())))
    expect(compilePolicy(parsePolicyText(JSON.stringify(shuffled))).hash).toBe(a.hash)
    expect(fromYaml.hash).toBe(a.hash)
    expect(compilePolicy({ ...samplePolicyDocument(), revokedCredentials: ['x'] }).hash).not.toBe(a.hash)
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('starter denies everything, dev is flagged', () => {
    expect(starterPolicy().document.rules).toEqual([])
    expect(starterPolicy().dev).toBe(false)
    expect(devPolicy().dev).toBe(true)
    expect(policyYaml(devPolicyDocument())).toContain('DEVELOPMENT')
    expect(parsePolicyText(policyYaml(starterPolicyDocument()))).toEqual(starterPolicyDocument())
  })

  it('throws typed errors for unparsable and invalid text', () => {
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return isNodeError(e) ? e.code : 'other'
      }
    }
    expect(code(() => parsePolicyText('{ not json'))).toBe('POLICY_UNPARSABLE')
    expect(code(() => parsePolicyText('version: 3'))).toBe('POLICY_INVALID')
  })
})

describe('policy files', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'policy-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('loads sanctions and revocation lists named by the policy', async () => {
    await writeFile(join(dir, 'sdn.txt'), `# OFAC extract\n${RECIPIENT.toUpperCase().replace('0X', '0x')}\n`)
    await writeFile(join(dir, 'dids.json'), JSON.stringify([investor.did]))
    await writeFile(join(dir, 'revoked.txt'), 'urn:kyc:1\nurn:kyc:2\n')
    const doc = { ...samplePolicyDocument(), revocationFiles: ['revoked.txt'] }
    doc.sanctions = { addressFiles: ['sdn.txt'], didFiles: ['dids.json'] }
    await writeFile(join(dir, 'policy.yaml'), stringify(doc))
    const p = await loadPolicyFile(join(dir, 'policy.yaml'))
    expect(p.sanctionedAddresses.has(RECIPIENT)).toBe(true)
    expect(p.sanctionedDids.has(investor.did)).toBe(true)
    expect([...p.revoked].sort()).toEqual(['urn:kyc:1', 'urn:kyc:2', 'urn:kyc:revoked'])
    // the lists are part of the version
    await writeFile(join(dir, 'revoked.txt'), 'urn:kyc:1\n')
    expect((await loadPolicyFile(join(dir, 'policy.yaml'))).hash).not.toBe(p.hash)
    // a bad entry is an error, not a silently shorter list
    await writeFile(join(dir, 'sdn.txt'), 'not-an-address\n')
    await expect(loadPolicyFile(join(dir, 'policy.yaml'))).rejects.toMatchObject({ code: 'POLICY_INVALID' })
  })

  it('PolicyStore swaps only valid versions and keeps the old one otherwise', async () => {
    const path = join(dir, 'policy.yaml')
    const store = new PolicyStore({ path, pollMs: 50, onError: vi.fn() })
    await store.start()
    try {
      expect(store.current()).toBeUndefined() // no file: deny all
      await writeFile(path, policyYaml(starterPolicyDocument()))
      await vi.waitFor(() => expect(store.current()?.hash).toBe(starterPolicy().hash), { timeout: 3000 })
      await writeFile(path, stringify(samplePolicyDocument()))
      await vi.waitFor(() => expect(store.current()?.hash).toBe(compilePolicy(samplePolicyDocument()).hash), {
        timeout: 3000,
      })
      const good = store.current()
      await writeFile(path, 'version: 1\nrules: [ { id: broken } ]\n')
      await vi.waitFor(() => expect(store.lastError()?.code).toBe('POLICY_INVALID'), { timeout: 3000 })
      expect(store.current()).toBe(good)
      expect(await store.reload()).toBe('unchanged')
    } finally {
      store.stop()
    }
  })
})
