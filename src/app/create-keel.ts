import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { openBlobStore } from '../backends/blob/index.js';
import {
  assertNotNewer,
  currentVersion,
  migrate,
  openDatabase,
  SqlTrackingStore,
} from '../backends/sql/index.js';
import { buildHttpApp } from '../interfaces/http/index.js';
import { ArtifactService } from '../services/artifacts/index.js';
import { GarbageCollector } from '../services/gc/index.js';
import { TrackingService } from '../services/tracking/index.js';
import type { KeelConfig } from './config.js';
import { readKeelVersion } from './version.js';

/** One composed Keel: the HTTP app (not listening yet), its services, and how to close it. */
export interface Keel {
  http: FastifyInstance;
  services: { tracking: TrackingService; artifacts: ArtifactService };
  logger: Logger;
  version: string;
  /** Stops accepting, finishes in-flight requests, closes the database. */
  close(): Promise<void>;
}

export interface CreateKeelOptions {
  /** Run migrations (true) or only check the schema version (false: another process migrated). */
  migrate?: boolean;
  logger?: Logger;
}

/**
 * The composition root: opens the backends named by the config, builds the services over them and
 * the HTTP app over the services. Nothing listens until the caller says so.
 */
export async function createKeel(config: KeelConfig, options: CreateKeelOptions = {}): Promise<Keel> {
  const logger = options.logger ?? createLogger(config);
  const version = readKeelVersion();
  const database = openDatabase(config.backendStoreUri);
  try {
    if (options.migrate === false) assertNotNewer(await currentVersion(database.db));
    else await migrate(database.db, database.caps);
  } catch (error) {
    await database.close();
    throw error;
  }
  const store = new SqlTrackingStore(database);
  const blobs = openBlobStore(config.artifactsDestination);
  const tracking = new TrackingService({ store });
  const artifacts = new ArtifactService({ store, blobs, maxUploadBytes: config.maxArtifactBytes });
  const http = buildHttpApp({
    services: { tracking, artifacts },
    logger,
    version,
    serveArtifacts: config.serveArtifacts,
    bodyLimitBytes: config.bodyLimitBytes,
  });
  let closed: Promise<void> | undefined;
  return {
    http,
    services: { tracking, artifacts },
    logger,
    version,
    close: () =>
      (closed ??= (async () => {
        // Node reaps idle keep-alive sockets once, when closing starts; a response that finishes
        // after that (a streamed download) leaves its socket open until the keep-alive timeout.
        // Reap again as in-flight responses finish.
        const reaper = setInterval(() => http.server.closeIdleConnections(), 50);
        try {
          await http.close();
        } finally {
          clearInterval(reaper);
          await database.close();
        }
      })()),
  };
}

export function createLogger(config: Pick<KeelConfig, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { pid: process.pid },
    // Credentials never reach a log line.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
      censor: '***',
    },
  });
}

/** Applies the newest schema and reports the versions, for `keel db upgrade`. */
export async function upgradeDatabase(
  config: Pick<KeelConfig, 'backendStoreUri'>,
): Promise<{ from: number; to: number }> {
  const database = openDatabase(config.backendStoreUri);
  try {
    return await migrate(database.db, database.caps);
  } finally {
    await database.close();
  }
}

/** Permanently removes soft-deleted runs and experiments older than `olderThanMs`, for `keel gc`. */
export async function collectGarbage(
  config: Pick<KeelConfig, 'backendStoreUri' | 'artifactsDestination'>,
  options: { olderThanMs: number; dryRun: boolean },
): Promise<{ runIds: string[]; experimentIds: string[]; blobsRemoved: number }> {
  const database = openDatabase(config.backendStoreUri);
  try {
    await migrate(database.db, database.caps);
    const gc = new GarbageCollector({
      store: new SqlTrackingStore(database),
      blobs: openBlobStore(config.artifactsDestination),
    });
    return await gc.collect({ olderThanMs: options.olderThanMs, dryRun: options.dryRun });
  } finally {
    await database.close();
  }
}
