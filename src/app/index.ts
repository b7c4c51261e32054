export {
  processEnvironment,
  resolveServerConfig,
  resolveStoreConfig,
  defaultDataDir,
  logLevels,
  type KeelConfig,
  type LogLevel,
  type ServerFlags,
} from './config.js';
export {
  collectGarbage,
  createKeel,
  createLogger,
  upgradeDatabase,
  type CreateKeelOptions,
  type Keel,
} from './create-keel.js';
export { listen, runServer, type RunningServer } from './start-server.js';
export { readKeelVersion } from './version.js';
