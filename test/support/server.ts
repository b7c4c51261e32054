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

/**
 * Starts a real Keel server on 127.0.0.1 with a random port, on a fresh SQLite file or a fresh
 * PostgreSQL database, and artifacts in a temp folder. `close()` stops it and removes everything.
 */
export async function startTestServer(
  options: { engine?: Engine; config?: Partial<KeelConfig> } = {},
): Promise<TestServer> {
  const engine = options.engine ?? 'sqlite';
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-test-'));
  const database = await createTestDatabase(engine, dataDir, 'keel_it');
  const artifactsDestination = join(dataDir, 'artifacts');
  const config: KeelConfig = {
    ...resolveServerConfig(
      { host: '127.0.0.1', port: 0, backendStoreUri: database.uri, artifactsDestination, logLevel: 'silent' },
      {},
    ),
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
