import { parseExperimentId } from './entity-ids.js';
import { inTransaction, type SqlSource } from './sql-transaction.js';
import { chunked } from './statement-chunks.js';

export async function findPurgeable(
  { db }: SqlSource,
  deletedBefore: number,
): Promise<{
  runs: { runId: string; artifactUri: string }[];
  experiments: { experimentId: string; artifactLocation: string }[];
}> {
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
 * Deletes the rows for good; foreign keys cascade to metrics, params, tags, inputs, datasets and
 * logged models. Only soft-deleted runs and experiments are touched: an id that was restored in the
 * meantime (or never deleted) is left alone.
 */
export async function purge(
  source: SqlSource,
  target: { runIds: string[]; experimentIds: string[] },
): Promise<void> {
  const experimentIds = target.experimentIds
    .map(parseExperimentId)
    .filter((id): id is number => id !== undefined);
  const size = Math.max(1, source.caps.maxBindParameters - 16);
  await inTransaction(source, async (trx) => {
    for (const ids of chunked([...new Set(target.runIds)], size)) {
      await trx
        .deleteFrom('runs')
        .where('run_uuid', 'in', ids)
        .where('lifecycle_stage', '=', 'deleted')
        .execute();
    }
    for (const ids of chunked([...new Set(experimentIds)], size)) {
      await trx
        .deleteFrom('experiments')
        .where('experiment_id', 'in', ids)
        .where('lifecycle_stage', '=', 'deleted')
        .execute();
    }
  });
}
