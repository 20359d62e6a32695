// What the demo's steps share: the temporary folder, the environment of the node processes, the
// actors, the chain, the homes and running nodes, and the keys made along the way.
import type { Address } from 'viem'
import type { KeyView } from '../../node/service/types.ts'
import type { Actors } from './actors.ts'
import type { DemoChain } from './chain.ts'
import type { Home } from './homes.ts'
import type { Narrator } from './narrate.ts'
import type { NodeKind } from './policies.ts'
import type { NodeProcess } from './processes.ts'

export type NodeName = 'issuer' | 'provider' | 'device' | 'recovery' | 'device-2'

export const KIND: Record<NodeName, NodeKind> = {
  issuer: 'issuer',
  provider: 'provider',
  device: 'device',
  recovery: 'recovery',
  'device-2': 'device',
}

export type Story = {
  root: string
  /** Environment of `mpc-node` commands and node processes (passphrase, test-only scrypt cost). */
  env: Record<string, string>
  actors: Actors
  chain: DemoChain
  narr: Narrator
  homes: Partial<Record<NodeName, Home>>
  nodes: Partial<Record<NodeName, NodeProcess>>
  issuerKey?: KeyView
  wallet?: KeyView
  /** The wallet's address as read from the new device after the replacement. */
  walletAfter?: string
  /** Every child process id (anvil and nodes), for the leak check. */
  pids: number[]
  /** Landed transfers and refusals, for the JSON object. */
  transfers: {
    name: string
    txHash: string
    status: string
    blockNumber: string
    from: Address
    to: Address
    amount: string
  }[]
  refusals: {
    name: string
    code: string
    denials: { peerId: string; node?: string; code: string; reasons: string[] }[]
  }[]
}

export function node(s: Story, name: NodeName): NodeProcess {
  const n = s.nodes[name]
  if (n === undefined || !n.running) throw new Error(`node ${name} is not running`)
  return n
}

export function home(s: Story, name: NodeName): Home {
  const h = s.homes[name]
  if (h === undefined) throw new Error(`no home for ${name}`)
  return h
}

/** The node name of a peer id, for readable denials. */
export function nameOf(s: Story, peerId: string): string | undefined {
  return (Object.entries(s.homes) as [NodeName, Home | undefined][]).find(
    ([, h]) => h?.peerId === peerId,
  )?.[0]
}
