// Each node's policy (node/policy/types.ts), written so that the story is real:
//
//  - issuer node and provider: the issuer key co-signs `issue` / `distribute` only when the
//    issuer's operator asks and two of the three compliance officers approve;
//  - provider and device: the investor wallet transfers only what its investor asks, with a KYC
//    credential from the trusted KYC provider, on this chain, `transfer` on the STV3 token only,
//    within limits, to a recipient the token accepts and whose DID is valid on the registry;
//  - device: co-signs only requests signed by its investor's DID (`node.investorDid`);
//  - recovery: joins key generation and resharing; never routine signing (its node role refuses it);
//  - every node: the same sanctions list, which names the sanctioned counterparty.
//
// Rules name their key by id, so a policy only covers the keys that exist when it is written:
// the demo rewrites a policy after each DKG (the node hot-reloads it).
import type { Role } from '../../node/config/index.ts'
import type { PolicyDocument, PolicyRule } from '../../node/policy/types.ts'
import type { Actors } from './actors.ts'

export type PolicyFacts = {
  actors: Actors
  token: string
  chainId: number
  issuerKeyId?: string
  walletKeyId?: string
}

/** Investor limits, in token units (the demo token has 0 decimals). */
export const LIMITS = { perTx: '500', per24h: '1000' } as const

export type NodeKind = 'issuer' | Role

function investorRule(f: PolicyFacts, keyId: string): PolicyRule {
  const token = f.token.toLowerCase()
  return {
    id: 'investor-transfers',
    description: 'the investor moves its tokens to verified holders, within limits',
    keyIds: [keyId],
    operations: ['transfer'],
    requesters: [f.actors.investor.did],
    requesterCredentials: ['KycCredential'],
    chainIds: [f.chainId],
    calls: [{ contract: token, functions: ['transfer'] }],
    limits: [{ token, ...LIMITS }],
    recipient: { canReceive: true, validDid: true },
  }
}

function issuerRule(f: PolicyFacts, keyId: string): PolicyRule {
  const token = f.token.toLowerCase()
  return {
    id: 'issuer-operations',
    description: 'the issuer issues and distributes with two compliance approvals',
    keyIds: [keyId],
    operations: ['issue', 'distribute'],
    requesters: [f.actors.issuerOperator.did],
    chainIds: [f.chainId],
    calls: [{ contract: token, functions: ['issue', 'transferFromTreasury'] }],
    recipient: { canReceive: true, validDid: true },
    approvals: { quorum: 2, role: 'compliance-officer', maxAgeSeconds: 600 },
  }
}

export function policyFor(kind: NodeKind, f: PolicyFacts): PolicyDocument {
  const rules: PolicyRule[] = []
  const wantsIssuer = kind === 'issuer' || kind === 'provider'
  const wantsInvestor = kind === 'provider' || kind === 'device'
  if (wantsIssuer && f.issuerKeyId !== undefined) rules.push(issuerRule(f, f.issuerKeyId))
  if (wantsInvestor && f.walletKeyId !== undefined) rules.push(investorRule(f, f.walletKeyId))
  const role: Role = kind === 'issuer' ? 'provider' : kind
  return {
    version: 1,
    node: kind === 'device' ? { role, investorDid: f.actors.investor.did } : { role },
    trustedIssuers: [{ did: f.actors.kycProvider.did, types: ['KycCredential'] }],
    sanctions: {
      addresses: [f.actors.sanctioned.address.toLowerCase()],
      dids: [f.actors.sanctioned.signer.did],
    },
    operators: f.actors.officers.map((o) => ({ did: o.did, roles: ['compliance-officer'] })),
    rules,
    ceremonies:
      kind === 'recovery'
        ? { dkg: { allow: true }, reshare: { allow: true }, recovery: { allow: true } }
        : kind === 'issuer'
          ? { dkg: { allow: true } }
          : { dkg: { allow: true }, reshare: { allow: true } },
  }
}
