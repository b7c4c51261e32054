import type { Selectable } from 'kysely';
import type {
  DatasetInput,
  LifecycleStage,
  Metric,
  ModelOutput,
  Run,
  RunInfo,
  RunStatus,
  Tag,
} from '../../core/tracking/index.js';
import { metricValueOf } from './metric-values.js';
import type { RunsTable } from './schema.js';
import type { SqlSource } from './sql-transaction.js';
import { QueryTemplate } from './query-template.js';
import { chunked } from './statement-chunks.js';

/** A `runs` row as read. */
export type RunRow = Selectable<RunsTable>;

export function runInfoFromRow(row: RunRow): RunInfo {
  return {
    runId: row.run_uuid,
    runName: row.name,
    experimentId: String(row.experiment_id),
    userId: row.user_id,
    status: row.status as RunStatus,
    startTime: Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    artifactUri: row.artifact_uri,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
  };
}

/**
 * Loads full runs (info, latest metrics, params, tags, dataset and model inputs, model outputs) for
 * a list of run ids, in the order given; unknown ids are left out. Per chunk of ids: the runs (with
 * flags saying which have inputs or outputs), latest metrics, params and tags concurrently, then
 * inputs and outputs only for the runs that have any: round trips do not grow with the runs.
 *
 * @example
 * const [run] = await loadRuns(sqlDatabase, [runId]);
 */
export async function loadRuns(source: SqlSource, runIds: readonly string[]): Promise<Run[]> {
  const unique = [...new Set(runIds)];
  if (unique.length === 0) return [];
  const loaded = new Map<string, Run>();
  const chunks = chunked(unique, Math.max(1, source.caps.maxBindParameters - 16));
  await Promise.all(chunks.map((ids) => loadChunk(source, ids, loaded)));
  const runs: Run[] = [];
  for (const id of runIds) {
    const run = loaded.get(id);
    if (run) runs.push(run);
  }
  return runs;
}

const byIdCount = (ids: readonly string[]) => ids.length;

/** The runs, and whether each has dataset inputs, model inputs or model outputs (usually none). */
const selectRuns = new QueryTemplate(
  (db, ids: string[]) =>
    db
      .selectFrom('runs')
      .selectAll('runs')
      .select((eb) => [
        eb
          .exists(
            eb
              .selectFrom('run_dataset_inputs as i')
              .select('i.run_uuid')
              .whereRef('i.run_uuid', '=', 'runs.run_uuid'),
          )
          .as('has_dataset_inputs'),
        eb
          .exists(
            eb
              .selectFrom('run_model_inputs as mi')
              .select('mi.run_uuid')
              .whereRef('mi.run_uuid', '=', 'runs.run_uuid'),
          )
          .as('has_model_inputs'),
        eb
          .exists(
            eb
              .selectFrom('run_model_outputs as mo')
              .select('mo.run_uuid')
              .whereRef('mo.run_uuid', '=', 'runs.run_uuid'),
          )
          .as('has_model_outputs'),
      ])
      .where('run_uuid', 'in', ids),
  byIdCount,
);

const selectLatestMetrics = new QueryTemplate(
  (db, ids: string[]) =>
    db
      .selectFrom('latest_metrics')
      .select(['run_uuid', 'key', 'value', 'is_nan', 'timestamp', 'step'])
      .where('run_uuid', 'in', ids)
      .orderBy('run_uuid')
      .orderBy('key'),
  byIdCount,
);

const selectParams = new QueryTemplate(
  (db, ids: string[]) =>
    db
      .selectFrom('params')
      .select(['run_uuid', 'key', 'value'])
      .where('run_uuid', 'in', ids)
      .orderBy('run_uuid')
      .orderBy('key'),
  byIdCount,
);

const selectTags = new QueryTemplate(
  (db, ids: string[]) =>
    db
      .selectFrom('tags')
      .select(['run_uuid', 'key', 'value'])
      .where('run_uuid', 'in', ids)
      .orderBy('run_uuid')
      .orderBy('key'),
  byIdCount,
);

