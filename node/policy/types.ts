// The policy file (`PolicyDocument`, JSON or YAML) and its compiled, hashed form (`Policy`).
//
// version: 1
// dev: false                                  # true: allow any well-formed request (loud warning)
// node: { role: provider | device | recovery, investorDid: did:key:… }   # investorDid for devices
// trustedIssuers: [{ did, types: [KycCredential, AccreditedInvestor] }]
// revokedCredentials: [urn:uuid:…]            # credential ids (jti); plus revocationFiles
// sanctions: { addresses: [0x…], dids: [did:…], addressFiles: [./sdn.txt], didFiles: [./dids.txt] }
// operators: [{ did, roles: [compliance-officer] }]     # approvers
// rules:                                      # per key id or key role; see evaluate.ts for semantics
//   - id: investor-transfers
//     keyRoles: [investor-wallet]             # and/or keyIds: [...]
//     operations: [transfer]
//     requesters: [key-owner]                 # DIDs, "key-owner" (the key's owner DID) or "*"
//     requesterCredentials: [KycCredential]
//     chainIds: [42161]
//     calls: [{ contract: 0x…, functions: [transfer] }]      # contract "*" = any contract
//     limits: [{ token: 0x… | native, perTx: "1000", per24h: "5000" }]
//     recipient: { canReceive: true, validDid: true, credentials: [KycCredential] }
//     timeWindow: { days: [mon, tue, wed, thu, fri], hoursUtc: [8, 18] }
//     approvals: { quorum: 2, role: compliance-officer, maxAgeSeconds: 3600 }
// ceremonies: { dkg: { allow: true }, reshare: { allow: true, approvals: { quorum: 2, role: … } } }
import type { TrustedIssuer } from '../identity/credential.ts'

export type NodeRole = 'provider' | 'device' | 'recovery'
export type CeremonyKind = 'dkg' | 'sign' | 'refresh' | 'reshare' | 'recovery'
export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat'

export const NODE_ROLES: readonly NodeRole[] = ['provider', 'device', 'recovery']
export const CEREMONY_KINDS: readonly CeremonyKind[] = ['dkg', 'sign', 'refresh', 'reshare', 'recovery']
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
/** Request operations a recovery node may co-sign. */
export const RECOVERY_OPERATIONS: readonly string[] = ['recovery', 'reshare']

export type ApprovalRule = { quorum: number; role: string; maxAgeSeconds?: number }

export type PolicyRule = {
  id: string
  description?: string
  keyIds?: string[]
  keyRoles?: string[]
  operations: string[]
  requesters: string[]
  requesterCredentials?: string[]
  chainIds?: number[]
  calls?: { contract: string; functions: string[] }[]
  limits?: { token: string; perTx?: string; per24h?: string }[]
  recipient?: { canReceive?: boolean; validDid?: boolean; credentials?: string[] }
  timeWindow?: { days?: Weekday[]; hoursUtc?: [number, number] }
  approvals?: ApprovalRule
}

export type CeremonyRule = { allow: boolean; approvals?: ApprovalRule }

export type PolicyDocument = {
  version: 1
  dev?: boolean
  node?: { role?: NodeRole; investorDid?: string }
  trustedIssuers?: TrustedIssuer[]
  revokedCredentials?: string[]
  revocationFiles?: string[]
  sanctions?: { addresses?: string[]; dids?: string[]; addressFiles?: string[]; didFiles?: string[] }
  operators?: { did: string; roles: string[] }[]
  rules?: PolicyRule[]
  ceremonies?: Partial<Record<CeremonyKind, CeremonyRule>>
}

/** A validated document plus the lists loaded from the files it names, hashed as one. */
export type Policy = {
  document: PolicyDocument
  /** Hex SHA-256 of the canonical JSON of { document, sanctions, revoked }. */
  hash: string
  dev: boolean
  sanctionedAddresses: ReadonlySet<string>
  sanctionedDids: ReadonlySet<string>
  revoked: ReadonlySet<string>
  /** Operator DID -> roles. */
  operators: ReadonlyMap<string, ReadonlySet<string>>
  /** Where it was loaded from, if a file. */
  source?: string
}

export type DenyCode =
  | 'NO_POLICY'
  | 'NODE_ROLE_MISMATCH'
  | 'RECOVERY_NODE_ROUTINE_REFUSED'
  | 'DEVICE_REQUESTER_NOT_INVESTOR'
  | 'WRONG_AUDIENCE'
  | 'REQUESTER_BLOCKED'
  | 'REQUESTER_UNKNOWN'
  | 'ADDRESS_SANCTIONED'
  | 'RECIPIENT_SANCTIONED'
  | 'NO_MATCHING_RULE'
  | 'OPERATION_NOT_ALLOWED'
  | 'CHAIN_NOT_ALLOWED'
  | 'CALL_UNDECODED'
  | 'CONTRACT_NOT_ALLOWED'
  | 'FUNCTION_NOT_ALLOWED'
  | 'TOKEN_NOT_ALLOWED'
  | 'OVER_PER_TX_LIMIT'
  | 'OVER_24H_LIMIT'
  | 'RECIPIENT_CANNOT_RECEIVE'
  | 'RECIPIENT_NO_VALID_DID'
  | 'RECIPIENT_DID_BLOCKED'
  | 'CHAIN_VIEW_UNAVAILABLE'
  | 'HISTORY_UNAVAILABLE'
  | 'CREDENTIAL_MISSING'
  | 'CREDENTIAL_INVALID'
  | 'CREDENTIAL_UNTRUSTED_ISSUER'
  | 'CREDENTIAL_EXPIRED'
  | 'CREDENTIAL_NOT_YET_VALID'
  | 'CREDENTIAL_REVOKED'
  | 'OUTSIDE_TIME_WINDOW'
  | 'INSUFFICIENT_APPROVALS'
  | 'CEREMONY_NOT_ALLOWED'

export type Reason = { ruleId: string; code: DenyCode; message: string }

export type Decision = {
  decision: 'allow' | 'deny'
  reasons: Reason[]
  /** Rules and checks that decided: for an allow the checks passed and the rule applied. */
  firedRules: string[]
  /** Hash of the policy that judged ('' when there was none). */
  policyHash: string
}
