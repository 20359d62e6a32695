// DID-linked policy before co-signing and the audit trail, on three `mpc-node start` processes
// (issue 5, "what it must show", items 1–6) with chain facts from a real anvil running the STV3
// contracts (canReceive on the token, the recipient's record in the DID registry).
//
// Every node runs the same strict policy (below) until item 4 turns A's into the development
// policy. Item 5 restarts C as a recovery node. Item 6 stops B and checks its exported trail.
// The tests run in order and share the cluster.

import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { createJWT, ES256KSigner } from 'did-jwt'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  http,
  type PublicClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Anvil, startAnvil } from '../../node/chain/anvil.ts'
import { deployStv3, didCalls, sendStv3Call, WRITER_ROLE } from '../../node/chain/stv3.ts'
import { homePaths } from '../../node/config/index.ts'
import { issueCredentialJwt } from '../../node/identity/credential.ts'
import { type DidSigner, secp256k1DidSigner, signJwt } from '../../node/identity/signer.ts'
import { devPolicyDocument, type PolicyDocument, STV3_ABI, signApproval } from '../../node/policy/index.ts'
import {
  investor,
  issuerOperator,
  kycIssuer,
  labelSigner,
  officers,
  rogueIssuer,
  stranger,
} from '../../node/policy/testkit.ts'
import type { KeyView, SignatureView } from '../../node/service/types.ts'
import { createHomes, TEST_PASSPHRASE, type TestHome, writePolicy } from '../support/cluster.ts'
import { call, NodeProcess } from '../support/node-process.ts'

const CHAIN_ID = 31337
const chain = defineChain({ ...foundry, id: CHAIN_ID })
const BIN = fileURLToPath(new URL('../../node/cli/bin.mjs', import.meta.url))
const REPO = fileURLToPath(new URL('../../', import.meta.url))

const blocked = labelSigner('e2e-blocked-investor')
/** An investor whose wallet software signs with the did-jwt library (test secret). */
const DID_JWT_SECRET = new Uint8Array(32).fill(0x42)
const didJwtInvestor = secp256k1DidSigner(DID_JWT_SECRET)
const addr = (n: number): Address => `0x${n.toString(16).padStart(40, '0')}`
const RECIPIENT = addr(0xa11ce)
const RECIPIENT_NO_DID = addr(0xb0b)
const RECIPIENT_SANCTIONED = addr(0x5a9c)

let anvil: Anvil
let token: Address
let homes: TestHome[] = []
let nodes: NodeProcess[] = []
let key: KeyView
let nonce = 0
const A = () => nodes[0]!
const B = () => nodes[1]!
const C = () => nodes[2]!

function strictPolicy(): PolicyDocument {
  return {
    version: 1,
    node: { role: 'provider' },
    trustedIssuers: [{ did: kycIssuer.did, types: ['KycCredential'] }],
    sanctions: { addresses: [RECIPIENT_SANCTIONED], dids: [blocked.did] },
    operators: officers.map((o) => ({ did: o.did, roles: ['compliance-officer'] })),
    rules: [
      {
        id: 'investor-transfers',
        keyRoles: ['default'],
        operations: ['transfer'],
        requesters: [investor.did, didJwtInvestor.did, blocked.did],
        requesterCredentials: ['KycCredential'],
        chainIds: [CHAIN_ID],
        calls: [{ contract: token.toLowerCase(), functions: ['transfer'] }],
        limits: [{ token: token.toLowerCase(), perTx: '1000', per24h: '2500' }],
        recipient: { canReceive: true, validDid: true },
      },
      {
        id: 'issuer-operations',
        keyRoles: ['default'],
        operations: ['issue'],
        requesters: [issuerOperator.did],
        calls: [{ contract: token.toLowerCase(), functions: ['issue'] }],
        approvals: { quorum: 2, role: 'compliance-officer', maxAgeSeconds: 3600 },
      },
    ],
    ceremonies: { dkg: { allow: true }, reshare: { allow: true } },
  }
}

const nowS = () => Math.floor(Date.now() / 1000)

function kyc(subject: string, issuer: DidSigner = kycIssuer): string {
  return issueCredentialJwt(issuer, {
    id: `urn:kyc:${subject.slice(-10)}`,
    subject,
    types: ['KycCredential'],
    nbf: nowS() - 86_400,
    exp: nowS() + 86_400 * 365,
  })
}

