import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { migrate } from './migrator.js';
import { openDatabase, type SqlDatabase } from './open-database.js';
import { QueryTemplate } from './query-template.js';

const insertTags = new QueryTemplate(
  (db, rows: { run_uuid: string; key: string; value: string }[]) =>
    db
      .insertInto('tags')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      ),
  (rows) => rows.length,
);

const tagsOf = new QueryTemplate(
  (db, runIds: string[]) =>
    db
      .selectFrom('tags')
      .select(['run_uuid', 'key', 'value'])
      .where('run_uuid', 'in', runIds)
      .where('key', '!=', 'constant-kept')
      .orderBy('run_uuid')
      .orderBy('key'),
  (runIds) => runIds.length,
);

describe.each(engines)('QueryTemplate (%s)', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-query-template-'));
  let testDb: TestDatabase;
  let sqlDb: SqlDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase(engine, dir, 'query_template');
    sqlDb = openDatabase(testDb.uri);
    await migrate(sqlDb.db, sqlDb.caps);
    const experimentId = 0;
    for (const runId of ['r1', 'r2', 'r3']) {
      await sqlDb.db
        .insertInto('runs')
        .values({
          run_uuid: runId,
          experiment_id: experimentId,
          name: runId,
          user_id: '',
          status: 'RUNNING',
          start_time: 1,
          end_time: null,
          lifecycle_stage: 'active',
          artifact_uri: '',
          deleted_time: null,
        })
        .execute();
    }
  });

  afterAll(async () => {
    await sqlDb.close();
    await testDb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs one compiled shape again with new values, and each shape with its own SQL', async () => {
    const { db, caps } = sqlDb;
    await insertTags.execute(db, caps, [{ run_uuid: 'r1', key: 'a', value: '1' }]);
    await insertTags.execute(db, caps, [{ run_uuid: 'r2', key: 'b', value: '2' }]);
    await insertTags.execute(db, caps, [
      { run_uuid: 'r3', key: 'c', value: '3' },
      { run_uuid: 'r1', key: 'a', value: 'updated' },
    ]);

    expect((await tagsOf.execute(db, caps, ['r1'])).rows).toEqual([
      { run_uuid: 'r1', key: 'a', value: 'updated' },
    ]);
    expect((await tagsOf.execute(db, caps, ['r2'])).rows).toEqual([{ run_uuid: 'r2', key: 'b', value: '2' }]);
    expect((await tagsOf.execute(db, caps, ['r3', 'r2'])).rows).toEqual([
      { run_uuid: 'r2', key: 'b', value: '2' },
      { run_uuid: 'r3', key: 'c', value: '3' },
    ]);
  });

  it('binds values as values, never as SQL', async () => {
    const { db, caps } = sqlDb;
    const hostile = "x'); drop table tags; --";
    await insertTags.execute(db, caps, [{ run_uuid: 'r2', key: hostile, value: hostile }]);
    const rows = (await tagsOf.execute(db, caps, ['r2'])).rows;
    expect(rows).toContainEqual({ run_uuid: 'r2', key: hostile, value: hostile });
  });

  it('builds the query afresh on a database with plugins, which see the real values', async () => {
    const seen: unknown[] = [];
    const withPlugin = sqlDb.db.withPlugin({
      transformQuery: (args) => {
        seen.push(args.node);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const { rows } = await tagsOf.execute(withPlugin, sqlDb.caps, ['r3']);
    expect(rows).toEqual([{ run_uuid: 'r3', key: 'c', value: '3' }]);
    expect(JSON.stringify(seen)).toContain('"r3"');
  });
});
