import type { PurgedRows } from '../../core/tracking/index.js';
import { lockRows } from './dialect.js';
import { parseExperimentId } from './entity-ids.js';
import { inTransaction, type SqlSource } from './sql-transaction.js';
import { chunked } from './statement-chunks.js';

export async function findPurgeable({ db }: SqlSource, deletedBefore: number): Promise<PurgedRows> {
  const [runs, experiments] = await Promise.all([
    db
      .selectFrom('runs')
      .select(['run_uuid', 'artifact_uri'])
      .where('lifecycle_stage', '=', 'deleted')
      .where('deleted_time', '<', deletedBefore)
      .orderBy('deleted_time')
      .orderBy('run_uuid')
      .execute(),
    db
      .selectFrom('experiments')
      .select(['experiment_id', 'artifact_location'])
      .where('lifecycle_stage', '=', 'deleted')
      .where('deleted_time', '<', deletedBefore)
      .orderBy('deleted_time')
      .orderBy('experiment_id')
      .execute(),
  ]);
  return {
    runs: runs.map((row) => ({ runId: row.run_uuid, artifactUri: row.artifact_uri })),
    experiments: experiments.map((row) => ({
      experimentId: String(row.experiment_id),
      artifactLocation: row.artifact_location,
    })),
  };
}

/**
 * Deletes the rows for good, in one transaction; foreign keys cascade to metrics, params, tags,
 * inputs, datasets and logged models. Each delete re-checks the state it needs (deleted, and before
 * `deletedBefore` when given), so an id restored in the meantime (or never deleted) is left alone,
 * and reports what it removed. The experiments are locked first (where the engine needs row locks)
 * so none is restored between taking its runs and taking its row.
 */
export async function purge(
  source: SqlSource,
  target: { runIds: string[]; experimentIds: string[]; deletedBefore?: number },
): Promise<PurgedRows> {
  const { deletedBefore } = target;
  const experimentIds = target.experimentIds
    .map(parseExperimentId)
    .filter((id): id is number => id !== undefined);
  const size = Math.max(1, source.caps.maxBindParameters - 16);
  return inTransaction(source, async (trx) => {
    const purged: PurgedRows = { runs: [], experiments: [] };
    for (const ids of chunked([...new Set(target.runIds)], size)) {
      let query = trx
        .deleteFrom('runs')
        .where('run_uuid', 'in', ids)
        .where('lifecycle_stage', '=', 'deleted');
      if (deletedBefore !== undefined) query = query.where('deleted_time', '<', deletedBefore);
      const rows = await query.returning(['run_uuid', 'artifact_uri']).execute();
      for (const row of rows) purged.runs.push({ runId: row.run_uuid, artifactUri: row.artifact_uri });
    }
    for (const ids of chunked([...new Set(experimentIds)], size)) {
      let select = trx
        .selectFrom('experiments')
        .select('experiment_id')
        .where('experiment_id', 'in', ids)
        .where('lifecycle_stage', '=', 'deleted');
      if (deletedBefore !== undefined) select = select.where('deleted_time', '<', deletedBefore);
      const doomed = (await lockRows(select, source.caps, 'update').execute()).map(
        (row) => row.experiment_id,
      );
      if (doomed.length === 0) continue;
      const runs = await trx
        .deleteFrom('runs')
        .where('experiment_id', 'in', doomed)
        .returning(['run_uuid', 'artifact_uri'])
        .execute();
      for (const row of runs) purged.runs.push({ runId: row.run_uuid, artifactUri: row.artifact_uri });
      const rows = await trx
        .deleteFrom('experiments')
        .where('experiment_id', 'in', doomed)
        .returning(['experiment_id', 'artifact_location'])
        .execute();
      for (const row of rows) {
        purged.experiments.push({
          experimentId: String(row.experiment_id),
          artifactLocation: row.artifact_location,
        });
      }
    }
    return purged;
  });
}
