// Fixtures shared by the policy tests, the benchmark and the demo: deterministic DIDs, a sample
// policy for an investor wallet and an issuer key, request builders and an in-memory chain view.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { encodeFunctionData } from 'viem'
import type { JsonObject } from '../identity/canonical.ts'
import { issueCredentialJwt } from '../identity/credential.ts'
import { type DidSigner, ed25519DidSigner, secp256k1DidSigner, signJwt } from '../identity/signer.ts'
import type { ChainView, DidStatus, KeyMetadata } from './context.ts'
import { compilePolicy } from './load.ts'
import type { Address } from './request.ts'
import { STV3_ABI } from './stv3-calls.ts'
import type { Policy, PolicyDocument } from './types.ts'

/** Deterministic signer from a label (tests only: the secret is public). */
export function labelSigner(label: string, keyType: 'secp256k1' | 'ed25519' = 'secp256k1'): DidSigner {
  const seed = sha256(utf8ToBytes(`stv3-mpc-node/testkit/${label}`))
  return keyType === 'secp256k1'
    ? secp256k1DidSigner(secp256k1.utils.randomSecretKey(new Uint8Array([...seed, ...seed.subarray(0, 16)])))
    : ed25519DidSigner(seed)
}

export const investor = labelSigner('investor')
export const issuerOperator = labelSigner('issuer-operator', 'ed25519')
export const kycIssuer = labelSigner('kyc-issuer', 'ed25519')
export const rogueIssuer = labelSigner('rogue-issuer')
export const officers = [
  labelSigner('officer-1'),
  labelSigner('officer-2', 'ed25519'),
  labelSigner('officer-3'),
]
export const stranger = labelSigner('stranger')

const addr = (n: number): Address => `0x${n.toString(16).padStart(40, '0')}`
export const TOKEN = addr(0x70c3)
export const OTHER_CONTRACT = addr(0xbad)
export const RECIPIENT = addr(0xa11ce)
export const RECIPIENT_NO_DID = addr(0xb0b)
export const RECIPIENT_EXPIRED_DID = addr(0xe4b)
export const RECIPIENT_SANCTIONED = addr(0x5a9c)
export const RECIPIENT_CLOSED = addr(0xc105ed)
export const CHAIN_ID = 31337

export const NOW_MS = Date.UTC(2026, 11, 2, 12, 0, 0) // a Wednesday, noon UTC
export const NOW_S = NOW_MS / 1000

export const investorKey: KeyMetadata = {
  keyId: 'investor-key-1',
  role: 'investor-wallet',
  committee: ['node-a', 'node-b', 'node-c'],
  ownerDid: investor.did,
}
export const issuerKey: KeyMetadata = {
  keyId: 'issuer-key-1',
  role: 'issuer-operator',
  committee: ['node-a', 'node-b'],
}

export function samplePolicyDocument(): PolicyDocument {
  return {
    version: 1,
    node: { role: 'provider' },
    trustedIssuers: [{ did: kycIssuer.did, types: ['KycCredential'] }],
    revokedCredentials: ['urn:kyc:revoked'],
    sanctions: { addresses: [RECIPIENT_SANCTIONED] },
    operators: officers.map((o) => ({ did: o.did, roles: ['compliance-officer'] })),
    rules: [
      {
        id: 'investor-transfers',
        keyRoles: ['investor-wallet'],
        operations: ['transfer'],
        requesters: ['key-owner'],
        requesterCredentials: ['KycCredential'],
        chainIds: [CHAIN_ID],
        calls: [{ contract: TOKEN, functions: ['transfer'] }],
        limits: [
          { token: TOKEN, perTx: '1000', per24h: '2500' },
          { token: 'native', perTx: '1000000000000000000' },
        ],
        recipient: { canReceive: true, validDid: true },
      },
      {
        id: 'issuer-operations',
        keyRoles: ['issuer-operator'],
        operations: ['issue', 'forced-transfer'],
        requesters: [issuerOperator.did],
        calls: [{ contract: TOKEN, functions: ['issue', 'forcedTransfer'] }],
        recipient: { canReceive: true, validDid: true },
        approvals: { quorum: 2, role: 'compliance-officer', maxAgeSeconds: 3600 },
      },
    ],
    ceremonies: { dkg: { allow: true }, sign: { allow: true }, refresh: { allow: true } },
  }
}

export function samplePolicy(patch: (d: PolicyDocument) => void = () => {}): Policy {
  const d = samplePolicyDocument()
  patch(d)
  return compilePolicy(d)
}

let counter = 0
export type RequestSpec = {
  signer?: DidSigner
  aud?: string
  op?: string
  iat?: number
  exp?: number
  jti?: string
  to?: Address
  value?: string
  data?: `0x${string}`
  extra?: JsonObject
}

/** A transaction request signed by `spec.signer` (default: the investor). */
export function txRequest(spec: RequestSpec = {}): string {
  const iat = spec.iat ?? NOW_S
  return signJwt(
    {
      aud: spec.aud ?? investorKey.keyId,
      iat,
      exp: spec.exp ?? iat + 60,
      jti: spec.jti ?? `req-${process.pid}-${++counter}`,
      op: spec.op ?? 'transfer',
      transaction: {
        chainId: CHAIN_ID,
        nonce: counter,
        to: spec.to ?? TOKEN,
        value: spec.value ?? '0',
        data: spec.data ?? '0x',
        gas: '90000',
        maxFeePerGas: '2000000000',
        maxPriorityFeePerGas: '1000000000',
      },
      ...(spec.extra ?? {}),
    },
    spec.signer ?? investor,
  )
}

export function callData(functionName: string, args: readonly unknown[]): `0x${string}` {
  return encodeFunctionData({ abi: STV3_ABI, functionName, args } as Parameters<typeof encodeFunctionData>[0])
}

/** A token transfer request from the investor to `to`. */
export function transferRequest(to: Address, amount: bigint, spec: RequestSpec = {}): string {
  return txRequest({ ...spec, to: TOKEN, data: callData('transfer', [to, amount]) })
}

export function kycCredential(
  subject = investor.did,
  opts: { issuer?: DidSigner; id?: string; exp?: number } = {},
): string {
  return issueCredentialJwt(opts.issuer ?? kycIssuer, {
    id: opts.id ?? `urn:kyc:${subject.slice(-8)}`,
    subject,
    types: ['KycCredential'],
    nbf: NOW_S - 86_400,
    exp: opts.exp ?? NOW_S + 86_400 * 365,
  })
}

/** An in-memory STV3 chain view. */
export class FakeChain implements ChainView {
  calls = 0
  readonly dids = new Map<string, DidStatus>([
    [RECIPIENT, { exists: true, expired: false, blocked: false, did: 'INV-0001' }],
    [RECIPIENT_SANCTIONED, { exists: true, expired: false, blocked: false, did: 'INV-0666' }],
    [RECIPIENT_CLOSED, { exists: true, expired: false, blocked: false, did: 'INV-0002' }],
    [RECIPIENT_EXPIRED_DID, { exists: true, expired: true, blocked: false, did: 'INV-0003' }],
  ])
  readonly closed = new Set<string>([RECIPIENT_CLOSED])

  async canReceive(_token: string, address: string): Promise<boolean> {
    this.calls++
    return !this.closed.has(address.toLowerCase())
  }

  async didOf(address: string): Promise<DidStatus> {
    this.calls++
    return this.dids.get(address.toLowerCase()) ?? { exists: false, expired: false, blocked: false }
  }
}
