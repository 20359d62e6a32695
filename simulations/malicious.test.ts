// One scenario per malicious class: node 2 rewrites its signing messages in every session it joins
// (seed "sim-test": it is in the first two signer sets). The honest parties that consume a rewritten
// message must refuse it with the class's code, name node 2 (nobody for w, which the protocol cannot
// attribute), ban it for ban-class checks and persist the ban; nobody honest is ever banned; the
// cluster still completes every signature without node 2.

import { describe, expect, it } from 'vitest'
import { EXPECTED, MALICIOUS_CLASSES } from './faults/malicious.ts'
import { expectInvariantsHold, fault, honestDetections, scenario } from './testkit.ts'

const base = ['--nodes', '3', '--signatures', '4', '--seed', 'sim-test']

describe('malicious nodes are caught, named and banned as dkls23.md §7.5 demands', () => {
  it.each(MALICIOUS_CLASSES)('%s', async (cls) => {
    const r = await scenario([...base, '--faults', `malicious:2=${cls}`])
    expectInvariantsHold(r)
    const x = EXPECTED[cls]
    expect(fault(r, 'malicious').injected).toBeGreaterThan(0)
    expect(r.attribution.detected).toBeGreaterThan(0)
    const seen = honestDetections(r, [2])
    expect(seen.length).toBeGreaterThan(0)
    for (const d of seen)
      expect(d).toMatchObject({
        code: x.code,
        kind: x.kind,
        culprits: x.attributable ? [2] : [],
        ban: x.kind === 'ban',
      })
    const bannedBy = r.bans.filter((b) => b.banned.length > 0)
    if (x.kind === 'ban') {
      expect(bannedBy.length).toBeGreaterThan(0)
      for (const b of bannedBy) expect(b.banned).toEqual([2])
      expect(new Set(bannedBy.map((b) => b.node))).toEqual(new Set(seen.map((d) => d.node)))
    } else expect(bannedBy).toEqual([])
    expect(r.totals.signaturesCompleted).toBe(4)
  })

  it('two malicious nodes of different classes in a 4-node cluster', async () => {
    const r = await scenario([
      '--nodes',
      '4',
      '--threshold',
      '2',
      '--signatures',
      '5',
      '--seed',
      'sim-test-4',
      '--concurrency',
      '2',
      '--faults',
      'malicious:1=gamma-v,malicious:3=nonce-salt,drop:0.02',
    ])
    expectInvariantsHold(r)
    expect(r.totals.signaturesCompleted).toBe(5)
    for (const f of r.faults.filter((x) => x.kind === 'malicious'))
      expect(f.injected, f.spec).toBeGreaterThan(0)
    const named = new Set(honestDetections(r, [1, 3]).flatMap((d) => d.culprits))
    expect(named).toEqual(new Set([1, 3]))
    for (const b of r.bans) expect(b.banned.every((x) => x === 1)).toBe(true)
  })

  it('an unattributable cheater and a replayer, with concurrent signatures on the same key', async () => {
    // A replayed payload is honest in the session it was first sent in, which may still be running.
    const r = await scenario([
      '--nodes',
      '4',
      '--threshold',
      '2',
      '--signatures',
      '8',
      '--seed',
      'sim-test-4',
      '--concurrency',
      '3',
      '--faults',
      'malicious:2=w,malicious:4=replay',
    ])
    expectInvariantsHold(r)
    expect(r.totals.signaturesCompleted).toBe(8)
    for (const f of r.faults) expect(f.injected, f.spec).toBeGreaterThan(0)
    expect(r.bans.every((b) => b.banned.length === 0)).toBe(true)
  })
})
