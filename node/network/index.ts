export { type AllowedPeer, Allowlist, canonicalPeerId } from './allowlist.ts'
export {
  createNetwork,
  MAX_MESSAGE_BYTES,
  type MessageHandler,
  Network,
  type NetworkComponents,
  type NetworkInit,
  type PeerStats,
  PROTOCOL_ID,
} from './network.ts'
export { DEFAULT_RATE_LIMIT, PeerRateLimiter, type RateLimit } from './rate-limit.ts'
