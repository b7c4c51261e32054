import type {
  DatasetInput,
  Experiment,
  LoggedModel,
  Metric,
  ModelInput,
  ModelOutput,
  Page,
  Param,
  Run,
  RunInfo,
  RunMetric,
  Tag,
  TrackingStore,
} from '../../core/tracking/index.js';
import * as experiments from './experiment-use-cases.js';
import * as loggedModels from './logged-model-use-cases.js';
import * as logging from './run-logging.js';
import * as runs from './run-use-cases.js';
import type { TrackingContext } from './tracking-context.js';

export interface TrackingServiceOptions {
  store: TrackingStore;
  /** The clock, epoch milliseconds; `Date.now` by default. */
  now?: () => number;
}

/**
 * Experiment tracking with MLflow's rules: every input is validated (names, keys, lengths, batch
 * limits, search grammar) before the store sees it, with MLflow's messages; ids, artifact
 * locations and run names follow MLflow's forms. Errors are `KeelError`s. Inputs and outputs are
 * the domain's camelCase entities; the MLflow routes translate them to and from the wire.
 *
 * @example
 * const tracking = new TrackingService({ store });
 * const experimentId = await tracking.createExperiment({ name: 'churn' });
 * const run = await tracking.createRun({ experimentId, runName: 'baseline' });
 * await tracking.logMetric(run.info.runId, { key: 'auc', value: 0.91, timestamp: Date.now(), step: 0 });
 */
export class TrackingService {
  private readonly ctx: TrackingContext;

  constructor(options: TrackingServiceOptions) {
    this.ctx = { store: options.store, now: options.now ?? Date.now };
  }

  // Experiments

  /** Returns the new experiment's id. `RESOURCE_ALREADY_EXISTS` when the name is taken (even by a deleted one). */
  createExperiment(input: experiments.CreateExperimentInput): Promise<string> {
    return experiments.createExperiment(this.ctx, input);
  }

  /** Active or deleted; `RESOURCE_DOES_NOT_EXIST` for an unknown (or non-numeric) id. */
  getExperiment(experimentId: string): Promise<Experiment> {
    return this.ctx.store.getExperiment(experimentId);
  }

  /** Active or deleted; `RESOURCE_DOES_NOT_EXIST` "Could not find experiment with name 'X'". */
  getExperimentByName(name: string): Promise<Experiment> {
    return experiments.getExperimentByName(this.ctx, name);
  }

  searchExperiments(input: experiments.SearchExperimentsInput): Promise<Page<Experiment>> {
    return experiments.searchExperiments(this.ctx, input);
  }

  /** `INVALID_STATE` when the experiment is deleted; `RESOURCE_ALREADY_EXISTS` when the name is taken. */
  renameExperiment(experimentId: string, newName: string): Promise<void> {
    return experiments.renameExperiment(this.ctx, experimentId, newName);
  }

  /** Soft-deletes the experiment and its runs; `RESOURCE_DOES_NOT_EXIST` when unknown or already deleted. */
  deleteExperiment(experimentId: string): Promise<void> {
    return this.ctx.store.deleteExperiment(experimentId, this.ctx.now());
  }

  /** Restores the experiment and its runs; `RESOURCE_DOES_NOT_EXIST` when unknown or active. */
  restoreExperiment(experimentId: string): Promise<void> {
    return this.ctx.store.restoreExperiment(experimentId, this.ctx.now());
  }

  setExperimentTag(experimentId: string, tag: Tag): Promise<void> {
    return experiments.setExperimentTag(this.ctx, experimentId, tag);
  }

  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.ctx.store.deleteExperimentTag(experimentId, key);
  }

  // Runs

  createRun(input: runs.CreateRunInput): Promise<Run> {
    return runs.createRun(this.ctx, input);
  }

  getRun(runId: string): Promise<Run> {
    return this.ctx.store.getRun(runId);
  }

  updateRun(runId: string, input: runs.UpdateRunInput): Promise<RunInfo> {
    return runs.updateRun(this.ctx, runId, input);
  }

  deleteRun(runId: string): Promise<void> {
    return this.ctx.store.deleteRun(runId, this.ctx.now());
  }

  restoreRun(runId: string): Promise<void> {
    return this.ctx.store.restoreRun(runId);
  }

  searchRuns(input: runs.SearchRunsInput): Promise<Page<Run>> {
    return runs.searchRuns(this.ctx, input);
  }

  // Logging to runs

  logMetric(runId: string, metric: Metric): Promise<void> {
    return logging.logMetric(this.ctx, runId, metric);
  }

  /** A param is write-once: the same value again is fine, another value is `INVALID_PARAMETER_VALUE`. */
  logParam(runId: string, param: Param): Promise<void> {
    return logging.logParam(this.ctx, runId, param);
  }

  setTag(runId: string, tag: Tag): Promise<void> {
    return logging.setTag(this.ctx, runId, tag);
  }

  deleteTag(runId: string, key: string): Promise<void> {
    return this.ctx.store.deleteTag(runId, key);
  }

  /** All or nothing: a batch that breaks any rule stores nothing. */
  logBatch(runId: string, batch: logging.LogBatchInput): Promise<void> {
    return logging.logBatch(this.ctx, runId, batch);
  }

  logInputs(runId: string, inputs: { datasets: DatasetInput[]; models: ModelInput[] }): Promise<void> {
    return logging.logInputs(this.ctx, runId, inputs);
  }

  /** Legacy (MLflow <= 2.x) `log_model`: appends the MLmodel JSON to the run's `mlflow.log-model.history` tag. */
  logModel(runId: string, modelJson: string): Promise<void> {
    return logging.logModel(this.ctx, runId, modelJson);
  }

  logOutputs(runId: string, models: ModelOutput[]): Promise<void> {
    return this.ctx.store.logOutputs(runId, models);
  }

  /** Up to 25,000 points a page (the default); an unknown run or key is an empty page. */
  getMetricHistory(
    runId: string,
    key: string,
    page: { maxResults?: number; pageToken?: string },
  ): Promise<Page<Metric>> {
    return logging.getMetricHistory(this.ctx, runId, key, page);
  }

  getMetricHistoryBulkInterval(input: logging.BulkIntervalInput): Promise<RunMetric[]> {
    return logging.getMetricHistoryBulkInterval(this.ctx, input);
  }

  // Logged models (MLflow 3)

  createLoggedModel(input: loggedModels.CreateLoggedModelInput): Promise<LoggedModel> {
    return loggedModels.createLoggedModel(this.ctx, input);
  }

  getLoggedModel(modelId: string): Promise<LoggedModel> {
    return this.ctx.store.getLoggedModel(modelId);
  }

  finalizeLoggedModel(modelId: string, status: string | number): Promise<LoggedModel> {
    return loggedModels.finalizeLoggedModel(this.ctx, modelId, status);
  }

  deleteLoggedModel(modelId: string): Promise<void> {
    return this.ctx.store.deleteLoggedModel(modelId, this.ctx.now());
  }

  setLoggedModelTags(modelId: string, tags: Tag[]): Promise<LoggedModel> {
    return loggedModels.setLoggedModelTags(this.ctx, modelId, tags);
  }

  deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    return this.ctx.store.deleteLoggedModelTag(modelId, key);
  }

  logLoggedModelParams(modelId: string, params: Param[]): Promise<void> {
    return loggedModels.logLoggedModelParams(this.ctx, modelId, params);
  }

  searchLoggedModels(input: loggedModels.SearchLoggedModelsInput): Promise<Page<LoggedModel>> {
    return loggedModels.searchLoggedModels(this.ctx, input);
  }
}
