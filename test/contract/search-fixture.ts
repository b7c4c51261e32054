import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import { migrate, openDatabase, type SqlDatabase } from '../../src/backends/sql/index.js';
import { KeelError, type ErrorCode } from '../../src/core/errors.js';
import type { LifecycleStage } from '../../src/core/tracking/entities.js';
import { createTestDatabase, type Engine } from '../support/databases.js';

/**
 * Search tests write rows straight into the schema (multi-row inserts), so they depend on the
 * search code and the schema only, and can seed thousands of runs quickly.
 */

/** A fresh, migrated database of `engine` for the calling test file. */
export function useSearchDatabase(engine: Engine, label: string): { readonly sqlDb: SqlDatabase } {
  let dir = '';
  let drop: () => Promise<void> = async () => {};
  let sqlDb: SqlDatabase | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keel-search-'));
    const database = await createTestDatabase(engine, dir, label);
    drop = database.drop;
    sqlDb = openDatabase(database.uri);
    await migrate(sqlDb.db, sqlDb.caps);
  });
  afterAll(async () => {
    await sqlDb?.close();
    await drop();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  return {
    get sqlDb() {
      if (!sqlDb) throw new Error('the database is opened in beforeAll');
      return sqlDb;
    },
  };
}

export interface SeedExperiment {
  /** `default` when absent; other workspaces must exist (`seedWorkspace`). */
  workspace?: string;
  name?: string;
  creationTime?: number;
  lastUpdateTime?: number;
  stage?: LifecycleStage;
  tags?: Record<string, string>;
}

let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(3).toString('hex')}`;
}

export async function seedExperiment(sqlDb: SqlDatabase, e: SeedExperiment = {}): Promise<string> {
  const row = await sqlDb.db
    .insertInto('experiments')
    .values({
      workspace: e.workspace ?? 'default',
      name: e.name ?? uniqueName('exp'),
      artifact_location: 'mlflow-artifacts:/x',
      lifecycle_stage: e.stage ?? 'active',
      creation_time: e.creationTime ?? 1_000,
      last_update_time: e.lastUpdateTime ?? e.creationTime ?? 1_000,
      deleted_time: e.stage === 'deleted' ? 5_000 : null,
    })
    .returning('experiment_id')
    .executeTakeFirstOrThrow();
  const id = Number(row.experiment_id);
  const tags = Object.entries(e.tags ?? {}).map(([key, value]) => ({ experiment_id: id, key, value }));
  if (tags.length > 0) await sqlDb.db.insertInto('experiment_tags').values(tags).execute();
  return String(id);
}

/** Adds a workspace row, so experiments can be seeded into it. */
export async function seedWorkspace(sqlDb: SqlDatabase, name: string): Promise<string> {
  await sqlDb.db.insertInto('workspaces').values({ name, description: '', created_time: 1 }).execute();
  return name;
}

export interface SeedRun {
  runId?: string;
  name?: string;
  startTime?: number;
  endTime?: number | null;
  status?: string;
  userId?: string;
  stage?: LifecycleStage;
  artifactUri?: string;
  /** Latest values; NaN is stored as MLflow's SQL store does (value 0, is_nan 1). */
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  datasets?: { name: string; digest: string; context?: string }[];
}

const rowsPerInsert = 400;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += rowsPerInsert) await insert(rows.slice(i, i + rowsPerInsert));
}

/** Inserts the runs (with their side rows) and returns their ids in the same order. */
export async function seedRuns(sqlDb: SqlDatabase, experimentId: string, runs: SeedRun[]): Promise<string[]> {
  const experiment = Number(experimentId);
  const ids = runs.map((r) => r.runId ?? randomBytes(16).toString('hex'));
  const runRows = runs.map((r, i) => ({
    run_uuid: ids[i]!,
    experiment_id: experiment,
    name: r.name ?? `run-${i}`,
    user_id: r.userId ?? 'alice',
    status: r.status ?? 'FINISHED',
    start_time: r.startTime ?? 1_000,
    end_time: r.endTime === undefined ? null : r.endTime,
    lifecycle_stage: r.stage ?? 'active',
    artifact_uri: r.artifactUri ?? `mlflow-artifacts:/${experimentId}/${ids[i]}/artifacts`,
    deleted_time: r.stage === 'deleted' ? 9_000 : null,
  }));
  const metricRows = runs.flatMap((r, i) =>
    Object.entries(r.metrics ?? {}).map(([key, value]) => ({
      run_uuid: ids[i]!,
      key,
      value: Number.isNaN(value) ? 0 : value,
      is_nan: Number.isNaN(value) ? 1 : 0,
      timestamp: 10,
      step: 0,
    })),
  );
  const kv = (pick: (r: SeedRun) => Record<string, string> | undefined) =>
    runs.flatMap((r, i) =>
      Object.entries(pick(r) ?? {}).map(([key, value]) => ({ run_uuid: ids[i]!, key, value })),
    );
  const datasetRows = new Map<string, { dataset_uuid: string; name: string; digest: string }>();
  const inputRows: { run_uuid: string; dataset_uuid: string }[] = [];
  const inputTagRows: { run_uuid: string; dataset_uuid: string; key: string; value: string }[] = [];
  runs.forEach((r, i) => {
    for (const d of r.datasets ?? []) {
      const uuid = createHash('sha256')
        .update(`${experimentId}/${d.name}/${d.digest}`)
        .digest('hex')
        .slice(0, 32);
      datasetRows.set(uuid, { dataset_uuid: uuid, name: d.name, digest: d.digest });
      inputRows.push({ run_uuid: ids[i]!, dataset_uuid: uuid });
      if (d.context !== undefined) {
        inputTagRows.push({
          run_uuid: ids[i]!,
          dataset_uuid: uuid,
          key: 'mlflow.data.context',
          value: d.context,
        });
      }
    }
  });

  const { db } = sqlDb;
  await insertChunked(runRows, (c) => db.insertInto('runs').values(c).execute());
  await insertChunked(metricRows, (c) => db.insertInto('latest_metrics').values(c).execute());
  await insertChunked(metricRows, (c) => db.insertInto('metrics').values(c).execute());
  await insertChunked(
    kv((r) => r.params),
    (c) => db.insertInto('params').values(c).execute(),
  );
  await insertChunked(
    kv((r) => r.tags),
    (c) => db.insertInto('tags').values(c).execute(),
  );
  await insertChunked([...datasetRows.values()], (c) =>
    db
      .insertInto('datasets')
      .values(
        c.map((d) => ({
          ...d,
          experiment_id: experiment,
          source_type: 'local',
          source: '{}',
          schema: null,
          profile: null,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
  await insertChunked(inputRows, (c) => db.insertInto('run_dataset_inputs').values(c).execute());
  await insertChunked(inputTagRows, (c) => db.insertInto('run_dataset_input_tags').values(c).execute());
  return ids;
}

export interface SeedLoggedModel {
  modelId: string;
  name: string;
  creationTime: number;
  status?: string;
  modelType?: string | null;
  sourceRunId?: string | null;
  stage?: LifecycleStage;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: {
    key: string;
    value: number;
    timestamp: number;
    step: number;
    datasetName?: string;
    datasetDigest?: string;
  }[];
}

/** Inserts logged models with their params, tags and metric points. */
export async function seedLoggedModels(
  sqlDb: SqlDatabase,
  experimentId: string,
  models: SeedLoggedModel[],
): Promise<void> {
  const { db } = sqlDb;
  await db
    .insertInto('logged_models')
    .values(
      models.map((m) => ({
        model_id: m.modelId,
        experiment_id: Number(experimentId),
        name: m.name,
        artifact_location: `mlflow-artifacts:/${experimentId}/models/${m.modelId}/artifacts`,
        creation_timestamp_ms: m.creationTime,
        last_updated_timestamp_ms: m.creationTime + 1,
        status: m.status ?? 'LOGGED_MODEL_READY',
        status_message: null,
        model_type: m.modelType ?? null,
        source_run_id: m.sourceRunId ?? null,
        lifecycle_stage: m.stage ?? 'active',
        deleted_time: m.stage === 'deleted' ? 9_000 : null,
      })),
    )
    .execute();
  const kv = (pick: (m: SeedLoggedModel) => Record<string, string> | undefined) =>
    models.flatMap((m) =>
      Object.entries(pick(m) ?? {}).map(([key, value]) => ({ model_id: m.modelId, key, value })),
    );
  const params = kv((m) => m.params);
  const tags = kv((m) => m.tags);
  const metrics = models.flatMap((m) =>
    (m.metrics ?? []).map((p) => ({
      model_id: m.modelId,
      key: p.key,
      value: Number.isNaN(p.value) ? 0 : p.value,
      is_nan: Number.isNaN(p.value) ? 1 : 0,
      timestamp: p.timestamp,
      step: p.step,
      run_uuid: m.sourceRunId ?? '',
      dataset_name: p.datasetName ?? '',
      dataset_digest: p.datasetDigest ?? '',
    })),
  );
  if (params.length > 0) await db.insertInto('logged_model_params').values(params).execute();
  if (tags.length > 0) await db.insertInto('logged_model_tags').values(tags).execute();
  if (metrics.length > 0) await db.insertInto('logged_model_metrics').values(metrics).execute();
}

/**
 * Refreshes the planner's statistics, as autovacuum (PostgreSQL) would shortly after a bulk load:
 * without them PostgreSQL guesses one row per table and can pick a nested loop over everything.
 */
export async function analyze(sqlDb: SqlDatabase): Promise<void> {
  await sql`analyze`.execute(sqlDb.db);
}

/** Awaits `promise` and asserts it fails with a `KeelError` of `code` whose message matches. */
export async function expectKeelError(
  promise: Promise<unknown>,
  code: ErrorCode,
  message: RegExp,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a KeelError ${code}`).toBeInstanceOf(KeelError);
  expect((error as KeelError).code).toBe(code);
  expect((error as KeelError).message).toMatch(message);
}

/** A small deterministic generator, so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
