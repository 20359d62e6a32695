// One scenario per non-malicious fault kind, 3 nodes, threshold 2, a few signatures, all on one key
// (seed "sim-test": signatures 1 and 2 get signer set {2,3} when nothing fails). Every scenario must
// keep every invariant: valid signatures only, no blame, no ban, all signatures completed.

import { describe, expect, it } from 'vitest'
import type { Report } from './report/build.ts'
import { expectInvariantsHold, fault, scenario } from './testkit.ts'

const base = ['--nodes', '3', '--signatures', '4', '--seed', 'sim-test']
const run = (faults: string, ...extra: string[]) => scenario([...base, '--faults', faults, ...extra])
const retried = (r: Report) => r.signatures.filter((s) => s.attempts.length > 1).length

describe('simulated faults: the cluster recovers and every invariant holds', () => {
  let clean: Report
  it('runs a clean cluster (the baseline)', async () => {
    clean = await scenario(base)
    expectInvariantsHold(clean)
    expect(clean.totals.signaturesCompleted).toBe(4)
    expect(clean.totals.retries).toBe(0)
    expect(clean.signatures[1]!.attempts[0]!.signers).toEqual([2, 3])
  })

  it('drop: a lost message stalls its session until the timeout; the signature is retried', async () => {
    const r = await run('drop:0.08')
    expectInvariantsHold(r)
    expect(fault(r, 'drop').injected).toBeGreaterThan(0)
    expect(fault(r, 'drop').attemptsFailed).toBeGreaterThan(0)
    const timeouts = r.signatures.flatMap((s) => s.attempts).filter((a) => a.cause === 'timeout')
    expect(timeouts.length).toBeGreaterThan(0)
    // the stalled peers are suspected and the retry prefers others
    expect(timeouts.every((a) => a.suspects.length > 0)).toBe(true)
    expect(r.latency.simulated.max).toBeGreaterThanOrEqual(2000)
  })

  it('delay: held-back messages only slow signatures down', async () => {
    const r = await run('delay:80ms')
    expectInvariantsHold(r)
    expect(fault(r, 'delay').injected).toBeGreaterThan(0)
    expect(r.totals.retries).toBe(0)
    expect(r.latency.simulated.p50).toBeGreaterThan(clean.latency.simulated.p50)
  })

  it('reorder: messages that overtake their round are buffered by the session layer', async () => {
    const r = await run('reorder:0.5', '--concurrency', '2')
    expectInvariantsHold(r)
    expect(fault(r, 'reorder').injected).toBeGreaterThan(0)
    expect(r.sessionLayer.earlyBuffered).toBeGreaterThan(0)
    expect(r.totals.retries).toBe(0)
  })

  it('duplicate: second copies are ignored, never handed to a round twice', async () => {
    const r = await run('duplicate:0.5')
    expectInvariantsHold(r)
    expect(fault(r, 'duplicate').injected).toBeGreaterThan(0)
    expect(r.sessionLayer.duplicatesIgnored + r.sessionLayer.stale).toBeGreaterThan(0)
    expect(r.totals.retries).toBe(0)
  })

  it('partition: a cut-off signer stalls its attempt; the retry signs without it', async () => {
    const r = await run('partition:2@sign2-3')
    expectInvariantsHold(r)
    const p = fault(r, 'partition')
    expect(p.injected).toBeGreaterThan(0)
    expect(p.attemptsFailed).toBeGreaterThan(0)
    const s2 = r.signatures[1]!
    expect(s2.attempts[0]).toMatchObject({ signers: [2, 3], cause: 'timeout' })
    expect(s2.attempts.at(-1)!.signers).not.toContain(2)
  })

  it('crash: a node dies in round 2, restarts from its stored share, and signs again later', async () => {
    const r = await run('crash:3@round2~500ms', '--signatures', '6')
    expectInvariantsHold(r)
    const c = fault(r, 'crash')
    expect(c.injected).toBe(1)
    expect(c.outcome).toContain('key share reloaded from storage')
    expect(c.attemptsFailed).toBe(1)
    expect(r.signatures[0]!.attempts[0]).toMatchObject({ signers: [2, 3], cause: 'timeout', suspects: [3] })
    // after its restart node 3 is picked again once suspicion has faded or others are suspected
    expect(retried(r)).toBe(1)
  })

  it('crash in a named signature and round', async () => {
    const r = await run('crash:2@round4/sign2')
    expectInvariantsHold(r)
    expect(fault(r, 'crash').outcome).toContain('in signature 2')
  })

  it('all message faults at once, with concurrent signatures', async () => {
    const r = await run(
      'drop:0.03,delay:40ms@0.3,reorder:0.2,duplicate:0.1',
      '--concurrency',
      '3',
      '--signatures',
      '6',
    )
    expectInvariantsHold(r)
    expect(r.totals.signaturesCompleted).toBe(6)
  })

  it('a cluster that cannot recover: signatures fail, recovery is not expected, the others hold', async () => {
    // threshold 3 of 3 and a node cut off for every signature: nothing can be signed
    const r = await scenario([
      '--nodes',
      '3',
      '--threshold',
      '3',
      '--signatures',
      '1',
      '--seed',
      'sim-test',
      '--max-attempts',
      '2',
      '--faults',
      'partition:1@sign1-1',
    ])
    expect(r.totals.signaturesFailed).toBe(1)
    expect(r.invariants.find((i) => i.name === 'recovery')).toMatchObject({
      status: 'skipped',
      detail: expect.stringContaining('not expected (2 honest nodes reachable during partition:1@sign1-1'),
    })
    expect(r.invariants.every((i) => i.status !== 'fail')).toBe(true)
  })

  it('signatures that fail although enough honest nodes were reachable fail the recovery invariant', async () => {
    const r = await run('drop:0.3', '--max-attempts', '1')
    expect(r.totals.signaturesFailed).toBeGreaterThan(0)
    expect(r.invariants.find((i) => i.name === 'recovery')!.status).toBe('fail')
  })
})
