export {
  ARCHIVE_MAGIC,
  ARCHIVE_VERSION,
  type ArchiveHeader,
  openArchive,
  type PassphraseSource,
  readArchiveHeader,
  type ScryptCost,
  sealArchive,
} from './archive.ts'
export { type BackupErrorCode, backupError } from './errors.ts'
export {
  type BackupInit,
  type BackupResult,
  backupHome,
  type Passphrase,
  type RestoreInit,
  type RestoreResult,
  restoreHome,
} from './operations.ts'
export { type BackupKey, type BackupPayload, decodePayload, encodePayload } from './payload.ts'
export {
  applyRestore,
  collectBackup,
  type RestoredKey,
  type RestoreReport,
  type Skipped,
} from './snapshot.ts'
