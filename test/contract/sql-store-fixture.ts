import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { KeelError, type ErrorCode } from '../../src/core/errors.js';
import type { Metric } from '../../src/core/tracking/entities.js';
import { migrate, openDatabase, SqlTrackingStore, type SqlDatabase } from '../../src/backends/sql/index.js';
import { createTestDatabase, type Engine } from '../support/databases.js';

export interface StoreFixture {
  readonly store: SqlTrackingStore;
  readonly sqlDatabase: SqlDatabase;
  /** The backend-store URI, to open more connections to the same database. */
  readonly uri: string;
}

/**
 * A fresh, migrated database of `engine` for the calling test file (created in beforeAll, closed
 * and dropped in afterAll), with a `SqlTrackingStore` over it.
 */
export function useSqlStore(engine: Engine, label = 'keel_store'): StoreFixture {
  let dir = '';
  let drop: () => Promise<void> = async () => {};
  let uri = '';
  let sqlDatabase: SqlDatabase | undefined;
  let store: SqlTrackingStore | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keel-contract-'));
    const database = await createTestDatabase(engine, dir, label);
    drop = database.drop;
    uri = database.uri;
    sqlDatabase = openDatabase(database.uri);
    await migrate(sqlDatabase.db, sqlDatabase.caps);
    store = new SqlTrackingStore(sqlDatabase);
  });
  afterAll(async () => {
    await sqlDatabase?.close();
    await drop();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  return {
    get store() {
      if (!store) throw new Error('the store is built in beforeAll');
      return store;
    },
    get uri() {
      return uri;
    },
    get sqlDatabase() {
      if (!sqlDatabase) throw new Error('the database is opened in beforeAll');
      return sqlDatabase;
    },
  };
}

let counter = 0;
/** A name no other test in this process uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function newExperiment(
  store: SqlTrackingStore,
  name = uniqueName('exp'),
  now = 1_000,
  workspace = 'default',
): Promise<string> {
  return store.createExperiment({
    workspace,
    name,
    tags: [],
    artifactLocation: (id) => `mlflow-artifacts:/${id}`,
    now,
  });
}

/** Adds a workspace straight into the table (the identity store's business, not this one's). */
export async function newWorkspace(sqlDatabase: SqlDatabase, name = uniqueName('ws')): Promise<string> {
  await sqlDatabase.db.insertInto('workspaces').values({ name, description: '', created_time: 1 }).execute();
  return name;
}

export async function newRun(
  store: SqlTrackingStore,
  experimentId: string,
  runName = uniqueName('run'),
): Promise<string> {
  const run = await store.createRun({
    experimentId,
    userId: 'alice',
    runName,
    startTime: 2_000,
    tags: [],
    artifactUri: (runId) => `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
  });
  return run.info.runId;
}

export function metric(key: string, value: number, step = 0, timestamp = 10): Metric {
  return { key, value, step, timestamp };
}

/** Awaits `promise` and asserts it fails with a `KeelError` of `code` (and a message matching `message`). */
export async function expectKeelError(
  promise: Promise<unknown>,
  code: ErrorCode,
  message?: string | RegExp,
): Promise<KeelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a KeelError ${code}`).toBeInstanceOf(KeelError);
  const keelError = error as KeelError;
  expect(keelError.code).toBe(code);
  if (typeof message === 'string') expect(keelError.message).toBe(message);
  else if (message) expect(keelError.message).toMatch(message);
  return keelError;
}

/** Rows of `table` for one run, counted directly in the database. */
export async function countRows(
  sqlDatabase: SqlDatabase,
  table: 'metrics' | 'latest_metrics' | 'params' | 'tags',
  runId: string,
): Promise<number> {
  const row = await sqlDatabase.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_uuid', '=', runId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
