/**
 * The SQL backend: SQLite and PostgreSQL through one Kysely code path. Open a database by URI,
 * migrate it, then build the stores over it.
 */
export { openDatabase, redactUri, type OpenDatabaseOptions, type SqlDatabase } from './open-database.js';
export { assertNotNewer, migrate, currentVersion, latestSchemaVersion } from './migrator.js';
export { postgresCapabilities, sqliteCapabilities, type SqlCapabilities } from './dialect.js';
export type { KeelDatabase } from './schema.js';
export { SqlTrackingStore } from './sql-tracking-store.js';
export { SqlIdentityStore, type SqlIdentityStoreOptions } from './sql-identity-store.js';
export { SqlAuditStore } from './sql-audit-store.js';
export { loadRuns } from './run-loader.js';
export { classifyDriverError, translateDriverError, type DriverFailure } from './driver-errors.js';
