export {
  allowlist,
  CONFIG_FILE,
  type HomePaths,
  homePaths,
  loadConfig,
  type NodeConfig,
  type PeerConfig,
  ROLES,
  type Role,
  saveConfig,
  validateConfig,
} from './config.ts'
export {
  type HomeInit,
  initHome,
  type OpenedHome,
  openHome,
  PASSPHRASE_ENV,
  PASSPHRASE_FILE_ENV,
  readPassphrase,
} from './home.ts'
export { IDENTITY_RECORD, type Identity, loadIdentity, loadOrCreateIdentity } from './identity.ts'
