// In-process resharing: dealers (a subset of the old committee) move a key to a new committee.

import { toHex } from '../../protocol/bytes.ts'
import type { KeyShare } from '../../protocol/keyshare.ts'
import { type ReshareMember, type ReshareOutput, ReshareParty } from '../../protocol/reshare/party.ts'
import type { Rng } from '../../protocol/rng.ts'
import type { SeededRng } from '../seeded-rng.ts'
import { type RunOptions, type RunStats, runParties } from './driver.ts'

export type ReshareRun = { shares: Map<number, KeyShare>; retired: number[]; stats: RunStats }

/**
 * `dealers`: old indices that deal. `stay`: map old index → new index for dealers that stay.
 * New members without an old share get the remaining new indices.
 */
export function runReshare(
  rng: SeededRng,
  old: ReadonlyMap<number, KeyShare>,
  dealers: readonly number[],
  newN: number,
  newT: number,
  stay: ReadonlyMap<number, number>,
  opts: RunOptions = {},
): ReshareRun {
  const context = rng.fill(new Uint8Array(32))
  const run = toHex(context)
  const roster: ReshareMember[] = []
  const stayingNew = new Set(stay.values())
  for (let j = 1; j <= newN; j++) {
    const oldIndex = [...stay].find(([, nj]) => nj === j)?.[0]
    roster.push(
      oldIndex !== undefined && dealers.includes(oldIndex)
        ? { id: j, oldIndex, newIndex: j }
        : { id: j, newIndex: j },
    )
  }
  let nextId = newN + 1
  const leavingIds = new Map<number, number>()
  for (const d of dealers) {
    if (stay.has(d) && stayingNew.has(stay.get(d)!)) continue
    leavingIds.set(d, nextId)
    roster.push({ id: nextId++, oldIndex: d })
  }
  const { shares, stats } = runResharing(
    old,
    roster,
    newN,
    newT,
    context,
    (id) => rng.fork(`reshare/${run}/${id}`),
    opts,
  )
  return { shares, retired: [...leavingIds.keys()], stats }
}

/** Run one resharing over an explicit roster; every party draws from `rngFor(id)`. */
export function runResharing(
  old: ReadonlyMap<number, KeyShare>,
  roster: ReshareMember[],
  newN: number,
  newT: number,
  context: Uint8Array,
  rngFor: (id: number) => Rng,
  opts: RunOptions = {},
): { shares: Map<number, KeyShare>; stats: RunStats } {
  const any = old.values().next().value!
  const parties = roster.map(
    (r) =>
      new ReshareParty({
        id: r.id,
        roster,
        newN,
        newT,
        oldShare: r.oldIndex !== undefined ? old.get(r.oldIndex) : undefined,
        publicKey: any.publicKey,
        keyId: any.keyId,
        epoch: any.epoch + 1,
        context,
        rng: rngFor(r.id),
      }),
  )
  const { outputs, stats } = runParties<ReshareOutput>(parties, opts)
  const shares = new Map<number, KeyShare>()
  for (const [id, o] of outputs) if (o.share) shares.set(id, o.share)
  return { shares, stats }
}
