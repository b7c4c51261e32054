import { KeelError } from '../../core/errors.js';
import {
  METRIC_HISTORY_MAX_RESULTS,
  resolveMaxResults,
  validateBatch,
  validateBulkIntervalRequest,
  validateDatasetInputs,
  validateMetric,
  validateParam,
  validateTag,
  type DatasetInput,
  type Metric,
  type ModelInput,
  type Page,
  type Param,
  type RunMetric,
  type Tag,
} from '../../core/tracking/index.js';
import type { TrackingContext, VisibleFilter } from './tracking-context.js';

/**
 * Writes to a run. Every write is validated whole before the store is called, and the store writes
 * it in one transaction, so a request that fails stores nothing. Long param values are cut to 6000
 * characters and run tag values to 8000, as MLflow does by default.
 */

export interface LogBatchInput {
  metrics: Metric[];
  params: Param[];
  tags: Tag[];
}

export interface BulkIntervalInput {
  runIds: string[];
  key: string;
  startStep?: number;
  endStep?: number;
  /** Points per run, 1 to 2500; 2500 when absent. */
  maxResults?: number;
}

const none = { metrics: [], params: [], tags: [] };

export async function logMetric(ctx: TrackingContext, runId: string, metric: Metric): Promise<void> {
  await ctx.store.logBatch(runId, { ...none, metrics: [validateMetric(metric)] });
}

export async function logParam(ctx: TrackingContext, runId: string, param: Param): Promise<void> {
  await ctx.store.logBatch(runId, { ...none, params: [validateParam(param)] });
}

export async function setTag(ctx: TrackingContext, runId: string, tag: Tag): Promise<void> {
  await ctx.store.logBatch(runId, { ...none, tags: [validateTag(tag)] });
}

export async function logBatch(ctx: TrackingContext, runId: string, batch: LogBatchInput): Promise<void> {
  // An empty batch still goes to the store: the run must exist and be active, as for any write.
  await ctx.store.logBatch(runId, validateBatch(batch));
}

export async function logInputs(
  ctx: TrackingContext,
  runId: string,
  inputs: { datasets: DatasetInput[]; models: ModelInput[] },
): Promise<void> {
  validateDatasetInputs(inputs.datasets);
  await ctx.store.logInputs(runId, inputs);
}

export async function getMetricHistory(
  ctx: TrackingContext,
  runId: string,
  key: string,
  page: { maxResults?: number; pageToken?: string },
): Promise<Page<Metric>> {
  return ctx.store.getMetricHistory(runId, key, {
    maxResults: resolveMaxResults(page.maxResults, METRIC_HISTORY_MAX_RESULTS),
    pageToken: page.pageToken || undefined,
  });
}

/** `visible` keeps the runs the caller may read; the others are left out as if absent. */
export async function getMetricHistoryBulkInterval(
  ctx: TrackingContext,
  input: BulkIntervalInput,
  visible?: VisibleFilter,
): Promise<RunMetric[]> {
  const request = validateBulkIntervalRequest({
    runIds: input.runIds,
    metricKey: input.key,
    startStep: input.startStep,
    endStep: input.endStep,
    maxResults: input.maxResults,
  });
  const unique = [...new Set(request.runIds)];
  const runIds = visible ? await visible(unique) : unique;
  if (runIds.length === 0) return [];
  return ctx.store.getMetricHistoryBulkInterval({ ...request, runIds });
}

/** The run tag where MLflow 2.x clients record every model logged to the run (a JSON list). */
export const loggedModelsHistoryTag = 'mlflow.log-model.history';

/**
 * Legacy `runs/log-model` (MLflow <= 2.x `log_model`): appends the model's MLmodel JSON to the run's
 * `mlflow.log-model.history` tag. The value is server-built JSON, so it is not cut to 8000 characters.
 */
export async function logModel(ctx: TrackingContext, runId: string, modelJson: string): Promise<void> {
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    model = undefined;
  }
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Malformed model info. 'model_json' must be a JSON object, got ${JSON.stringify(modelJson.slice(0, 200))}.`,
    );
  }
  await ctx.store.appendToRunTagList(runId, loggedModelsHistoryTag, model);
}
