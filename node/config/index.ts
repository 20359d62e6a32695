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
export { IDENTITY_RECORD, type Identity, loadIdentity, loadOrCreateIdentity } from './identity.ts'
