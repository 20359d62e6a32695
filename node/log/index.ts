export type { Logger, LoggerInit } from './logger.ts'
export { createLogger, REDACT_PATHS, SECRET_FIELDS, silentLogger } from './logger.ts'
export { REDACTED, Secret, wipe } from './secret.ts'
