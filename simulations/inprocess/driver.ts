// In-process driver: runs every party of a ceremony in one process, delivering each message as
// bytes (a broadcast is delivered to every other party separately, so a tamper hook can give
// different recipients different bytes). Used by tests, the benchmark and the in-process simulator.

import { BROADCAST, type InMessage, type OutMessage } from '../../protocol/codec.ts'
import type { Party } from '../../protocol/party.ts'

export type Delivery = { from: number; to: number; round: number; payload: Uint8Array }

/** Return new bytes to replace a message, null to drop it, undefined to deliver it unchanged. */
export type Tamper = (d: Delivery) => Uint8Array | null | undefined

export type RunStats = {
  messages: number
  bytesSent: number
  bytesByParty: Map<number, number>
  rounds: number
}

export type RunOptions = { tamper?: Tamper; onRound?: (round: number) => void }

/** Thrown when one or more parties fail in a round; `failures` maps each failing party to its error. */
export class CeremonyFailure extends Error {
  override name = 'CeremonyFailure'
  constructor(
    readonly round: number,
    readonly failures: Map<number, unknown>,
  ) {
    const [first] = failures
    super(
      `round ${round}: party ${first?.[0]} failed: ${first?.[1] instanceof Error ? first[1].message : String(first?.[1])}`,
    )
  }
}

/** Expand a party's outgoing messages into per-recipient deliveries. */
export function deliveries(out: readonly OutMessage[], everyone: readonly number[]): Delivery[] {
  const res: Delivery[] = []
  for (const m of out) {
    if (m.to === BROADCAST) {
      for (const to of everyone)
        if (to !== m.from) res.push({ from: m.from, to, round: m.round, payload: m.payload })
    } else res.push({ from: m.from, to: m.to, round: m.round, payload: m.payload })
  }
  return res
}

/**
 * Run parties to completion. Bytes are counted once per message as produced ("sent"; a broadcast
 * counts once), the convention of the yardstick benchmark.
 */
export function runParties<T>(
  parties: readonly Party<T>[],
  opts: RunOptions = {},
): { outputs: Map<number, T>; stats: RunStats } {
  const everyone = parties.map((p) => p.index)
  const byIndex = new Map(parties.map((p) => [p.index, p]))
  const stats: RunStats = { messages: 0, bytesSent: 0, bytesByParty: new Map(), rounds: 0 }
  const count = (out: readonly OutMessage[]) => {
    for (const m of out) {
      stats.messages++
      stats.bytesSent += m.payload.length
      stats.bytesByParty.set(m.from, (stats.bytesByParty.get(m.from) ?? 0) + m.payload.length)
    }
  }
  let pending: OutMessage[] = []
  for (const p of parties) {
    const out = p.start()
    count(out)
    pending.push(...out)
  }
  const outputs = new Map<number, T>()
  while (outputs.size < parties.length) {
    stats.rounds++
    opts.onRound?.(stats.rounds)
    const inbox = new Map<number, InMessage[]>(everyone.map((i) => [i, []]))
    for (const d of deliveries(pending, everyone)) {
      const replaced = opts.tamper?.(d)
      if (replaced === null) continue
      inbox.get(d.to)!.push({ from: d.from, payload: replaced ?? d.payload })
    }
    pending = []
    const failures = new Map<number, unknown>()
    for (const i of everyone) {
      if (outputs.has(i)) continue
      try {
        const res = byIndex.get(i)!.next(inbox.get(i)!)
        count(res.messages)
        pending.push(...res.messages)
        if (res.output !== undefined) outputs.set(i, res.output)
      } catch (e) {
        failures.set(i, e)
      }
    }
    if (failures.size > 0) throw new CeremonyFailure(stats.rounds, failures)
  }
  return { outputs, stats }
}
