import { describe, expect, it } from 'vitest'
import { canonicalHash } from '../identity/canonical.ts'
import type { VerifiedApproval } from './approval.ts'
import { evaluateCeremony } from './ceremony.ts'
import { devPolicy, starterPolicy } from './presets.ts'
import { NOW_MS, NOW_S, officers, samplePolicy } from './testkit.ts'
import type { CeremonyKind, NodeRole } from './types.ts'

const subjectHash = canonicalHash({ kind: 'reshare', keyId: 'issuer-key-1', newCommittee: ['a', 'b', 'c'] })
const approval = (i: number, approves = subjectHash): VerifiedApproval => ({
  approver: officers[i].did,
  approves,
  iat: NOW_S - 5,
  exp: NOW_S + 600,
})

const recoveryPolicy = samplePolicy((d) => {
  d.node = { role: 'recovery' }
  d.ceremonies = {
    reshare: { allow: true, approvals: { quorum: 2, role: 'compliance-officer' } },
    recovery: { allow: true },
    dkg: { allow: true },
  }
})

type Row = [
  string,
  ReturnType<typeof samplePolicy> | undefined,
  CeremonyKind,
  NodeRole,
  VerifiedApproval[],
  string | 'allow',
]

const rows: Row[] = [
  ['no policy', undefined, 'dkg', 'provider', [], 'NO_POLICY'],
  ['starter policy refuses a DKG', starterPolicy(), 'dkg', 'provider', [], 'CEREMONY_NOT_ALLOWED'],
  ['sample policy allows a DKG', samplePolicy(), 'dkg', 'provider', [], 'allow'],
  [
    'sample policy refuses resharing (not listed)',
    samplePolicy(),
    'reshare',
    'provider',
    [],
    'CEREMONY_NOT_ALLOWED',
  ],
  ['recovery node refuses signing', recoveryPolicy, 'sign', 'recovery', [], 'RECOVERY_NODE_ROUTINE_REFUSED'],
  // A recovery service holds a backup share from the start: it joins key generation and refresh.
  ['recovery node joins a DKG its policy lists', recoveryPolicy, 'dkg', 'recovery', [], 'allow'],
  ['recovery node joins refresh under a dev policy', devPolicy(), 'refresh', 'recovery', [], 'allow'],
  [
    'recovery node refuses signing under a dev policy',
    devPolicy(),
    'sign',
    'recovery',
    [],
    'RECOVERY_NODE_ROUTINE_REFUSED',
  ],
  ['recovery node joins recovery', recoveryPolicy, 'recovery', 'recovery', [], 'allow'],
  [
    'reshare with one approval',
    recoveryPolicy,
    'reshare',
    'recovery',
    [approval(0)],
    'INSUFFICIENT_APPROVALS',
  ],
  [
    'reshare with a repeated approver',
    recoveryPolicy,
    'reshare',
    'recovery',
    [approval(0), approval(0)],
    'INSUFFICIENT_APPROVALS',
  ],
  [
    'reshare with an approval of something else',
    recoveryPolicy,
    'reshare',
    'recovery',
    [approval(0), approval(1, '0'.repeat(64))],
    'INSUFFICIENT_APPROVALS',
  ],
  [
    'reshare with two distinct approvals',
    recoveryPolicy,
    'reshare',
    'recovery',
    [approval(0), approval(1)],
    'allow',
  ],
  ['policy for another role', recoveryPolicy, 'recovery', 'provider', [], 'NODE_ROLE_MISMATCH'],
]

describe('ceremony admission', () => {
  it.each(rows)('%s', (_name, policy, kind, nodeRole, approvals, expected) => {
    const d = evaluateCeremony(policy, { kind, nodeRole, nowMs: NOW_MS, subjectHash, approvals })
    if (expected === 'allow') expect(d).toMatchObject({ decision: 'allow', reasons: [] })
    else expect(d.reasons.map((r) => r.code)).toEqual([expected])
    expect(d.policyHash).toBe(policy?.hash ?? '')
  })
})
