// Who takes part in a ceremony, under which protocol party id, as every node derives it from the
// proposal alone. Key generation and signing use committee slots; resharing numbers the new
// committee 1..n′ and the dealers that leave after it (dkls23.md §8.4).

import type { Proposal } from '../../proto/types.ts'
import type { ReshareMember } from '../../protocol/reshare/party.ts'

export type Roster = {
  /** Protocol party ids of the participants, ascending. */
  ids: number[]
  peerOf: Map<number, string>
  idOf: Map<string, number>
  /** Resharing only. */
  members?: ReshareMember[]
  newN?: number
  newT?: number
}

export function rosterOf(p: Proposal): Roster {
  if (p.kind === 'dkg' || p.kind === 'sign') {
    const ids = p.kind === 'sign' ? [...p.signers] : p.committee.map((_, k) => k + 1)
    // Every committee member keeps its slot (a coordinator need not sign).
    const peerOf = new Map(p.committee.map((peer, k) => [k + 1, peer]))
    return { ids, peerOf, idOf: new Map([...peerOf].map(([id, peer]) => [peer, id])) }
  }
  const newCommittee = p.kind === 'refresh' ? p.committee : p.newCommittee
  const newT = p.kind === 'refresh' ? p.threshold : p.newThreshold
  const dealers =
    p.kind === 'refresh' || p.signers.length === 0 ? p.committee.map((_, k) => k + 1) : [...p.signers]
  const members: ReshareMember[] = []
  const peerOf = new Map<number, string>()
  newCommittee.forEach((peer, k) => {
    const oldSlot = p.committee.indexOf(peer) + 1
    const member: ReshareMember = { id: k + 1, newIndex: k + 1 }
    if (oldSlot > 0 && dealers.includes(oldSlot)) member.oldIndex = oldSlot
    members.push(member)
    peerOf.set(k + 1, peer)
  })
  let next = newCommittee.length + 1
  for (const slot of dealers) {
    const peer = p.committee[slot - 1]!
    if (newCommittee.includes(peer)) continue
    members.push({ id: next, oldIndex: slot })
    peerOf.set(next++, peer)
  }
  const ids = members.map((m) => m.id).sort((a, b) => a - b)
  return {
    ids,
    peerOf,
    idOf: new Map([...peerOf].map(([id, peer]) => [peer, id])),
    members,
    newN: newCommittee.length,
    newT,
  }
}
