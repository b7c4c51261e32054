import { auditStamp, type Caller, type ObjectType } from '../../core/auth/index.js';
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
import type { AccessControl } from '../auth/index.js';
import * as experiments from './experiment-use-cases.js';
import * as loggedModels from './logged-model-use-cases.js';
import * as logging from './run-logging.js';
import * as runs from './run-use-cases.js';
import type { TrackingContext, VisibleFilter } from './tracking-context.js';
import { TrackingGuard } from './tracking-guard.js';

export interface TrackingServiceOptions {
  store: TrackingStore;
  access: AccessControl;
  /** The clock, epoch milliseconds; `Date.now` by default. */
  now?: () => number;
  /**
   * Called after an authenticated caller created an experiment, to grant them MANAGE on it (as
   * MLflow does); the app wires it to `grantCreatorManage`. Not called when authentication is off.
   */
  onExperimentCreated?: (caller: Caller, experimentId: string, workspace: string) => Promise<void>;
  /** Entries per ownership cache (experiments, runs, logged models): 50,000 by default. */
  ownershipCacheSize?: number;
}

/**
 * Experiment tracking with MLflow's rules: every input is validated (names, keys, lengths, batch
 * limits, search grammar) before the store sees it, with MLflow's messages; ids, artifact
 * locations and run names follow MLflow's forms. Errors are `KeelError`s. Inputs and outputs are
 * the domain's camelCase entities; the MLflow routes translate them to and from the wire.
 *
 * Every method takes the caller first and checks its permission on the experiment concerned
 * (MLflow's rules: reads READ; logging, tags, creating runs and models, renaming EDIT; deleting
 * and restoring MANAGE). What the caller may not read is answered exactly as if it did not exist,
 * and searches leave it out. Changes are audited under the caller's name.
 *
 * @example
 * const tracking = new TrackingService({ store, access });
 * const experimentId = await tracking.createExperiment(caller, { name: 'churn' });
 * const run = await tracking.createRun(caller, { experimentId, runName: 'baseline' });
 * await tracking.logMetric(caller, run.info.runId, { key: 'auc', value: 0.91, timestamp: Date.now(), step: 0 });
 */
export class TrackingService {
  private readonly ctx: TrackingContext;
  readonly #access: AccessControl;
  readonly #guard: TrackingGuard;
  readonly #onExperimentCreated: TrackingServiceOptions['onExperimentCreated'];

