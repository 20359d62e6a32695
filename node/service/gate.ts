// The policy gate and the audit trail of a node (issue: DID-linked policy before co-signing and a
// tamper-evident audit trail). Every participant asks `judge` before it computes anything; every
// ceremony end goes through `finished`. This module is the seam between the ceremony engine and
// node/policy + node/audit.

import type { Proposal } from '../../proto/types.ts'
import type { NodeConfig } from '../config/index.ts'
import type { Logger } from '../log/index.ts'
import type { Admission, CeremonyHooks } from '../sessions/types.ts'
import type { Store } from '../store/store.ts'
import type { DecodedRequest } from './requests.ts'

export type GateInit = { config: NodeConfig; home: string; selfPeerId: string; did: string }
export type GateComponents = { store: Store; logger: Logger }

export type Gate = {
  /** Decide on a proposal (DKG or signing). null = no objection. Fail closed: no policy → refuse. */
  judge(proposal: Proposal, fromPeer: string, decoded?: DecodedRequest): Promise<Admission | null>
  /** Turn a signed request (compact JWS) into the transaction or message it asks for. */
  contentOf(jws: string): { transaction?: unknown; message?: unknown }
  /** Record a ceremony's end (audit, spending history, incidents). */
  finished: CeremonyHooks['finished']
  /** Record a submitted transaction. */
  recordTx(info: { keyId: string; txHash: string; status: string }): Promise<void>
  stop(): Promise<void>
}

/** The gate used until policy is configured: allows everything (development only). */
export async function createGate(_init: GateInit, _components: GateComponents): Promise<Gate> {
  return {
    judge: async () => null,
    contentOf: () => {
      throw new Error('signed requests are not supported by this gate')
    },
    finished: () => undefined,
    recordTx: async () => undefined,
    stop: async () => undefined,
  }
}
