import type { Selectable } from 'kysely';
import type { Experiment, LifecycleStage, Tag } from '../../core/tracking/index.js';
import type { ExperimentsTable } from './schema.js';
import type { SqlSource } from './sql-transaction.js';
import { chunked } from './statement-chunks.js';

export type ExperimentRow = Selectable<ExperimentsTable>;

export function experimentFromRow(row: ExperimentRow, tags: Tag[]): Experiment {
  return {
    experimentId: String(row.experiment_id),
    workspace: row.workspace,
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    creationTime: Number(row.creation_time),
    lastUpdateTime: Number(row.last_update_time),
    tags,
  };
}

/**
 * Loads experiments with their tags, in the order of the ids given; unknown ids are left out.
 * Two queries per chunk of ids, whatever their number.
 */
export async function loadExperiments(
  { db, caps }: SqlSource,
  experimentIds: readonly number[],
): Promise<Experiment[]> {
  const unique = [...new Set(experimentIds)];
  if (unique.length === 0) return [];
  const loaded = new Map<number, Experiment>();
  await Promise.all(
    chunked(unique, Math.max(1, caps.maxBindParameters - 16)).map(async (ids) => {
      const [rows, tagRows] = await Promise.all([
        db.selectFrom('experiments').selectAll().where('experiment_id', 'in', ids).execute(),
        db
          .selectFrom('experiment_tags')
          .selectAll()
          .where('experiment_id', 'in', ids)
          .orderBy('experiment_id')
          .orderBy('key')
          .execute(),
      ]);
      for (const row of rows) loaded.set(Number(row.experiment_id), experimentFromRow(row, []));
      for (const tag of tagRows)
        loaded.get(Number(tag.experiment_id))?.tags.push({ key: tag.key, value: tag.value });
    }),
  );
  const experiments: Experiment[] = [];
  for (const id of experimentIds) {
    const experiment = loaded.get(id);
    if (experiment) experiments.push(experiment);
  }
  return experiments;
}
