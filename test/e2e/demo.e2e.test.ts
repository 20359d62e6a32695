// `mpc-node demo --json` (what `npm start` runs) as a child process: it exits 0, its JSON object
// says every step succeeded, the transfers landed, the non-compliant ones were refused by the
// nodes' policy with reasons, the wallet kept its address across the device replacement, and no
// process it started (anvil, node processes) is left running, nor its temporary folder; the same
// when it is interrupted with SIGINT in the middle of a ceremony.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { DemoReport } from '../../simulations/demo/summary.ts'

const BIN = fileURLToPath(new URL('../../node/cli/bin.mjs', import.meta.url))
const REPO = fileURLToPath(new URL('../../', import.meta.url))

type Run = { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }

/** `mpc-node demo --json`; `interrupt` may send it a signal once its stderr says so. */
function runDemo(interrupt?: (err: string) => NodeJS.Signals | undefined): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env } as Record<string, string>
    delete env.NODE_OPTIONS
    delete env.VITEST
    const child = spawn(process.execPath, [BIN, 'demo', '--json'], { cwd: REPO, env })
    let out = ''
    let err = ''
    let sent = false
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString()
      const signal = sent ? undefined : interrupt?.(err)
      if (signal !== undefined) {
        sent = true
        child.kill(signal)
      }
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve({ code, signal, out, err }))
  })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

describe('npm start (mpc-node demo --json)', () => {
  it('runs the whole story, exits 0 and leaves nothing behind', { timeout: 240_000 }, async () => {
    const { code, out, err } = await runDemo()
    const tail = `${err.split('\n').slice(-40).join('\n')}\n${out.slice(0, 2000)}`
    expect(code, tail).toBe(0)
    const report = JSON.parse(out) as DemoReport
    expect(report.ok, tail).toBe(true)
    expect(report.error).toBeUndefined()

    expect(report.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6])
    for (const s of report.steps) expect(s.ok, s.title).toBe(true)
    for (const o of report.operations) expect(o.ok, `${o.name}: ${o.error ?? ''}`).toBe(true)

    // Compliant transfers: the investor's, and the one co-signed by the new device.
    expect(report.transfers.length).toBeGreaterThanOrEqual(2)
    for (const t of report.transfers) {
      expect(t.status, t.name).toBe('success')
      expect(t.txHash).toMatch(/^0x[0-9a-f]{64}$/)
      expect(t.from.toLowerCase()).toBe(report.wallet?.address.toLowerCase())
    }
    const landed = report.operations.filter((o) => o.txHash !== undefined)
    expect(landed.length).toBeGreaterThanOrEqual(4) // issue, distribute, two transfers
    for (const o of landed) expect(o.status, o.name).toBe('success')

    // Refused by policy with the nodes' reasons.
    expect(report.refusals.length).toBeGreaterThanOrEqual(2)
    for (const r of report.refusals) {
      expect(r.code).toBe('CEREMONY_REFUSED')
      expect(r.denials.length, r.name).toBeGreaterThan(0)
      for (const d of r.denials) expect(d.reasons.length).toBeGreaterThan(0)
    }
    const codes = report.refusals.flatMap((r) =>
      r.denials.flatMap((d) => d.reasons.map((x) => x.split(':')[0])),
    )
    expect(codes).toContain('RECIPIENT_SANCTIONED')
    expect(codes).toContain('RECIPIENT_NO_VALID_DID')
    expect(codes).toContain('DEVICE_REQUESTER_NOT_INVESTOR')
    expect(codes).toContain('RECOVERY_NODE_ROUTINE_REFUSED')

    // The device replacement kept the address.
    expect(report.wallet?.address).toMatch(/^0x[0-9a-fA-F]{40}$/)
    expect(report.wallet?.addressAfterReplacement).toBe(report.wallet?.address)

    // Nothing left behind: anvil and every node process are gone, the folder removed.
    expect(report.pids.length).toBeGreaterThanOrEqual(1 + 4 + 3) // anvil, 4 nodes, 2 restarts + new device
    expect(report.pids.filter(alive)).toEqual([])
    expect(report.nodes.every((n) => !n.running)).toBe(true)
    expect(existsSync(report.tempDir)).toBe(false)
  })

  it('on Ctrl-C (SIGINT) stops anvil and every node and removes its folder', {
    timeout: 120_000,
  }, async () => {
    // Interrupted once the nodes run and the first ceremony is under way.
    const { code, err } = await runDemo((e) => (e.includes('… DKG') ? 'SIGINT' : undefined))
    expect(code, err).toBe(130)
    expect(err).toMatch(/SIGINT: stopping the nodes and the chain/)
    const pids = [...err.matchAll(/\bpid (\d+)/g)].map((m) => Number(m[1]))
    expect(pids.length).toBeGreaterThanOrEqual(5) // anvil and four nodes
    expect(pids.filter(alive)).toEqual([])
    const folder = /homes in (\S+)/.exec(err)?.[1]
    expect(folder).toBeDefined()
    expect(existsSync(folder!)).toBe(false)
  })
})
