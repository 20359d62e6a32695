// The gate in one process, without a network: proposals built as the engine hands them to
// admission, judged against a policy file on disk, the audit trail read back as the CLI reads it.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Proposal } from '../../../proto/types.ts'
import { TEST_PASSPHRASE, TEST_SCRYPT } from '../../../test/support/cluster.ts'
import { openAuditLog } from '../../audit/open.ts'
import { verifyAuditLines } from '../../audit/verify.ts'
import { loadOrCreateIdentity, type NodeConfig } from '../../config/index.ts'
import { signJwt } from '../../identity/signer.ts'
import { createLogger } from '../../log/index.ts'
import { devPolicyDocument, type PolicyDocument, policyYaml } from '../../policy/index.ts'
import { callData, investor, kycCredential, kycIssuer, RECIPIENT, TOKEN } from '../../policy/testkit.ts'
import { Store } from '../../store/store.ts'
import { createGate, type Gate } from '../gate.ts'
import { decodeSignRequest, encodeSignRequest } from '../requests.ts'
import type { SignInput } from '../types.ts'

const KEY_ID = 'ab'.repeat(32)
let COMMITTEE: string[] = []

let home: string
let store: Store
let logs: Record<string, unknown>[]
let gate: Gate | undefined
let selfPeerId: string

function config(role: NodeConfig['role'] = 'provider'): NodeConfig {
  return {
    name: 'gate-test',
    role,
    listen: '/ip4/127.0.0.1/tcp/0',
    api: { host: '127.0.0.1', port: 0 },
    chain: { chainId: 31337 },
    peers: [],
    policy: 'policy.yaml',
  }
}

async function start(role: NodeConfig['role'] = 'provider'): Promise<Gate> {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) logs.push(JSON.parse(l) as Record<string, unknown>)
      done()
    },
  })
  const logger = createLogger({ level: 'info', pretty: false, destination: sink })
  gate = await createGate({ config: config(role), home, selfPeerId, did: 'did:key:z6Mk' }, { store, logger })
  return gate
}

const writePolicy = (doc: PolicyDocument) => writeFile(join(home, 'policy.yaml'), policyYaml(doc))

function strict(): PolicyDocument {
  return {
    version: 1,
    trustedIssuers: [{ did: kycIssuer.did, types: ['KycCredential'] }],
    rules: [
      {
        id: 'transfers',
        keyIds: [KEY_ID],
        operations: ['transfer'],
        requesters: [investor.did],
        requesterCredentials: ['KycCredential'],
        calls: [{ contract: TOKEN, functions: ['transfer'] }],
        limits: [{ token: TOKEN, perTx: '100', per24h: '150' }],
      },
    ],
    ceremonies: { dkg: { allow: true } },
  }
}

function requestJws(amount: bigint, extra: Record<string, string> = {}): string {
  const iat = Math.floor(Date.now() / 1000)
  return signJwt(
    {
      aud: KEY_ID,
      iat,
      exp: iat + 60,
      jti: `gate-${randomBytes(8).toString('hex')}`,
      op: 'transfer',
      transaction: {
        chainId: 31337,
        nonce: 1,
        to: TOKEN,
        value: '0',
        data: callData('transfer', [RECIPIENT, amount]),
        gas: '90000',
        maxFeePerGas: '2000000000',
        maxPriorityFeePerGas: '1000000000',
      },
      credentials: [kycCredential(investor.did, { id: 'urn:kyc:gate-test' })],
      ...extra,
    },
    investor,
  )
}

function proposal(kind: Proposal['kind'], input?: SignInput) {
  const p: Proposal = {
    kind,
    sessionNonce: randomBytes(32),
    committee: COMMITTEE,
    threshold: 2,
    keyId: Buffer.from(KEY_ID, 'hex'),
    signers: kind === 'sign' ? [1, 2] : [],
    request: input === undefined ? new Uint8Array(0) : encodeSignRequest(input),
    derivationPath: [],
    epoch: 0,
    newCommittee: [],
    newThreshold: 0,
    timeoutMs: 1000,
  }
  return p
}

async function judgeSign(g: Gate, input: SignInput) {
  const p = proposal('sign', input)
  const decoded = decodeSignRequest(p.request, (jws) => g.contentOf(jws))
  return { p, verdict: await g.judge(p, COMMITTEE[1]!, decoded) }
}

/** Ends the ceremony as the engine does after a released signature. */
function completed(g: Gate, p: Proposal) {
  g.finished({
    proposal: p,
    outcome: 'completed',
    ms: 5,
    signature: { r: 1n, s: 2n, recovery: 0 } as never,
    transcriptHash: new Uint8Array(32).fill(7),
  })
}

async function trail(): Promise<Record<string, unknown>[]> {
  await gate?.stop()
  gate = undefined
  const { log, close } = await openAuditLog(home)
  const lines: string[] = []
  for await (const l of log.export()) lines.push(l)
  await close()
  expect(verifyAuditLines(lines).ok).toBe(true)
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>)
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'gate-'))
  logs = []
  store = await Store.open({
    path: join(home, 'db'),
    passphrase: TEST_PASSPHRASE,
    create: true,
    scrypt: TEST_SCRYPT,
  })
  selfPeerId = (await loadOrCreateIdentity(store)).peerId
  const others = await Promise.all(
    [0, 1].map(async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))),
  )
  COMMITTEE = [selfPeerId, ...others.map((x) => x.toString())]
  const now = Date.now()
  await store.keys.put(KEY_ID, {
    keyId: KEY_ID,
    publicKey: `02${'11'.repeat(32)}`,
    address: `0x${'22'.repeat(20)}`,
    threshold: 2,
    committee: COMMITTEE,
    epoch: 0,
    status: 'active',
    createdAt: now,
    updatedAt: now,
  })
})

