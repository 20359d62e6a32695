// Typed errors of backup and restore. Callers branch on `code`; messages and details never carry
// secret material (no share bytes, no passphrase, no derived key).
import { NodeError, type NodeErrorOptions } from '../errors.ts'

export type BackupErrorCode =
  /** The archive passphrase does not open the archive (key check value mismatch). */
  | 'BACKUP_BAD_PASSPHRASE'
  /** Not an archive, truncated, or altered (checksum, authentication or payload validation failed). */
  | 'BACKUP_CORRUPT'
  /** An archive format version this build does not read. */
  | 'BACKUP_VERSION'
  /** `--out` names an existing file and `--force` was not given. */
  | 'BACKUP_FILE_EXISTS'
  /** The archive file could not be read or written. */
  | 'BACKUP_IO'
  /** The home has no node identity or config.json to back up. */
  | 'BACKUP_HOME_INCOMPLETE'
  /** An active key record has no share at its epoch, or the share names another key or epoch. */
  | 'BACKUP_SHARE_MISSING'
  | 'BACKUP_SHARE_MISMATCH'
  /** The store holds a key at a newer epoch than the archive (restore without --force). */
  | 'RESTORE_EPOCH_OLDER'
  /** The store belongs to another node identity and already holds keys (restore without --force). */
  | 'RESTORE_IDENTITY_MISMATCH'

export function backupError(
  code: BackupErrorCode,
  message: string,
  options: NodeErrorOptions = {},
): NodeError {
  return new NodeError(code, message, options)
}

export const corruptArchive = (reason: string, cause?: unknown): NodeError =>
  backupError('BACKUP_CORRUPT', 'the backup archive is damaged or not an mpc-node backup', {
    details: { reason },
    hints: ['the file was truncated or modified; use another copy of the backup'],
    cause,
  })
