import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { migrate, openDatabase } from '../../src/backends/sql/index.js';

/**
 * Inserts one run holding a `points`-step `loss` metric straight into the database (multi-row
 * INSERTs of 5,000 in one transaction), in an experiment of its own. Returns the run id.
 */
export async function seedLongMetric(uri: string, points: number): Promise<string> {
  const database = openDatabase(uri);
  try {
    await migrate(database.db, database.caps);
    const db = database.db;
    const now = Date.now();
    const experiment = await db
      .insertInto('experiments')
      .values({
        name: `bench-long-metric-${randomBytes(3).toString('hex')}`,
        artifact_location: 'mlflow-artifacts:/bench',
        lifecycle_stage: 'active',
        creation_time: now,
        last_update_time: now,
      })
      .returning('experiment_id')
      .executeTakeFirstOrThrow();
    const runId = randomBytes(16).toString('hex');
    const start = now - points * 10;
    const point = (step: number) => ({
      run_uuid: runId,
      key: 'loss',
      value: 2 / (1 + step / 5000) + 0.05 * Math.sin(step / 97),
      is_nan: 0,
      timestamp: start + step * 10,
      step,
    });
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('runs')
        .values({
          run_uuid: runId,
          experiment_id: experiment.experiment_id,
          name: 'long-run',
          user_id: 'bench',
          status: 'FINISHED',
          start_time: start,
          end_time: now,
          lifecycle_stage: 'active',
          artifact_uri: `mlflow-artifacts:/${experiment.experiment_id}/${runId}/artifacts`,
          deleted_time: null,
        })
        .execute();
      await trx
        .insertInto('tags')
        .values({ run_uuid: runId, key: 'mlflow.runName', value: 'long-run' })
        .execute();
      const chunk = 5000;
      for (let offset = 0; offset < points; offset += chunk) {
        const rows = Array.from({ length: Math.min(chunk, points - offset) }, (_, i) => point(offset + i));
        await trx.insertInto('metrics').values(rows).execute();
      }
      await trx
        .insertInto('latest_metrics')
        .values(point(points - 1))
        .execute();
    });
    // Fresh planner statistics for a million new rows, as autovacuum would gather them (without
    // them PostgreSQL plans the sampling queries for a table of a few thousand rows).
    await sql`analyze`.execute(db);
    return runId;
  } finally {
    await database.close();
  }
}
