// Public API of node/policy. The node service's path for one request:
//   const v = await verifyRequest(envelope, { nowMs, audience: heldKeyIds, replay })
//   if (!v.ok) -> refuse with v.code
//   const ctx = await gatherContext(v.request, { nowMs, key, nodeRole, chain, history })
//   const d = evaluate(policyStore.current(), v.request, ctx)
//   audit: requestEntry(v.request), decisionEntry(v.request.hash, d)   (node/audit)
//   after signing: recordSpending(history, v.request, key.keyId, nowMs)
export { requestHash, signApproval, type VerifiedApproval, verifyApproval } from './approval.ts'
export { type CeremonyRequest, evaluateCeremony } from './ceremony.ts'
export {
  type ChainView,
  type DidStatus,
  type EvaluationContext,
  gatherContext,
  type KeyMetadata,
  MemorySpendingHistory,
  recordSpending,
  type SpendEntry,
  type SpendingHistory,
} from './context.ts'
export { evaluate } from './evaluate.ts'
export { type Kv, LevelReplayStore, LevelSpendingHistory } from './level-stores.ts'
export { compilePolicy, loadPolicyFile, parsePolicyText } from './load.ts'
export { devPolicy, devPolicyDocument, policyYaml, starterPolicy, starterPolicyDocument } from './presets.ts'
export { MemoryReplayStore, type ReplayStore } from './replay.ts'
export type { DecodedCall, MessageContent, RequestClaims, TransactionContent } from './request.ts'
export { type RequestContent, type SignRequestOptions, signRequest } from './request-client.ts'
export { PolicyStore, type PolicyStoreInit, type ReloadOutcome } from './store.ts'
export { type CallDecoder, decodeStv3Call, type Movement, movementsOf, STV3_ABI } from './stv3-calls.ts'
export type {
  CeremonyKind,
  Decision,
  DenyCode,
  NodeRole,
  Policy,
  PolicyDocument,
  PolicyRule,
  Reason,
} from './types.ts'
export { type PolicyProblem, validatePolicyDocument } from './validate.ts'
export {
  type RequestEnvelope,
  type RequestRefusal,
  type RequestRefusalCode,
  type VerifiedRequest,
  type VerifyRequestOptions,
  verifyRequest,
} from './verify-request.ts'
