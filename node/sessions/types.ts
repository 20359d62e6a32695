// Shapes shared by the ceremony engine and the service.

import type { Proposal } from '../../proto/types.ts'
import type { KeyShare } from '../../protocol/keyshare.ts'
import type { ReshareOutput } from '../../protocol/reshare/party.ts'
import type { Presignature, Signature } from '../../protocol/sign/party.ts'

export type CeremonyOutcome = 'completed' | 'aborted' | 'timeout' | 'rejected'

/** What a participant decided about a proposal, before computing anything. */
export type Admission =
  | { accept: true; prepared: PreparedCeremony }
  | { accept: false; code: string; reasons: string[] }

/** A participant's ceremony, ready to run once the coordinator says start. */
export type PreparedCeremony =
  | { kind: 'dkg'; n: number; t: number }
  | {
      kind: 'sign'
      share: KeyShare
      digest: Uint8Array
      path: number[]
      /** The decoded request, for the result and the audit. */
      summary: Record<string, unknown>
    }
  | {
      /** The message-independent rounds only; the output is stored as a presignature. */
      kind: 'presign'
      share: KeyShare
      path: number[]
    }
  | {
      /** The final round on a presignature this node has already marked consumed. */
      kind: 'finish'
      presignature: Presignature
      digest: Uint8Array
      summary: Record<string, unknown>
    }
  | {
      kind: 'reshare'
      /** This node's current share when it deals. */
      oldShare?: KeyShare
      publicKey: Uint8Array
      keyId: Uint8Array
      /** Epoch of the new shares. */
      epoch: number
    }

export type CeremonyHooks = {
  /** Decide on a proposal from an authenticated committee member (participant side). */
  admit(proposal: Proposal, fromPeer: string): Promise<Admission>
  /** A DKG finished here: persist the share (status pending until the coordinator commits). */
  keyGenerated(proposal: Proposal, share: KeyShare): Promise<void>
  /** The coordinator confirmed that every participant holds its share. */
  keyCommitted(proposal: Proposal): Promise<void>
  /** A refresh or resharing finished here: keep the new share pending (old epoch stays active). */
  reshared(proposal: Proposal, output: ReshareOutput): Promise<void>
  /** The coordinator confirmed that every new member holds its share: switch epochs, erase the old. */
  reshareCommitted(proposal: Proposal): Promise<void>
  /** A presignature was produced here: persist it (encrypted) under its session id. */
  presigned(proposal: Proposal, presignature: Presignature): Promise<void>
  /** A ban-class failure: persist the ban of `peerId` on the key. */
  banned(keyId: Uint8Array, peerId: string, slot: number, code: string, sessionId: Uint8Array): Promise<void>
  /** Each ceremony's end, for metrics and audit. */
  finished(info: {
    proposal: Proposal
    outcome: CeremonyOutcome
    ms: number
    code?: string
    culprits?: string[]
    signature?: Signature
    transcriptHash?: Uint8Array
  }): void
}
