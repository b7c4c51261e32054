import { sql } from 'kysely';
import type { Metric, Param, Tag } from '../../core/tracking/index.js';
import type { SqlCapabilities } from './dialect.js';
import { compareKeys, lastValuePerKey } from './key-order.js';
import { storedMetricValue } from './metric-values.js';
import { loggedModelNotFound } from './logged-model-loader.js';
import { assertRunActive, runNotFound } from './sql-run-store.js';
import { QueryTemplate } from './query-template.js';
import { inTransaction, type SqlSource, type Trx } from './sql-transaction.js';
import { chunked, rowsPerInsert, rowsPerStatement } from './statement-chunks.js';
import { writeOnceParams } from './write-once-params.js';

interface MetricRow {
  run_uuid: string;
  key: string;
  value: number;
  is_nan: number;
  timestamp: number;
  step: number;
}

const runState = new QueryTemplate((db, runId: string) =>
  db.selectFrom('runs').select('lifecycle_stage').where('run_uuid', '=', runId),
);

const insertMetrics = new QueryTemplate(
  (db, rows: MetricRow[]) =>
    db
      .insertInto('metrics')
      .values(rows)
      .onConflict((oc) => oc.doNothing()),
  (rows) => rows.length,
);

const pointColumns = ['step', 'timestamp', 'value', 'is_nan'];
const storedPoint = sql.join(pointColumns.map((column) => sql.ref(`latest_metrics.${column}`)));
const incomingPoint = sql.join(pointColumns.map((column) => sql.ref(`excluded.${column}`)));

/** Each key's latest point: a stored point is replaced only by a later one. */
const upsertLatestMetrics = new QueryTemplate(
  (db, rows: MetricRow[]) =>
    db
      .insertInto('latest_metrics')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['run_uuid', 'key'])
          .doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            is_nan: eb.ref('excluded.is_nan'),
            timestamp: eb.ref('excluded.timestamp'),
            step: eb.ref('excluded.step'),
          }))
          .where(sql<boolean>`(${incomingPoint}) > (${storedPoint})`),
      ),
  (rows) => rows.length,
);

const upsertTags = new QueryTemplate(
  (db, rows: { run_uuid: string; key: string; value: string }[]) =>
    db
      .insertInto('tags')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      ),
  (rows) => rows.length,
);

/**
 * The hot path of tracking. One transaction of few statements: the run's state, params (insert,
 * then a check only for keys that were already there), metric history (multi-row inserts that skip
 * stored points, `caps.maxInsertRows` rows each), each key's latest point (an upsert that keeps the
 * later point), tags (one upsert). Rows are sorted by key so concurrent batches lock in one order.
 * The statements are `QueryTemplate`s: compiled once per shape, bound anew per call.
 */
export async function logBatch(
  source: SqlSource,
  runId: string,
  batch: { metrics: Metric[]; params: Param[]; tags: Tag[] },
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const [run] = (await runState.execute(trx, source.caps, runId)).rows;
    if (!run) throw runNotFound(runId);
    assertRunActive(runId, run.lifecycle_stage);
    if (batch.params.length > 0) await writeParams(trx, source.caps, runId, batch.params);
    if (batch.metrics.length > 0) await writeMetrics(trx, source.caps, runId, batch.metrics);
    if (batch.tags.length > 0) await writeTags(trx, source.caps, runId, batch.tags);
  });
}

function writeParams(
  trx: Trx,
  caps: SqlCapabilities,
  runId: string,
  params: readonly Param[],
): Promise<void> {
  return writeOnceParams(trx, caps, { table: 'params', id: runId }, params);
}

/** Orders metric points by (step, timestamp, value, is_nan): the history order and "later" for latest. */
function comparePoints(a: MetricRow, b: MetricRow): number {
  return (
    a.step - b.step || a.timestamp - b.timestamp || compareNumbers(a.value, b.value) || a.is_nan - b.is_nan
  );
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function writeMetrics(
  trx: Trx,
  caps: SqlCapabilities,
  runId: string,
  metrics: readonly Metric[],
): Promise<void> {
  const given: MetricRow[] = metrics.map((metric) => {
    const { value, is_nan } = storedMetricValue(metric.value);
    return {
      run_uuid: runId,
      key: metric.key,
      value,
      is_nan,
      timestamp: metric.timestamp,
      step: metric.step,
    };
  });
  // Sorted (stably) by key then point, equal points sit together: keep the last of each.
  given.sort((a, b) => compareKeys(a.key, b.key) || comparePoints(a, b));
  const rows: MetricRow[] = [];
  for (let i = 0; i < given.length; i++) {
    const row = given[i]!;
    const next = given[i + 1];
    if (next === undefined || next.key !== row.key || comparePoints(row, next) !== 0) rows.push(row);
  }
  for (const slice of chunked(rows, rowsPerInsert(caps, 6))) {
    await insertMetrics.execute(trx, caps, slice);
  }

  // Rows are sorted by key, then point: the last row of each key is its latest in this batch.
  const latest: MetricRow[] = [];
  for (const row of rows) {
    if (latest.length > 0 && latest[latest.length - 1]!.key === row.key) latest[latest.length - 1] = row;
    else latest.push(row);
  }
  for (const slice of chunked(latest, rowsPerInsert(caps, 6))) {
    await upsertLatestMetrics.execute(trx, caps, slice);
  }

  const modelRows = metrics
    .filter((metric) => metric.modelId !== undefined && metric.modelId !== '')
    .map((metric) => ({
      model_id: metric.modelId!,
      key: metric.key,
      ...storedMetricValue(metric.value),
      timestamp: metric.timestamp,
      step: metric.step,
      run_uuid: runId,
      dataset_name: metric.datasetName ?? '',
      dataset_digest: metric.datasetDigest ?? '',
    }));
  if (modelRows.length > 0) await writeModelMetrics(trx, caps, modelRows);
}

async function writeModelMetrics(
  trx: Trx,
  caps: SqlCapabilities,
  rows: (MetricRow & { model_id: string; dataset_name: string; dataset_digest: string })[],
): Promise<void> {
  const modelIds = [...new Set(rows.map((row) => row.model_id))];
  const found = new Set<string>();
  for (const slice of chunked(modelIds, rowsPerStatement(caps, 1))) {
    const existing = await trx
      .selectFrom('logged_models')
      .select('model_id')
      .where('model_id', 'in', slice)
      .execute();
    for (const row of existing) found.add(row.model_id);
  }
  const missing = modelIds.find((id) => !found.has(id));
  if (missing !== undefined) throw loggedModelNotFound(missing);
  rows.sort(
    (a, b) =>
      compareKeys(a.model_id, b.model_id) ||
      compareKeys(a.key, b.key) ||
      comparePoints(a, b) ||
      compareKeys(a.dataset_name, b.dataset_name) ||
      compareKeys(a.dataset_digest, b.dataset_digest),
  );
  for (const slice of chunked(rows, rowsPerStatement(caps, 9))) {
    await trx
      .insertInto('logged_model_metrics')
      .values(slice)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

async function writeTags(
  trx: Trx,
  caps: SqlCapabilities,
  runId: string,
  tags: readonly Tag[],
): Promise<void> {
  const rows = lastValuePerKey(tags).map((tag) => ({ run_uuid: runId, key: tag.key, value: tag.value }));
  for (const slice of chunked(rows, rowsPerStatement(caps, 3))) {
    await upsertTags.execute(trx, caps, slice);
  }
  const runName = rows.find((row) => row.key === 'mlflow.runName');
  if (runName) {
    await trx.updateTable('runs').set({ name: runName.value }).where('run_uuid', '=', runId).execute();
  }
}
