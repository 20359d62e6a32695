import type { ConnectionGater, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { NodeError } from '../errors.ts'

export type AllowedPeer = { peerId: string; addrs: string[] }

/**
 * The set of peers this node talks to (threats.md #3): the committee's pinned peer ids. Anything
 * else is refused by the connection gater before a protocol stream can exist, and inbound streams
 * re-check it in case the list changed after the connection was made.
 */
export class Allowlist {
  readonly #peers = new Map<string, AllowedPeer>()

  constructor(peers: AllowedPeer[] = []) {
    for (const p of peers) this.add(p)
  }

  add(peer: AllowedPeer): void {
    const id = canonicalPeerId(peer.peerId)
    this.#peers.set(id, { peerId: id, addrs: [...peer.addrs] })
  }

  remove(peerId: string): boolean {
    return this.#peers.delete(peerId)
  }

  has(peerId: PeerId | string): boolean {
    return this.#peers.has(typeof peerId === 'string' ? peerId : peerId.toString())
  }

  get(peerId: string): AllowedPeer | undefined {
    return this.#peers.get(peerId)
  }

  list(): AllowedPeer[] {
    return [...this.#peers.values()]
  }

  /** A libp2p connection gater that denies every peer not on the list, both directions. */
  gater(): ConnectionGater {
    const deny = (peerId: PeerId): boolean => !this.has(peerId)
    return {
      denyDialPeer: deny,
      denyInboundEncryptedConnection: deny,
      denyOutboundEncryptedConnection: deny,
      denyInboundUpgradedConnection: deny,
    }
  }
}

export function canonicalPeerId(peerId: string): string {
  try {
    return peerIdFromString(peerId).toString()
  } catch (cause) {
    throw new NodeError('PEER_ID_INVALID', 'not a libp2p peer id', {
      details: { peerId: peerId.slice(0, 80) },
      cause,
      status: 400,
    })
  }
}