  constructor(options: TrackingServiceOptions) {
    this.ctx = { store: options.store, now: options.now ?? Date.now };
    this.#access = options.access;
    this.#guard = new TrackingGuard({
      store: options.store,
      access: options.access,
      cacheSize: options.ownershipCacheSize,
    });
    this.#onExperimentCreated = options.onExperimentCreated;
  }

  /**
   * The workspace an object belongs to, undefined when it does not exist: what `IdentityService`
   * needs to check permissions on it. Experiments only, for now.
   */
  async objectWorkspace(type: ObjectType, id: string): Promise<string | undefined> {
    return type === 'experiment' ? this.#guard.experimentWorkspace(id) : undefined;
  }

  // Experiments

  /**
   * Creates the experiment in the caller's workspace (the editor role there is needed) and returns
   * its id. `RESOURCE_ALREADY_EXISTS` when the name is taken in the workspace (even by a deleted one).
   */
  async createExperiment(caller: Caller, input: experiments.CreateExperimentInput): Promise<string> {
    const workspace = caller.workspace;
    if (caller.user !== null) await this.#access.requireWorkspaceRole(caller, workspace, 'editor');
    const experimentId = await experiments.createExperiment(this.ctx, workspace, input, auditStamp(caller));
    this.#guard.rememberExperiment(experimentId, workspace);
    if (caller.user !== null && this.#onExperimentCreated)
      await this.#onExperimentCreated(caller, experimentId, workspace);
    return experimentId;
  }

  /** Active or deleted; `RESOURCE_DOES_NOT_EXIST` for an unknown (or non-numeric, or unreadable) id. */
  async getExperiment(caller: Caller, experimentId: string): Promise<Experiment> {
    if (caller.user !== null && !this.#guard.experimentPasses(caller, experimentId, 'READ'))
      await this.#guard.experiment(caller, experimentId, 'READ');
    return this.ctx.store.getExperiment(experimentId);
  }

  /**
   * By name in the caller's workspace; active or deleted. `RESOURCE_DOES_NOT_EXIST` "Could not find
   * experiment with name 'X'" when absent or unreadable.
   */
  async getExperimentByName(caller: Caller, name: string): Promise<Experiment> {
    const experiment = await experiments.getExperimentByName(this.ctx, caller.workspace, name);
    if (caller.user !== null) {
      this.#guard.rememberExperiment(experiment.experimentId, experiment.workspace);
      await this.#guard.experiment(caller, experiment.experimentId, 'READ', () =>
        experiments.experimentNameNotFound(name),
      );
    }
    return experiment;
  }

  /** The experiments of the caller's workspace that match and that the caller may read. */
  async searchExperiments(
    caller: Caller,
    input: experiments.SearchExperimentsInput,
  ): Promise<Page<Experiment>> {
    const readable =
      caller.user === null ? undefined : await this.#access.readable(caller, 'experiment', caller.workspace);
    return experiments.searchExperiments(this.ctx, caller.workspace, readable, input);
  }

  /** EDIT. `INVALID_STATE` when the experiment is deleted; `RESOURCE_ALREADY_EXISTS` when the name is taken. */
  async renameExperiment(caller: Caller, experimentId: string, newName: string): Promise<void> {
    if (caller.user !== null && !this.#guard.experimentPasses(caller, experimentId, 'EDIT'))
      await this.#guard.experiment(caller, experimentId, 'EDIT');
    return experiments.renameExperiment(this.ctx, experimentId, newName, auditStamp(caller));
  }

  /** MANAGE. Soft-deletes the experiment and its runs; `RESOURCE_DOES_NOT_EXIST` when unknown or already deleted. */
  async deleteExperiment(caller: Caller, experimentId: string): Promise<void> {
    if (caller.user !== null && !this.#guard.experimentPasses(caller, experimentId, 'MANAGE'))
      await this.#guard.experiment(caller, experimentId, 'MANAGE');
    return this.ctx.store.deleteExperiment(experimentId, this.ctx.now(), auditStamp(caller));
  }

  /** MANAGE. Restores the experiment and its runs; `RESOURCE_DOES_NOT_EXIST` when unknown or active. */
  async restoreExperiment(caller: Caller, experimentId: string): Promise<void> {
    if (caller.user !== null && !this.#guard.experimentPasses(caller, experimentId, 'MANAGE'))
      await this.#guard.experiment(caller, experimentId, 'MANAGE');
    return this.ctx.store.restoreExperiment(experimentId, this.ctx.now(), auditStamp(caller));
  }

  async setExperimentTag(caller: Caller, experimentId: string, tag: Tag): Promise<void> {
    if (caller.user !== null && !this.#guard.experimentPasses(caller, experimentId, 'EDIT'))
      await this.#guard.experiment(caller, experimentId, 'EDIT');
    return experiments.setExperimentTag(this.ctx, experimentId, tag);
  }

  async deleteExperimentTag(caller: Caller, experimentId: string, key: string): Promise<void> {
    if (caller.user !== null && !this.#guard.experimentPasses(caller, experimentId, 'EDIT'))
      await this.#guard.experiment(caller, experimentId, 'EDIT');
    return this.ctx.store.deleteExperimentTag(experimentId, key);
  }

  // Runs

  /** EDIT on the experiment (the Default experiment "0" when none is given). */
  async createRun(caller: Caller, input: runs.CreateRunInput): Promise<Run> {
    const experimentId = input.experimentId || '0';
    if (caller.user !== null && !this.#guard.experimentPasses(caller, experimentId, 'EDIT'))
      await this.#guard.experiment(caller, experimentId, 'EDIT');
    const run = await runs.createRun(this.ctx, { ...input, experimentId }, auditStamp(caller));
    this.#guard.rememberRun(run.info.runId, experimentId);
    return run;
  }

  async getRun(caller: Caller, runId: string): Promise<Run> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'READ'))
      await this.#guard.run(caller, runId, 'READ');
    return this.ctx.store.getRun(runId);
  }

  async updateRun(caller: Caller, runId: string, input: runs.UpdateRunInput): Promise<RunInfo> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'EDIT'))
      await this.#guard.run(caller, runId, 'EDIT');
    return runs.updateRun(this.ctx, runId, input, auditStamp(caller));
  }

  async deleteRun(caller: Caller, runId: string): Promise<void> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'MANAGE'))
      await this.#guard.run(caller, runId, 'MANAGE');
    return this.ctx.store.deleteRun(runId, this.ctx.now(), auditStamp(caller));
  }

  async restoreRun(caller: Caller, runId: string): Promise<void> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'MANAGE'))
      await this.#guard.run(caller, runId, 'MANAGE');
    return this.ctx.store.restoreRun(runId, auditStamp(caller));
  }

  /** Experiments the caller may not read (or that do not exist) are left out, silently. */
  searchRuns(caller: Caller, input: runs.SearchRunsInput): Promise<Page<Run>> {
    return runs.searchRuns(this.ctx, input, this.#readableExperiments(caller));
  }

  // Logging to runs (EDIT)

  async logMetric(caller: Caller, runId: string, metric: Metric): Promise<void> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'EDIT'))
      await this.#guard.run(caller, runId, 'EDIT');
    return logging.logMetric(this.ctx, runId, metric);
  }

  /** A param is write-once: the same value again is fine, another value is `INVALID_PARAMETER_VALUE`. */
  async logParam(caller: Caller, runId: string, param: Param): Promise<void> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'EDIT'))
      await this.#guard.run(caller, runId, 'EDIT');
    return logging.logParam(this.ctx, runId, param);
  }

  async setTag(caller: Caller, runId: string, tag: Tag): Promise<void> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'EDIT'))
      await this.#guard.run(caller, runId, 'EDIT');
    return logging.setTag(this.ctx, runId, tag);
  }

  async deleteTag(caller: Caller, runId: string, key: string): Promise<void> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'EDIT'))
      await this.#guard.run(caller, runId, 'EDIT');
    return this.ctx.store.deleteTag(runId, key);
  }

  /** All or nothing: a batch that breaks any rule stores nothing. */
  async logBatch(caller: Caller, runId: string, batch: logging.LogBatchInput): Promise<void> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'EDIT'))
      await this.#guard.run(caller, runId, 'EDIT');
    return logging.logBatch(this.ctx, runId, batch);
  }

  async logInputs(
    caller: Caller,
    runId: string,
    inputs: { datasets: DatasetInput[]; models: ModelInput[] },
  ): Promise<void> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'EDIT'))
      await this.#guard.run(caller, runId, 'EDIT');
    return logging.logInputs(this.ctx, runId, inputs);
  }

  /** Legacy (MLflow <= 2.x) `log_model`: appends the MLmodel JSON to the run's `mlflow.log-model.history` tag. */
  async logModel(caller: Caller, runId: string, modelJson: string): Promise<void> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'EDIT'))
      await this.#guard.run(caller, runId, 'EDIT');
    return logging.logModel(this.ctx, runId, modelJson);
  }

  async logOutputs(caller: Caller, runId: string, models: ModelOutput[]): Promise<void> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'EDIT'))
      await this.#guard.run(caller, runId, 'EDIT');
    return this.ctx.store.logOutputs(runId, models);
  }

  /**
   * Up to 25,000 points a page (the default). An unknown key is an empty page; so is an unknown run
   * when authentication is off (the store's answer), while with authentication on an unknown or
   * unreadable run is `RESOURCE_DOES_NOT_EXIST`, as MLflow's auth app answers.
   */
  async getMetricHistory(
    caller: Caller,
    runId: string,
    key: string,
    page: { maxResults?: number; pageToken?: string },
  ): Promise<Page<Metric>> {
    if (caller.user !== null && !this.#guard.runPasses(caller, runId, 'READ'))
      await this.#guard.run(caller, runId, 'READ');
    return logging.getMetricHistory(this.ctx, runId, key, page);
  }

  /** Runs the caller may not read (or that do not exist) are left out, silently. */
  getMetricHistoryBulkInterval(caller: Caller, input: logging.BulkIntervalInput): Promise<RunMetric[]> {
    return logging.getMetricHistoryBulkInterval(this.ctx, input, this.#readableRuns(caller));
  }

  // Logged models (MLflow 3)

  /** EDIT on the experiment; the source run, when given, must be readable. */
  async createLoggedModel(caller: Caller, input: loggedModels.CreateLoggedModelInput): Promise<LoggedModel> {
    if (caller.user !== null) {
      await this.#guard.experiment(caller, input.experimentId, 'EDIT');
      if (input.sourceRunId) await this.#guard.run(caller, input.sourceRunId, 'READ');
    }
    const model = await loggedModels.createLoggedModel(this.ctx, input, auditStamp(caller));
    this.#guard.rememberLoggedModel(model.modelId, model.experimentId);
    return model;
  }

  async getLoggedModel(caller: Caller, modelId: string): Promise<LoggedModel> {
    if (caller.user !== null) await this.#guard.loggedModel(caller, modelId, 'READ');
    return this.ctx.store.getLoggedModel(modelId);
  }

  async finalizeLoggedModel(caller: Caller, modelId: string, status: string | number): Promise<LoggedModel> {
    if (caller.user !== null) await this.#guard.loggedModel(caller, modelId, 'EDIT');
    return loggedModels.finalizeLoggedModel(this.ctx, modelId, status, auditStamp(caller));
  }

  async deleteLoggedModel(caller: Caller, modelId: string): Promise<void> {
    if (caller.user !== null) await this.#guard.loggedModel(caller, modelId, 'MANAGE');
    return this.ctx.store.deleteLoggedModel(modelId, this.ctx.now(), auditStamp(caller));
  }

  async setLoggedModelTags(caller: Caller, modelId: string, tags: Tag[]): Promise<LoggedModel> {
    if (caller.user !== null) await this.#guard.loggedModel(caller, modelId, 'EDIT');
    return loggedModels.setLoggedModelTags(this.ctx, modelId, tags);
  }

  async deleteLoggedModelTag(caller: Caller, modelId: string, key: string): Promise<void> {
    if (caller.user !== null) await this.#guard.loggedModel(caller, modelId, 'EDIT');
    return this.ctx.store.deleteLoggedModelTag(modelId, key);
  }

  async logLoggedModelParams(caller: Caller, modelId: string, params: Param[]): Promise<void> {
    if (caller.user !== null) await this.#guard.loggedModel(caller, modelId, 'EDIT');
    return loggedModels.logLoggedModelParams(this.ctx, modelId, params);
  }

  /** Experiments the caller may not read (or that do not exist) are left out, silently. */
  searchLoggedModels(
    caller: Caller,
    input: loggedModels.SearchLoggedModelsInput,
  ): Promise<Page<LoggedModel>> {
    return loggedModels.searchLoggedModels(this.ctx, input, this.#readableExperiments(caller));
  }

  #readableExperiments(caller: Caller): VisibleFilter | undefined {
    return caller.user === null ? undefined : (ids) => this.#guard.readableExperiments(caller, ids);
  }

  #readableRuns(caller: Caller): VisibleFilter | undefined {
    return caller.user === null ? undefined : (ids) => this.#guard.readableRuns(caller, ids);
  }
}
