// A ceremony's end on this node: its audit record (session, participants, transcript hash,
// outcome, culprits) and, for a released signature, the spending it causes and its record.
import { keccak256 } from 'viem'
import { assembleSignedTransaction } from '../../chain/transaction.ts'
import { recordSpending } from '../../policy/index.ts'
import { signatureBytes } from '../../sessions/engine.ts'
import type { CeremonyHooks } from '../../sessions/types.ts'
import { type GateContext, hexOf, record } from './context.ts'

export type FinishedInfo = Parameters<CeremonyHooks['finished']>[0]

const OUTCOME = { completed: 'ok', aborted: 'abort', timeout: 'timeout', rejected: 'denied' } as const
/** Recorded when no protocol message was exchanged (refused or timed out before the first round). */
const NO_TRANSCRIPT = '0'.repeat(64)
const MAX_SIGNED_TXS = 1000

export async function onFinished(g: GateContext, info: FinishedInfo): Promise<void> {
  const p = info.proposal
  const sessionId = hexOf(p.sessionNonce)
  const pending = g.pending.get(sessionId)
  g.pending.delete(sessionId)
  const participants =
    p.kind === 'dkg' ? [...p.committee] : p.signers.flatMap((slot) => p.committee[slot - 1] ?? [])
  const ceremony: Parameters<typeof record<'ceremony'>>[2] = {
    sessionId,
    kind: p.kind,
    participants,
    transcriptHash: info.transcriptHash ? hexOf(info.transcriptHash) : NO_TRANSCRIPT,
    outcome: OUTCOME[info.outcome],
    culprits: info.culprits ?? [],
  }
  if (p.kind !== 'dkg') ceremony.keyId = hexOf(p.keyId)
  if (info.code !== undefined) ceremony.code = info.code
  await record(g, 'ceremony', ceremony)
  if (info.outcome !== 'completed' || info.signature === undefined || pending === undefined) return
  if (pending.request !== undefined) {
    try {
      await recordSpending(g.history, pending.request, pending.keyId, g.clock())
    } catch (e) {
      g.incidents.report(
        { kind: 'audit-failure', severity: 'high', code: 'SPENDING_NOT_RECORDED' },
        { keyId: pending.keyId, requestHash: pending.requestHash, err: (e as Error).message },
        'a signed amount could not be recorded: 24 h limits may under-count',
      )
    }
  }
  if (pending.tx !== undefined) {
    try {
      const { r, s, recovery } = info.signature
      const signed = assembleSignedTransaction(pending.tx, { r, s, yParity: recovery as 0 | 1 })
      g.signedTxs.set(keccak256(signed), pending.requestHash)
      if (g.signedTxs.size > MAX_SIGNED_TXS) g.signedTxs.delete(g.signedTxs.keys().next().value as string)
    } catch {
      // Only the tx record's link to its request is lost.
    }
  }
  await record(g, 'signature', {
    requestHash: pending.requestHash,
    sessionId,
    digest: `0x${hexOf(pending.digest)}`,
    signature: `0x${hexOf(signatureBytes(info.signature))}`,
  })
}