type RequestSpec = {
  signer?: DidSigner
  /** Signs with this key while naming `signer` (a forged signature). */
  forgeWith?: DidSigner
  op?: string
  aud?: string
  iat?: number
  exp?: number
  data: `0x${string}`
  credentials?: string[]
}

/** A request JWS (node/policy/request.ts) with the requester's credentials in its `credentials` claim. */
function request(spec: RequestSpec): string {
  const signer = spec.signer ?? investor
  const iat = spec.iat ?? nowS()
  const payload = {
    aud: spec.aud ?? key.keyId,
    iat,
    exp: spec.exp ?? iat + 120,
    jti: `e2e-${process.pid}-${++nonce}-${Date.now()}`,
    op: spec.op ?? 'transfer',
    transaction: {
      chainId: CHAIN_ID,
      nonce,
      to: token,
      value: '0',
      data: spec.data,
      gas: '90000',
      maxFeePerGas: '2000000000',
      maxPriorityFeePerGas: '1000000000',
    },
    credentials: spec.credentials ?? [kyc(signer.did)],
  }
  if (spec.forgeWith === undefined) return signJwt(payload, signer)
  return signJwt(payload, { ...spec.forgeWith, did: signer.did, kid: signer.kid })
}

const transfer = (to: Address, amount: bigint) =>
  encodeFunctionData({ abi: STV3_ABI, functionName: 'transfer', args: [to, amount] })
const issue = (amount: bigint) => encodeFunctionData({ abi: STV3_ABI, functionName: 'issue', args: [amount] })
const approve = (spender: Address, amount: bigint) =>
  encodeFunctionData({ abi: STV3_ABI, functionName: 'approve', args: [spender, amount] })

type Denial = { peerId: string; code: string; reasons: string[] }
type ErrorBody = { error: { code: string; message: string; details?: { denials?: Denial[] } } }

async function sign(via: NodeProcess, signers: NodeProcess[], body: Record<string, unknown>) {
  return call<SignatureView & ErrorBody>(via.api, 'POST', `/v1/keys/${key.keyId}/signatures`, {
    ...body,
    signers: signers.map((n) => n.peerId),
  })
}

function expectVerifies(sig: SignatureView): void {
  const compact = new secp256k1.Signature(BigInt(sig.r), BigInt(sig.s)).toBytes('compact')
  const ok = secp256k1.verify(
    compact,
    Buffer.from(sig.digest.slice(2), 'hex'),
    Buffer.from(key.publicKey.slice(2), 'hex'),
    { prehash: false },
  )
  expect(ok).toBe(true)
}

/** Completed signing ceremonies on a node, from its /metrics. */
async function signaturesDone(n: NodeProcess): Promise<number> {
  const r = await call<string>(n.api, 'GET', '/metrics')
  const m = /^mpc_ceremonies_total\{kind="sign",outcome="completed"\} (\d+)$/m.exec(r.text)
  return m ? Number(m[1]) : 0
}

/** `mpc-node ...` as a process; resolves with its exit code and output. */
function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, MPC_NODE_PASSPHRASE: TEST_PASSPHRASE } as Record<string, string>
    delete env.NODE_OPTIONS
    delete env.VITEST
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => resolve({ code, out, err }))
  })
}

async function waitFor(what: string, f: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms
  while (!(await f())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function setupChain(): Promise<void> {
  anvil = await startAnvil({ chainId: CHAIN_ID })
  const admin = privateKeyToAccount(anvil.accounts[0]!.privateKey)
  const publicClient = createPublicClient({ chain, transport: http(anvil.rpcUrl) }) as PublicClient
  const walletClient = createWalletClient({ account: admin, chain, transport: http(anvil.rpcUrl) })
  const d = await deployStv3({ walletClient, publicClient, name: 'Policy E2E', symbol: 'PE2E' })
  token = d.token
  const clients = { walletClient, publicClient }
  await sendStv3Call(clients, didCalls.grantRole(d.didRegistry, WRITER_ROLE, admin.address))
  await sendStv3Call(clients, didCalls.createDID(d.didRegistry, 'did:example:recipient', RECIPIENT))
  await sendStv3Call(
    clients,
    didCalls.createDID(d.didRegistry, 'did:example:sanctioned', RECIPIENT_SANCTIONED),
  )
}

beforeAll(async () => {
  await setupChain()
  homes = await createHomes(
    ['a', 'b', 'c'].map((name) => ({
      name,
      role: 'provider' as const,
      policy: strictPolicy(),
      rpcUrl: anvil.rpcUrl,
    })),
  )
  nodes = homes.map((h) => new NodeProcess({ home: h.home, signTimeoutMs: 8000, dkgTimeoutMs: 30_000 }))
  await Promise.all(nodes.map((n) => n.start()))
  const created = await call<KeyView>(A().api, 'POST', '/v1/keys', {
    committee: nodes.map((n) => n.peerId),
    threshold: 2,
  })
  expect(created.status, created.text).toBe(201)
  key = created.body
}, 120_000)

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()))
  await anvil?.stop()
})

