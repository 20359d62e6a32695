export { BanRepository } from './bans.ts'
export { DEFAULT_SCRYPT, type KdfParams } from './crypto.ts'
export type {
  BanEntry,
  BanRecord,
  CeremonyKind,
  CeremonyRecord,
  CeremonyStatus,
  HexId,
  KeyRecord,
  KeyStatus,
} from './records.ts'
export { hexId } from './records.ts'
export type { BatchOp } from './repository.ts'
export { Repository } from './repository.ts'
export { ShareRepository } from './shares.ts'
export { Store, type StoreInit, storePath, Transaction } from './store.ts'
