import { randomBytes } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import { migrate, openDatabase } from '../../src/backends/sql/index.js';
import type { KeelDatabase, MetricsTable, RunsTable } from '../../src/backends/sql/schema.js';

export const seedShape = { params: 20, metrics: 20, tags: 10 } as const;

/**
 * Inserts `runs` runs, each with 20 params, 20 metrics (one history point each, and its latest value)
 * and 10 tags, straight into the database in large batches: the bench's data, not a measurement.
 * Returns the experiment id.
 */
export async function seedRuns(uri: string, runs: number, label: string): Promise<string> {
  const database = openDatabase(uri);
  try {
    await migrate(database.db, database.caps);
    const db = database.db;
    const now = Date.now();
    const experiment = await db
      .insertInto('experiments')
      .values({
        name: `bench-${label}-${randomBytes(3).toString('hex')}`,
        artifact_location: 'mlflow-artifacts:/bench',
        lifecycle_stage: 'active',
        creation_time: now,
        last_update_time: now,
      })
      .returning('experiment_id')
      .executeTakeFirstOrThrow();
    const experimentId = experiment.experiment_id;
    let random = 42;
    const next = () => {
      random = (random * 1103515245 + 12345) % 2147483648;
      return random / 2147483648;
    };
    const chunk = 500;
    for (let offset = 0; offset < runs; offset += chunk) {
      const count = Math.min(chunk, runs - offset);
      const runRows: Insertable<RunsTable>[] = [];
      const paramRows: Insertable<KeelDatabase['params']>[] = [];
      const metricRows: Insertable<MetricsTable>[] = [];
      const tagRows: Insertable<KeelDatabase['tags']>[] = [];
      for (let i = 0; i < count; i++) {
        const n = offset + i;
        const runId = randomBytes(16).toString('hex');
        runRows.push({
          run_uuid: runId,
          experiment_id: experimentId,
          name: `run-${n}`,
          user_id: 'bench',
          status: 'FINISHED',
          start_time: now - runs + n,
          end_time: now - runs + n + 1000,
          lifecycle_stage: 'active',
          artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
          deleted_time: null,
        });
        for (let p = 0; p < seedShape.params; p++) {
          paramRows.push({ run_uuid: runId, key: `p${p}`, value: String(Math.floor(next() * 100)) });
        }
        for (let m = 0; m < seedShape.metrics; m++) {
          metricRows.push({
            run_uuid: runId,
            key: `m${m}`,
            value: next(),
            is_nan: 0,
            timestamp: now,
            step: 0,
          });
        }
        for (let t = 0; t < seedShape.tags; t++) {
          tagRows.push({ run_uuid: runId, key: `t${t}`, value: `v${Math.floor(next() * 10)}` });
        }
        tagRows.push({ run_uuid: runId, key: 'mlflow.runName', value: `run-${n}` });
      }
      await db.transaction().execute(async (trx) => {
        await insertChunked(trx, 'runs', runRows);
        await insertChunked(trx, 'params', paramRows);
        await insertChunked(trx, 'metrics', metricRows);
        await insertChunked(trx, 'latest_metrics', metricRows);
        await insertChunked(trx, 'tags', tagRows);
      });
    }
    // Fresh planner statistics, as autovacuum or a long-lived database would have them.
    await sql`analyze`.execute(db);
    return String(experimentId);
  } finally {
    await database.close();
  }
}

async function insertChunked<T extends keyof KeelDatabase>(
  db: Kysely<KeelDatabase>,
  table: T,
  rows: object[],
): Promise<void> {
  const columns = rows.length ? Object.keys(rows[0]!).length : 1;
  const size = Math.floor(30_000 / columns);
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}
