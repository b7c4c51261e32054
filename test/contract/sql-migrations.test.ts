import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifyDriverError,
  currentVersion,
  latestSchemaVersion,
  migrate,
  openDatabase,
  type KeelDatabase,
  type SqlDatabase,
} from '../../src/backends/sql/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { expectKeelError, useSqlStore } from './sql-store-fixture.js';

for (const engine of engines) {
  describe(`SQL migrations (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_migrate');

    it('migrates a new database to the latest version, and again is a no-op', async () => {
      const { db, caps } = fixture.sqlDatabase;
      expect(await currentVersion(db)).toBe(latestSchemaVersion);
      expect(await migrate(db, caps)).toEqual({ from: latestSchemaVersion, to: latestSchemaVersion });
      await Promise.all([migrate(db, caps), migrate(db, caps)]);
      expect(await currentVersion(db)).toBe(latestSchemaVersion);
    });

    it('refuses a database that a newer Keel migrated further', async () => {
      const { db, caps } = fixture.sqlDatabase;
      await db
        .insertInto('keel_migrations')
        .values({ version: 999, name: 'from-the-future', applied_at: 1 })
        .execute();
      try {
        await expectKeelError(
          migrate(db, caps),
          'INVALID_STATE',
          /schema version 999, newer than this Keel understands/,
        );
        expect(await currentVersion(db)).toBe(999);
      } finally {
        await db.deleteFrom('keel_migrations').where('version', '=', 999).execute();
      }
    });
  });
}

/** Every table of schema version 1, children after parents. */
const v1Tables = [
  'experiments',
  'experiment_tags',
  'runs',
  'metrics',
  'latest_metrics',
  'params',
  'tags',
  'datasets',
  'run_dataset_inputs',
  'run_dataset_input_tags',
  'logged_models',
  'logged_model_params',
  'logged_model_tags',
  'logged_model_metrics',
  'run_model_inputs',
  'run_model_outputs',
] as const;

/**
 * Fills a version-1 database the way Keel 1 would have: four experiments, the newest purged (so the
 * id counter is above the largest id left), runs with every kind of child row, a dataset input and a
 * logged model.
 */
async function seedVersion1(db: Kysely<KeelDatabase>): Promise<void> {
  for (const name of ['alpha', 'beta', 'gamma', 'purged']) {
    await db
      .insertInto('experiments')
      .values({
        name,
        artifact_location: `mlflow-artifacts:/${name}`,
        lifecycle_stage: 'active',
        creation_time: 10,
        last_update_time: 10,
        deleted_time: null,
      })
      .execute();
  }
  await db.insertInto('experiment_tags').values({ experiment_id: 1, key: 'team', value: 'a' }).execute();
  const run = (run_uuid: string, experiment_id: number) => ({
    run_uuid,
    experiment_id,
    name: run_uuid,
    user_id: 'alice',
    status: 'FINISHED',
    start_time: 20,
    end_time: 30,
    lifecycle_stage: 'active',
    artifact_uri: `mlflow-artifacts:/${experiment_id}/${run_uuid}`,
    deleted_time: null,
  });
  await db
    .insertInto('runs')
    .values([run('r1', 1), run('r2', 2), run('r4', 4)])
    .execute();
  for (const run_uuid of ['r1', 'r2', 'r4']) {
    const point = { run_uuid, key: 'loss', value: 0.5, is_nan: 0, timestamp: 40, step: 1 };
    await db
      .insertInto('metrics')
      .values([point, { ...point, step: 2, value: 0.25 }])
      .execute();
    await db
      .insertInto('latest_metrics')
      .values({ ...point, step: 2, value: 0.25 })
      .execute();
    await db.insertInto('params').values({ run_uuid, key: 'lr', value: '0.1' }).execute();
    await db.insertInto('tags').values({ run_uuid, key: 'mlflow.user', value: 'alice' }).execute();
  }
  await db
    .insertInto('datasets')
    .values({
      dataset_uuid: 'd1',
      experiment_id: 1,
      name: 'train',
      digest: 'abc',
      source_type: 'local',
      source: '{}',
      schema: null,
      profile: null,
    })
    .execute();
  await db.insertInto('run_dataset_inputs').values({ run_uuid: 'r1', dataset_uuid: 'd1' }).execute();
  await db
    .insertInto('run_dataset_input_tags')
    .values({ run_uuid: 'r1', dataset_uuid: 'd1', key: 'mlflow.data.context', value: 'training' })
    .execute();
  await db
    .insertInto('logged_models')
    .values({
      model_id: 'm-1',
      experiment_id: 1,
      name: 'model',
      artifact_location: 'mlflow-artifacts:/1/models/m-1',
      creation_timestamp_ms: 50,
      last_updated_timestamp_ms: 50,
      status: 'READY',
      status_message: null,
      model_type: null,
      source_run_id: 'r1',
      lifecycle_stage: 'active',
      deleted_time: null,
    })
    .execute();
  await db.insertInto('logged_model_params').values({ model_id: 'm-1', key: 'depth', value: '3' }).execute();
  await db.insertInto('logged_model_tags').values({ model_id: 'm-1', key: 'k', value: 'v' }).execute();
  await db
    .insertInto('logged_model_metrics')
    .values({
      model_id: 'm-1',
      key: 'acc',
      value: 0.9,
      is_nan: 0,
      timestamp: 60,
      step: 0,
      run_uuid: 'r1',
      dataset_name: 'train',
      dataset_digest: 'abc',
    })
    .execute();
  await db.insertInto('run_model_inputs').values({ run_uuid: 'r2', model_id: 'm-1' }).execute();
  await db.insertInto('run_model_outputs').values({ run_uuid: 'r1', model_id: 'm-1', step: 0 }).execute();
  // Purged: its run goes with it by cascade, and id 4 must never be handed out again.
  await db.deleteFrom('experiments').where('experiment_id', '=', 4).execute();
}

async function contents(db: Kysely<KeelDatabase>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of v1Tables) {
    const rows = (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    // The upgrade adds `workspace` to experiments; everything else must be as it was.
    out[table] = rows
      .map(({ workspace: _workspace, ...row }) => JSON.stringify(row, Object.keys(row).sort()))
      .sort();
  }
  return out;
}

async function refused(work: Promise<unknown>): Promise<unknown> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the statement should have been refused').toBeDefined();
  return error;
}

for (const engine of engines) {
  describe(`SQL migration 2 on a version-1 database with data (${engine})`, () => {
    let dir = '';
    let database: TestDatabase | undefined;
    let sqlDatabase: SqlDatabase | undefined;
    let before: Record<string, unknown[]> = {};

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'keel-upgrade-'));
      database = await createTestDatabase(engine, dir, 'keel_ct_upgrade');
      sqlDatabase = openDatabase(database.uri);
      expect(await migrate(sqlDatabase.db, sqlDatabase.caps, { target: 1 })).toEqual({ from: 0, to: 1 });
      await seedVersion1(sqlDatabase.db);
      before = await contents(sqlDatabase.db);
      expect(await migrate(sqlDatabase.db, sqlDatabase.caps)).toEqual({ from: 1, to: latestSchemaVersion });
    });

    afterAll(async () => {
      await sqlDatabase?.close();
      await database?.drop();
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
    });

    function db(): Kysely<KeelDatabase> {
      return sqlDatabase!.db;
    }

    it('keeps every row, and puts every experiment in the default workspace', async () => {
      expect(Object.values(before).every((rows) => rows.length > 0)).toBe(true);
      expect(await contents(db())).toEqual(before);
      const experiments = await db()
        .selectFrom('experiments')
        .select(['experiment_id', 'workspace'])
        .orderBy('experiment_id')
        .execute();
      expect(experiments).toEqual([0, 1, 2, 3].map((id) => ({ experiment_id: id, workspace: 'default' })));
      expect(await db().selectFrom('workspaces').select('name').execute()).toEqual([{ name: 'default' }]);
    });

    it('keeps the foreign keys to experiments, enforced and cascading', async () => {
      if (sqlDatabase!.caps.engine === 'sqlite') {
        expect((await sql`pragma foreign_key_check`.execute(db())).rows).toEqual([]);
        for (const table of ['experiment_tags', 'runs', 'datasets', 'logged_models']) {
          const keys = await sql<{ table: string }>`select * from pragma_foreign_key_list(${table})`.execute(
            db(),
          );
          expect(keys.rows.map((k) => k.table)).toEqual(['experiments']);
        }
      }
      const orphan = await refused(
        db()
          .insertInto('runs')
          .values({
            run_uuid: 'orphan',
            experiment_id: 999,
            name: 'orphan',
            user_id: 'x',
            status: 'RUNNING',
            start_time: 1,
            end_time: null,
            lifecycle_stage: 'active',
            artifact_uri: 'x',
            deleted_time: null,
          })
          .execute(),
      );
      expect(classifyDriverError(orphan)).toBe('foreign-key');
      await db().deleteFrom('experiments').where('experiment_id', '=', 2).execute();
      expect(await db().selectFrom('runs').select('run_uuid').where('run_uuid', '=', 'r2').execute()).toEqual(
        [],
      );
      expect(await db().selectFrom('metrics').select('key').where('run_uuid', '=', 'r2').execute()).toEqual(
        [],
      );
      expect(
        await db().selectFrom('run_model_inputs').selectAll().where('run_uuid', '=', 'r2').execute(),
      ).toEqual([]);
    });

    it('hands out experiment ids above every id ever used, purged ones included', async () => {
      const { experiment_id } = await db()
        .insertInto('experiments')
        .values({
          name: 'after-upgrade',
          artifact_location: '',
          lifecycle_stage: 'active',
          creation_time: 1,
          last_update_time: 1,
          deleted_time: null,
        })
        .returning('experiment_id')
        .executeTakeFirstOrThrow();
      expect(Number(experiment_id)).toBe(5);
    });

    it('makes experiment names unique per workspace instead of globally', async () => {
      await db()
        .insertInto('workspaces')
        .values({ name: 'team', description: '', created_time: 1 })
        .execute();
      const experiment = (name: string, workspace: string) =>
        db()
          .insertInto('experiments')
          .values({
            workspace,
            name,
            artifact_location: '',
            lifecycle_stage: 'active',
            creation_time: 1,
            last_update_time: 1,
            deleted_time: null,
          })
          .execute();
      await experiment('alpha', 'team');
      expect(classifyDriverError(await refused(experiment('alpha', 'default')))).toBe('unique');
      expect(classifyDriverError(await refused(experiment('alpha', 'team')))).toBe('unique');
      expect(classifyDriverError(await refused(experiment('beta', 'no-such-workspace')))).toBe('foreign-key');
      expect(
        await db()
          .selectFrom('experiments')
          .select('workspace')
          .where('name', '=', 'alpha')
          .orderBy('workspace')
          .execute(),
      ).toEqual([{ workspace: 'default' }, { workspace: 'team' }]);
    });

    it('keeps audit_events append-only: UPDATE and DELETE are refused', async () => {
      await db()
        .insertInto('audit_events')
        .values({
          time: 1,
          actor_id: null,
          actor_name: 'system',
          action: 'workspace.create',
          object_type: 'workspace',
          object_id: 'team',
          workspace: 'team',
          before: null,
          after: '{}',
          request_id: null,
          ip: null,
        })
        .execute();
      await refused(db().updateTable('audit_events').set({ actor_name: 'mallory' }).execute());
      await refused(db().deleteFrom('audit_events').execute());
      if (sqlDatabase!.caps.engine === 'postgres') await refused(sql`truncate audit_events`.execute(db()));
      expect(await db().selectFrom('audit_events').select(['actor_name', 'object_id']).execute()).toEqual([
        { actor_name: 'system', object_id: 'team' },
      ]);
    });
  });
}