afterEach(async () => {
  await gate?.stop()
  gate = undefined
  await store.close()
  await rm(home, { recursive: true, force: true })
})

describe('policy gate', () => {
  it('refuses every proposal without a policy file (fail closed) and raises incidents', async () => {
    const g = await start()
    expect(await g.judge(proposal('dkg'), COMMITTEE[1]!)).toMatchObject({ accept: false, code: 'NO_POLICY' })
    const { verdict } = await judgeSign(g, { request: requestJws(10n) })
    expect(verdict).toMatchObject({ accept: false, code: 'NO_POLICY' })
    expect(g.incidentCounts()).toMatchObject({ 'policy-error:POLICY_UNREADABLE': 1, 'denial:NO_POLICY': 2 })
    expect(logs.some((l) => l.incident === 'denial' && l.severity === 'medium')).toBe(true)
  })

  it('warns loudly under the dev policy and co-signs unsigned requests on providers only', async () => {
    await writePolicy(devPolicyDocument())
    const g = await start()
    expect(logs.some((l) => l.dev === true && String(l.msg).includes('DEVELOPMENT POLICY'))).toBe(true)
    const tx = {
      chainId: 31337,
      nonce: 0,
      to: RECIPIENT,
      value: '1',
      data: '0x',
      gas: '21000',
      maxFeePerGas: '1',
      maxPriorityFeePerGas: '1',
    }
    expect((await judgeSign(g, { transaction: tx })).verdict).toBeNull()
    await g.stop()
    const r = await start('recovery')
    // A recovery node joins key generation (it holds a backup share) but never routine signing.
    expect(await r.judge(proposal('dkg'), COMMITTEE[1]!)).toBeNull()
    expect((await judgeSign(r, { transaction: tx })).verdict).toMatchObject({
      code: 'RECOVERY_NODE_ROUTINE_REFUSED',
    })
  })

  it('verifies, evaluates and audits before answering; counts released signatures against 24 h limits', async () => {
    await writePolicy(strict())
    const g = await start()
    expect(await g.judge(proposal('dkg'), COMMITTEE[1]!)).toBeNull()
    const first = await judgeSign(g, { request: requestJws(100n) })
    expect(first.verdict).toBeNull()
    completed(g, first.p)
    const over = await judgeSign(g, { request: requestJws(60n) })
    expect(over.verdict).toMatchObject({ accept: false, code: 'OVER_24H_LIMIT' })
    const unsigned = await judgeSign(g, {
      transaction: {
        chainId: 31337,
        nonce: 0,
        to: RECIPIENT,
        value: '1',
        data: '0x',
        gas: '21000',
        maxFeePerGas: '1',
        maxPriorityFeePerGas: '1',
      },
    })
    expect(unsigned.verdict).toMatchObject({ code: 'REQUEST_UNSIGNED' })
    const replay = requestJws(1n)
    expect((await judgeSign(g, { request: replay })).verdict).toBeNull()
    expect((await judgeSign(g, { request: replay })).verdict).toMatchObject({ code: 'REQUEST_REPLAYED' })
    // The derivation path picks the signing address: the request must name it.
    const pathed = await judgeSign(g, { request: requestJws(1n), derivationPath: 'm/0/1' })
    expect(pathed.verdict).toMatchObject({ code: 'REQUEST_PATH_UNSIGNED' })

    const records = await trail()
    const kinds = records.map((r) => r.kind)
    expect(kinds.slice(0, 2)).toEqual(['request', 'decision'])
    expect(kinds).toContain('ceremony')
    expect(kinds).toContain('signature')
    const denied = records.filter(
      (r) => r.kind === 'decision' && (r.data as { decision: string }).decision === 'deny',
    )
    expect(denied.map((r) => (r.data as { reasons: { code: string }[] }).reasons[0]?.code)).toEqual([
      'OVER_24H_LIMIT',
      'REQUEST_UNSIGNED',
      'REQUEST_REPLAYED',
      'REQUEST_PATH_UNSIGNED',
    ])
    expect(JSON.stringify(records)).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/)
  })

  it('counts allowed requests still being signed: parallel requests cannot pass the 24 h limit together', async () => {
    await writePolicy(strict())
    const g = await start()
    const [a, b] = await Promise.all([
      judgeSign(g, { request: requestJws(100n) }),
      judgeSign(g, { request: requestJws(100n) }),
    ])
    expect([a.verdict, b.verdict]).toEqual([null, expect.objectContaining({ code: 'OVER_24H_LIMIT' })])
    // A refused ceremony releases its reservation.
    g.finished({ proposal: a.p, outcome: 'rejected', ms: 1 })
    expect((await judgeSign(g, { request: requestJws(100n) })).verdict).toBeNull()
  })

  it('without a chain configured, a policy that needs chain facts denies (fail closed)', async () => {
    const doc = strict()
    doc.rules![0]!.recipient = { canReceive: true, validDid: true }
    await writePolicy(doc)
    const g = await start()
    const { verdict } = await judgeSign(g, { request: requestJws(10n) })
    expect(verdict).toMatchObject({ accept: false, code: 'CHAIN_VIEW_UNAVAILABLE' })
    expect(verdict?.accept === false && verdict.reasons.length).toBe(2) // canReceive and the DID
  })

  it('decodes a signed request into the content every node signs', async () => {
    await writePolicy(strict())
    const g = await start()
    const content = g.contentOf(requestJws(5n)) as { transaction: { to: string; data: string } }
    expect(content.transaction.to).toBe(TOKEN)
    expect(() => g.contentOf('not.a.jws')).toThrow(/malformed/)
  })
})