describe('DID-linked policy on three node processes', () => {
  let allowedToken = ''

  it('1. allows an investor transfer with a valid KYC credential to a verified recipient', async () => {
    allowedToken = request({ data: transfer(RECIPIENT, 100n) })
    const r = await sign(A(), [A(), B()], { request: allowedToken })
    expect(r.status, r.text).toBe(200)
    expectVerifies(r.body)
    // The same kind of request made by did-jwt (ES256K, no kid: iss names the signer).
    const viaDidJwt = await createJWT(
      {
        aud: key.keyId,
        jti: `e2e-did-jwt-${Date.now()}`,
        op: 'transfer',
        transaction: {
          chainId: CHAIN_ID,
          nonce: 0,
          to: token,
          value: '0',
          data: transfer(RECIPIENT, 10n),
          gas: '90000',
          maxFeePerGas: '2000000000',
          maxPriorityFeePerGas: '1000000000',
        },
        credentials: [kyc(didJwtInvestor.did)],
      },
      { issuer: didJwtInvestor.did, signer: ES256KSigner(DID_JWT_SECRET), expiresIn: 60 },
      { alg: 'ES256K' },
    )
    const d = await sign(B(), [B(), C()], { request: viaDidJwt })
    expect(d.status, d.text).toBe(200)
    expectVerifies(d.body)
  })

  it('2. denies, with the right code from every node that judges, without computing a share', async () => {
    // Two more allowed transfers bring the 24 h total to 2100 of 2500 on A and B.
    for (const amount of [1000n, 1000n]) {
      const r = await sign(A(), [A(), B()], { request: request({ data: transfer(RECIPIENT, amount) }) })
      expect(r.status, r.text).toBe(200)
    }
    const before = await Promise.all(nodes.map(signaturesDone))
    const one = (signer: DidSigner, opts: Partial<RequestSpec> = {}) =>
      request({ signer, data: transfer(RECIPIENT, 10n), ...opts })
    const tooFewApprovals = () => {
      const t = request({ signer: issuerOperator, op: 'issue', data: issue(500n), credentials: [] })
      return { request: t, approvals: [signApproval(officers[0]!, t, { iat: nowS(), exp: nowS() + 600 })] }
    }
    // A fresh token per attempt (a judged token's jti is spent on that node), except the replay.
    const cases: [string, () => Record<string, unknown>, string][] = [
      ['bad signature', () => ({ request: one(investor, { forgeWith: stranger }) }), 'REQUEST_BAD_SIGNATURE'],
      [
        'expired',
        () => ({ request: one(investor, { iat: nowS() - 600, exp: nowS() - 500 }) }),
        'REQUEST_EXPIRED',
      ],
      ['replayed jti', () => ({ request: allowedToken }), 'REQUEST_REPLAYED'],
      [
        'wrong audience',
        () => ({ request: one(investor, { aud: 'f'.repeat(64) }) }),
        'REQUEST_WRONG_AUDIENCE',
      ],
      ['unknown DID', () => ({ request: one(stranger) }), 'REQUESTER_UNKNOWN'],
      ['blocked DID', () => ({ request: one(blocked) }), 'REQUESTER_BLOCKED'],
      [
        'credential from an untrusted issuer',
        () => ({ request: one(investor, { credentials: [kyc(investor.did, rogueIssuer)] }) }),
        'CREDENTIAL_UNTRUSTED_ISSUER',
      ],
      [
        'sanctioned recipient',
        () => ({ request: request({ data: transfer(RECIPIENT_SANCTIONED, 10n) }) }),
        'RECIPIENT_SANCTIONED',
      ],
      [
        'recipient without a valid DID',
        () => ({ request: request({ data: transfer(RECIPIENT_NO_DID, 10n) }) }),
        'RECIPIENT_NO_VALID_DID',
      ],
      [
        'over the per-tx limit',
        () => ({ request: request({ data: transfer(RECIPIENT, 1001n) }) }),
        'OVER_PER_TX_LIMIT',
      ],
      [
        'over the 24 h limit',
        () => ({ request: request({ data: transfer(RECIPIENT, 500n) }) }),
        'OVER_24H_LIMIT',
      ],
      [
        'a function not allowed',
        () => ({ request: request({ data: approve(RECIPIENT, 10n) }) }),
        'FUNCTION_NOT_ALLOWED',
      ],
      ['an issuer operation with too few approvals', tooFewApprovals, 'INSUFFICIENT_APPROVALS'],
    ]
    // Each node coordinates in turn: its own judge refuses first. The replay and the 24 h case
    // pass C's judge (C never saw the token, nor co-signed the transfers) and A refuses them.
    const routes: [NodeProcess, NodeProcess][] = [
      [A(), B()],
      [B(), C()],
      [C(), A()],
    ]
    const passCoordinatorC = new Set(['replayed jti', 'over the 24 h limit'])
    for (const [name, body, code] of cases) {
      for (const [via, other] of routes) {
        const r = await sign(via, [via, other], body())
        expect(r.status, `${name} via ${via.opts.home}: ${r.text}`).toBe(403)
        expect(r.body.error.code).toBe('CEREMONY_REFUSED')
        const denials = r.body.error.details?.denials ?? []
        const denier = via === C() && passCoordinatorC.has(name) ? A() : via
        expect(
          denials.map((d) => d.peerId),
          name,
        ).toEqual([denier.peerId])
        for (const d of denials) {
          expect(
            d.code === code || d.reasons.some((x) => x.startsWith(`${code}:`)),
            `${name}: ${r.text}`,
          ).toBe(true)
        }
      }
    }
    expect(await Promise.all(nodes.map(signaturesDone))).toEqual(before)
    // Each refusal is an incident an operator can alert on.
    const metrics = (await call<string>(B().api, 'GET', '/metrics')).text
    for (const code of ['REQUEST_BAD_SIGNATURE', 'REQUEST_REPLAYED', 'REQUESTER_BLOCKED', 'OVER_24H_LIMIT'])
      expect(metrics).toMatch(new RegExp(`^mpc_incidents_total\\{code="${code}",kind="denial"\\} [1-9]`, 'm'))
  })

  it('3. signs the issuer operation with enough distinct approvals', async () => {
    const t = request({ signer: issuerOperator, op: 'issue', data: issue(500n), credentials: [] })
    const at = { iat: nowS(), exp: nowS() + 600 }
    const same = await sign(A(), [A(), B()], {
      request: t,
      approvals: [signApproval(officers[0]!, t, at), signApproval(officers[0]!, t, at)],
    })
    expect(same.status, same.text).toBe(403)
    expect(same.body.error.details?.denials?.[0]?.code).toBe('INSUFFICIENT_APPROVALS')
    const t2 = request({ signer: issuerOperator, op: 'issue', data: issue(500n), credentials: [] })
    const r = await sign(A(), [A(), B()], {
      request: t2,
      approvals: [signApproval(officers[0]!, t2, at), signApproval(officers[2]!, t2, at)],
    })
    expect(r.status, r.text).toBe(200)
    expectVerifies(r.body)
  })

  it('4. a coordinator whose policy allows everything cannot get what another node denies', async () => {
    await writePolicy(homes[0]!.home, devPolicyDocument())
    await waitFor('A to load the dev policy', () =>
      A()
        .logs()
        .some((l) => l.dev === true && String(l.msg).includes('DEVELOPMENT POLICY')),
    )
    const bBefore = await signaturesDone(B())
    const r = await sign(A(), [A(), B()], { request: request({ data: transfer(RECIPIENT_SANCTIONED, 10n) }) })
    expect(r.status, r.text).toBe(403)
    expect(r.body.error.details?.denials).toEqual([
      expect.objectContaining({ peerId: B().peerId, code: 'RECIPIENT_SANCTIONED' }),
    ])
    // A raw transaction (no requester DID) is refused by B as well: only the dev policy takes those.
    const raw = await sign(A(), [A(), B()], {
      transaction: {
        chainId: CHAIN_ID,
        nonce: 1,
        to: RECIPIENT,
        value: '1',
        data: '0x',
        gas: '21000',
        maxFeePerGas: '1000000000',
        maxPriorityFeePerGas: '1000000',
      },
    })
    expect(raw.status, raw.text).toBe(403)
    expect(raw.body.error.details?.denials?.[0]).toMatchObject({
      peerId: B().peerId,
      code: 'REQUEST_UNSIGNED',
    })
    expect(await signaturesDone(B())).toBe(bBefore)
  })

  it('5. a recovery node refuses a routine transfer signing', async () => {
    await C().stop()
    const cfgPath = homePaths(homes[2]!.home).config
    const cfg = JSON.parse(await readFile(cfgPath, 'utf8')) as { role: string }
    await writeFile(cfgPath, JSON.stringify({ ...cfg, role: 'recovery' }, null, 2))
    await writePolicy(homes[2]!.home, {
      ...strictPolicy(),
      node: { role: 'recovery' },
      ceremonies: { reshare: { allow: true }, recovery: { allow: true } },
    })
    await C().start()
    const r = await sign(A(), [A(), C()], { request: request({ data: transfer(RECIPIENT, 10n) }) })
    expect(r.status, r.text).toBe(403)
    expect(r.body.error.details?.denials?.[0]).toMatchObject({
      peerId: C().peerId,
      code: 'RECOVERY_NODE_ROUTINE_REFUSED',
    })
  })

  it('6. audit verify passes on an intact export and names the record after an edit, a removal, a swap', async () => {
    await B().stop()
    const home = homes[1]!.home
    const exported = await cli(['audit', 'export', '--home', home])
    expect(exported.code, exported.err).toBe(0)
    const lines = exported.out.trim().split('\n')
    const records = lines.map(
      (l) => JSON.parse(l) as { seq: number; kind: string; data: Record<string, unknown> },
    )
    // B judged and recorded: the allowed signatures, its own refusals, and item 4's.
    expect(records.filter((r) => r.kind === 'signature').length).toBeGreaterThanOrEqual(4)
    const codes = records.flatMap((r) =>
      r.kind === 'decision' ? (r.data.reasons as { code: string }[]).map((x) => x.code) : [],
    )
    for (const c of [
      'REQUEST_BAD_SIGNATURE',
      'REQUESTER_BLOCKED',
      'RECIPIENT_SANCTIONED',
      'REQUEST_UNSIGNED',
    ])
      expect(codes).toContain(c)
    // DIDs, ids, codes and hashes only: no request token or credential in clear.
    expect(exported.out).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/)

    const file = join(home, 'export.jsonl')
    const verify = async (text: string) => {
      await writeFile(file, `${text}\n`)
      return cli(['audit', 'verify', '--file', file])
    }
    const home_ = await cli(['audit', 'verify', '--home', home])
    expect(home_.code, home_.err).toBe(0)
    const intact = await verify(lines.join('\n'))
    expect(intact.code, intact.err).toBe(0)
    expect(intact.out).toContain(`${lines.length} records`)

    const i = records.findIndex((r) => r.kind === 'decision' && r.data.decision === 'deny')
    const edited = [...lines]
    edited[i] = edited[i]!.replace('"decision":"deny"', '"decision":"allow"')
    const e = await verify(edited.join('\n'))
    expect(e.code).toBe(1)
    expect(e.err).toContain(`record seq ${records[i]!.seq}`)
    expect(e.err).toContain('was changed')

    const removed = lines.filter((_, j) => j !== 5)
    const rm = await verify(removed.join('\n'))
    expect(rm.code).toBe(1)
    expect(rm.err).toContain(`record seq ${records[5]!.seq} (position 5) was removed`)

    const swapped = [...lines]
    ;[swapped[7], swapped[8]] = [swapped[8]!, swapped[7]!]
    const sw = await verify(swapped.join('\n'))
    expect(sw.code).toBe(1)
    expect(sw.err).toContain(`record seq ${records[8]!.seq} (position 7) is out of order`)
  })
})
