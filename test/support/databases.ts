import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the tests use: 127.0.0.1:5432, trust auth (override with KEEL_TEST_PG). */
export const testPostgresAdminUri = process.env.KEEL_TEST_PG ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** The backend-store URI to hand to Keel. */
  uri: string;
  /** Drops what `create` made (a PostgreSQL database; SQLite files live in the caller's temp dir). */
  drop(): Promise<void>;
}

/**
 * A fresh, empty PostgreSQL database for one test file; `drop()` removes it (call it in afterAll).
 */
export async function createPostgresDatabase(label = 'keel'): Promise<TestDatabase> {
  const name = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresAdminUri });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresAdminUri);
  url.pathname = `/${name}`;
  return {
    uri: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: testPostgresAdminUri });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The engines every store test runs on. */
export const engines = ['sqlite', 'postgres'] as const;
export type Engine = (typeof engines)[number];

/**
 * A fresh database URI of the given engine: a SQLite file under `dir`, or a new PostgreSQL database.
 */
export async function createTestDatabase(engine: Engine, dir: string, label?: string): Promise<TestDatabase> {
  if (engine === 'postgres') return createPostgresDatabase(label);
  return { uri: `sqlite:///${dir}/keel-${randomBytes(4).toString('hex')}.db`, drop: async () => {} };
}
