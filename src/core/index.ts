/** Keel's pure core: error codes, domain entities, ports and rules. No I/O. */
export * from './errors.js';
export * from './tracking/index.js';
export * from './blob/index.js';
export { logLevels, type LogLevel } from './log-levels.js';
export * from './auth/index.js';
export * from './audit/index.js';
