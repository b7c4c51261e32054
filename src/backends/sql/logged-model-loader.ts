import { sql, type Selectable } from 'kysely';
import { KeelError } from '../../core/errors.js';
import type { LifecycleStage, LoggedModel, LoggedModelStatus, Metric } from '../../core/tracking/index.js';
import { metricValueOf } from './metric-values.js';
import type { LoggedModelsTable } from './schema.js';
import type { SqlSource } from './sql-transaction.js';
import { chunked } from './statement-chunks.js';

export type LoggedModelRow = Selectable<LoggedModelsTable>;

const latestPartition = ['model_id', 'key', 'dataset_name', 'dataset_digest'] as const;

export function loggedModelNotFound(modelId: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${modelId}' not found.`);
}

export function loggedModelFromRow(row: LoggedModelRow): LoggedModel {
  return {
    modelId: row.model_id,
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactUri: row.artifact_location,
    creationTimestampMs: Number(row.creation_timestamp_ms),
    lastUpdatedTimestampMs: Number(row.last_updated_timestamp_ms),
    status: row.status as LoggedModelStatus,
    ...(row.status_message === null ? {} : { statusMessage: row.status_message }),
    ...(row.model_type === null ? {} : { modelType: row.model_type }),
    ...(row.source_run_id === null ? {} : { sourceRunId: row.source_run_id }),
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    tags: [],
    params: [],
    metrics: [],
  };
}

/**
 * Loads logged models (active or deleted) with their tags, params and the latest metric point per
 * (key, dataset) (highest step, then timestamp), in the
 * order of the ids given; unknown ids are left out. Four queries per chunk of ids.
 */
export async function loadLoggedModels(
  { db, caps }: SqlSource,
  modelIds: readonly string[],
): Promise<LoggedModel[]> {
  const unique = [...new Set(modelIds)];
  if (unique.length === 0) return [];
  const loaded = new Map<string, LoggedModel>();
  await Promise.all(
    chunked(unique, Math.max(1, caps.maxBindParameters - 16)).map(async (ids) => {
      const [rows, tagRows, paramRows, metricRows] = await Promise.all([
        db.selectFrom('logged_models').selectAll().where('model_id', 'in', ids).execute(),
        db
          .selectFrom('logged_model_tags')
          .selectAll()
          .where('model_id', 'in', ids)
          .orderBy('model_id')
          .orderBy('key')
          .execute(),
        db
          .selectFrom('logged_model_params')
          .selectAll()
          .where('model_id', 'in', ids)
          .orderBy('model_id')
          .orderBy('key')
          .execute(),
        // Only the latest point of each (key, dataset), as a run shows its latest metrics: a model's
        // full history can be long, and a search page loads many models.
        db
          .selectFrom((eb) =>
            eb
              .selectFrom('logged_model_metrics')
              .selectAll()
              .select(
                sql<number>`row_number() over (partition by ${sql.join(latestPartition.map((c) => sql.ref(c)))} order by ${sql.ref('step')} desc, ${sql.ref('timestamp')} desc, ${sql.ref('is_nan')} desc, ${sql.ref('value')} desc)`.as(
                  'recency',
                ),
              )
              .where('model_id', 'in', ids)
              .as('m'),
          )
          .selectAll()
          .where('recency', '=', 1)
          .orderBy('model_id')
          .orderBy('key')
          .orderBy('step')
          .orderBy('timestamp')
          .orderBy('value')
          .orderBy('dataset_name')
          .orderBy('dataset_digest')
          .execute(),
      ]);
      for (const row of rows) loaded.set(row.model_id, loggedModelFromRow(row));
      for (const row of tagRows) loaded.get(row.model_id)?.tags.push({ key: row.key, value: row.value });
      for (const row of paramRows) loaded.get(row.model_id)?.params.push({ key: row.key, value: row.value });
      for (const row of metricRows) {
        const metric: Metric = {
          key: row.key,
          value: metricValueOf(row.value, row.is_nan),
          timestamp: Number(row.timestamp),
          step: Number(row.step),
          modelId: row.model_id,
          ...(row.dataset_name === '' ? {} : { datasetName: row.dataset_name }),
          ...(row.dataset_digest === '' ? {} : { datasetDigest: row.dataset_digest }),
        };
        loaded.get(row.model_id)?.metrics.push(metric);
      }
    }),
  );
  const models: LoggedModel[] = [];
  for (const id of modelIds) {
    const model = loaded.get(id);
    if (model) models.push(model);
  }
  return models;
}