async function loadChunk({ db, caps }: SqlSource, ids: string[], loaded: Map<string, Run>): Promise<void> {
  const [{ rows: runRows }, { rows: metricRows }, { rows: paramRows }, { rows: tagRows }] = await Promise.all(
    [
      selectRuns.execute(db, caps, ids),
      selectLatestMetrics.execute(db, caps, ids),
      selectParams.execute(db, caps, ids),
      selectTags.execute(db, caps, ids),
    ],
  );
  // Inputs and outputs are read only for the runs that have any.
  const withDatasets = runRows.filter((row) => row.has_dataset_inputs).map((row) => row.run_uuid);
  const withModelInputs = runRows.filter((row) => row.has_model_inputs).map((row) => row.run_uuid);
  const withModelOutputs = runRows.filter((row) => row.has_model_outputs).map((row) => row.run_uuid);
  const none = Promise.resolve([]);
  const [datasetRows, datasetTagRows, modelInputRows, modelOutputRows] = await Promise.all([
    withDatasets.length === 0
      ? none
      : db
          .selectFrom('run_dataset_inputs as i')
          .innerJoin('datasets as d', 'd.dataset_uuid', 'i.dataset_uuid')
          .select([
            'i.run_uuid',
            'd.dataset_uuid',
            'd.name',
            'd.digest',
            'd.source_type',
            'd.source',
            'd.schema',
            'd.profile',
          ])
          .where('i.run_uuid', 'in', withDatasets)
          .orderBy('i.run_uuid')
          .orderBy('d.name')
          .orderBy('d.digest')
          .execute(),
    withDatasets.length === 0
      ? none
      : db
          .selectFrom('run_dataset_input_tags')
          .selectAll()
          .where('run_uuid', 'in', withDatasets)
          .orderBy('run_uuid')
          .orderBy('dataset_uuid')
          .orderBy('key')
          .execute(),
    withModelInputs.length === 0
      ? none
      : db
          .selectFrom('run_model_inputs')
          .selectAll()
          .where('run_uuid', 'in', withModelInputs)
          .orderBy('run_uuid')
          .orderBy('model_id')
          .execute(),
    withModelOutputs.length === 0
      ? none
      : db
          .selectFrom('run_model_outputs')
          .selectAll()
          .where('run_uuid', 'in', withModelOutputs)
          .orderBy('run_uuid')
          .orderBy('model_id')
          .execute(),
  ]);

  for (const row of runRows) {
    loaded.set(row.run_uuid, {
      info: runInfoFromRow(row),
      data: { metrics: [], params: [], tags: [] },
      inputs: { datasetInputs: [], modelInputs: [] },
      outputs: { modelOutputs: [] },
    });
  }
  for (const row of metricRows) {
    const metric: Metric = {
      key: row.key,
      value: metricValueOf(row.value, row.is_nan),
      timestamp: Number(row.timestamp),
      step: Number(row.step),
    };
    loaded.get(row.run_uuid)?.data.metrics.push(metric);
  }
  for (const row of paramRows) loaded.get(row.run_uuid)?.data.params.push({ key: row.key, value: row.value });
  for (const row of tagRows) loaded.get(row.run_uuid)?.data.tags.push({ key: row.key, value: row.value });

  const inputTags = new Map<string, Tag[]>();
  for (const row of datasetTagRows) {
    const id = `${row.run_uuid}/${row.dataset_uuid}`;
    const tags = inputTags.get(id) ?? [];
    tags.push({ key: row.key, value: row.value });
    inputTags.set(id, tags);
  }
  for (const row of datasetRows) {
    const input: DatasetInput = {
      dataset: {
        name: row.name,
        digest: row.digest,
        sourceType: row.source_type,
        source: row.source,
        ...(row.schema === null ? {} : { schema: row.schema }),
        ...(row.profile === null ? {} : { profile: row.profile }),
      },
      tags: inputTags.get(`${row.run_uuid}/${row.dataset_uuid}`) ?? [],
    };
    loaded.get(row.run_uuid)?.inputs.datasetInputs.push(input);
  }
  for (const row of modelInputRows)
    loaded.get(row.run_uuid)?.inputs.modelInputs.push({ modelId: row.model_id });
  for (const row of modelOutputRows) {
    const output: ModelOutput = { modelId: row.model_id, step: Number(row.step) };
    loaded.get(row.run_uuid)?.outputs.modelOutputs.push(output);
  }
}
