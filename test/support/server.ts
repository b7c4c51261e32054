import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listen, resolveServerConfig, type KeelConfig, type RunningServer } from '../../src/app/index.js';
import { createTestDatabase, type Engine } from './databases.js';

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** A temp folder holding the SQLite file (if any) and the artifacts; removed by close(). */
  dataDir: string;
  backendStoreUri: string;
  artifactsDestination: string;
  server: RunningServer;
  close(): Promise<void>;
}

export interface TestAuthOptions {
  /** The first site administrator, created at start (as `KEEL_ADMIN_USERNAME`/`_PASSWORD` do). */
  admin?: { username: string; password: string };
  /** Default 1000 ms, as in production. */
  cacheTtlMs?: number;
}

/**
 * Starts a real Keel server on 127.0.0.1 with a random port, on a fresh SQLite file or a fresh
 * PostgreSQL database, and artifacts in a temp folder. `close()` stops it and removes everything.
 * Authentication is off (loopback) unless `auth` is given: then it is on, with the cheapest scrypt
 * cost the hasher accepts so that tests that create many users stay fast.
 */
export async function startTestServer(
  options: {
    engine?: Engine;
    config?: Partial<KeelConfig>;
    auth?: TestAuthOptions;
    /** Serve the built web UI (`dist/web`, from `npm run build`); off by default. */
    webUi?: boolean;
  } = {},
): Promise<TestServer> {
  const engine = options.engine ?? 'sqlite';
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-test-'));
  const database = await createTestDatabase(engine, dataDir, 'keel_it');
  const artifactsDestination = join(dataDir, 'artifacts');
  const resolved = resolveServerConfig(
    { host: '127.0.0.1', port: 0, backendStoreUri: database.uri, artifactsDestination, logLevel: 'silent' },
    {},
  );
  const auth = options.auth;
  const config: KeelConfig = {
    ...resolved,
    webUiRoot: options.webUi === true ? resolved.webUiRoot : null,
    ...(auth === undefined
      ? {}
      : {
          auth: {
            ...resolved.auth,
            enabled: true,
            passwordCost: 10,
            cacheTtlMs: auth.cacheTtlMs ?? resolved.auth.cacheTtlMs,
            ...(auth.admin === undefined ? {} : { admin: auth.admin }),
          },
        }),
    ...options.config,
  };
  let server: RunningServer;
  try {
    server = await listen(config);
  } catch (error) {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url,
    dataDir,
    backendStoreUri: database.uri,
    artifactsDestination,
    server,
    close: async () => {
      await server.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
