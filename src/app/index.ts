export {
  processEnvironment,
  resolveServerConfig,
  resolveStoreConfig,
  resolvePasswordCost,
  isLoopback,
  defaultDataDir,
  type AuthConfig,
  logLevels,
  type KeelConfig,
  type LogLevel,
  type ServerFlags,
} from './config.js';
export { composeServices, type KeelServices } from './compose-services.js';
export {
  collectGarbage,
  createAdmin,
  createKeel,
  createLogger,
  upgradeDatabase,
  type CreateKeelOptions,
  type Keel,
} from './create-keel.js';
export { listen, runServer, type RunningServer } from './start-server.js';
export { defaultWebUiRoot, readKeelVersion } from './version.js';
