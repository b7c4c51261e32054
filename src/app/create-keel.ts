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
import type { User } from '../core/auth/index.js';
import { buildHttpApp, type HttpServices } from '../interfaces/http/index.js';
import { GarbageCollector } from '../services/gc/index.js';
import type { AuthConfig, KeelConfig } from './config.js';
import { composeServices, type KeelServices } from './compose-services.js';
import { readKeelVersion } from './version.js';

/** One composed Keel: the HTTP app (not listening yet), its services, and how to close it. */
export interface Keel {
  http: FastifyInstance;
  services: HttpServices;
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
  const services = composeServices(database, config);
  let sweeper: NodeJS.Timeout | undefined;
  try {
    // The first administrator from the environment; workers leave it to the primary (migrate: false).
    if (options.migrate !== false) await bootstrapAdmin(services, config.auth, logger);
    if (config.auth.enabled) await warnWithoutAdmin(services, config.auth, logger);
    sweeper = sweepExpiredSessions(services, logger);
  } catch (error) {
    await database.close();
    throw error;
  }
  const http = buildHttpApp({
    services,
    logger,
    version,
    serveArtifacts: config.serveArtifacts,
    bodyLimitBytes: config.bodyLimitBytes,
    cookieSecure: config.auth.cookieSecure,
    webUiRoot: config.webUiRoot,
  });
  let closed: Promise<void> | undefined;
  return {
    http,
    services,
    logger,
    version,
    close: () =>
      (closed ??= (async () => {
        clearInterval(sweeper);
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

/** Creates the administrator named by `KEEL_ADMIN_USERNAME`/`KEEL_ADMIN_PASSWORD`, once. */
async function bootstrapAdmin(services: KeelServices, auth: AuthConfig, logger: Logger): Promise<void> {
  if (auth.admin === undefined) return;
  const { user, created } = await services.identity.bootstrapAdmin(auth.admin);
  if (created) logger.info({ username: user.username }, `Created the site administrator '${user.username}'`);
}

async function warnWithoutAdmin(services: KeelServices, auth: AuthConfig, logger: Logger): Promise<void> {
  if (auth.admin !== undefined || (await services.identityStore.countActiveAdmins()) > 0) return;
  logger.warn(
    'Authentication is on but no site administrator exists, so nobody can sign in yet. Create one with ' +
      '`keel users create-admin --username <name>` (against this database), or restart with ' +
      'KEEL_ADMIN_USERNAME and KEEL_ADMIN_PASSWORD set.',
  );
}

/** Expired sessions are deleted hourly (they are refused anyway; this keeps the table small). */
function sweepExpiredSessions(services: KeelServices, logger: Logger): NodeJS.Timeout {
  const sweep = () => {
    services.identityStore.deleteExpiredSessions(Date.now()).then(
      (removed) => {
        if (removed > 0) logger.debug({ removed }, 'deleted expired sessions');
      },
      (error: unknown) => logger.warn({ err: error }, 'deleting expired sessions failed; will retry'),
    );
  };
  const timer = setInterval(sweep, 3600_000);
  timer.unref();
  return timer;
}

export function createLogger(config: Pick<KeelConfig, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { pid: process.pid },
    // Credentials never reach a log line.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.new_password',
        '*.current_password',
        '*.newPassword',
        '*.currentPassword',
        '*.token',
      ],
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

/**
 * Creates the first site administrator directly in the database (migrating it first), for
 * `keel users create-admin`: idempotent for an existing administrator of that name, refused for an
 * existing user who is not one.
 */
export async function createAdmin(
  config: Pick<KeelConfig, 'backendStoreUri' | 'artifactsDestination'> & { passwordCost: number },
  input: { username: string; password: string },
): Promise<{ user: User; created: boolean }> {
  const database = openDatabase(config.backendStoreUri);
  try {
    await migrate(database.db, database.caps);
    const services = composeServices(database, {
      artifactsDestination: config.artifactsDestination,
      auth: { enabled: true, cacheTtlMs: 0, passwordCost: config.passwordCost, cookieSecure: true },
    });
    return await services.identity.bootstrapAdmin(input);
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
