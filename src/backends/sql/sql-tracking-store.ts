import type {
  DatasetInput,
  Experiment,
  LoggedModel,
  LoggedModelStatus,
  Metric,
  ModelInput,
  ModelOutput,
  Page,
  Param,
  Run,
  RunInfo,
  RunMetric,
  RunStatus,
  Tag,
} from '../../core/tracking/index.js';
import type {
  ExperimentSearchQuery,
  LoggedModelSearchQuery,
  PurgedRows,
  RunSearchQuery,
  ExperimentStore,
  LoggedModelStore,
  RunStore,
  TrackingStore,
} from '../../core/tracking/index.js';
import { translateDriverError } from './driver-errors.js';
import type { SqlDatabase } from './open-database.js';
import { searchExperiments, searchLoggedModels, searchRuns } from './search/index.js';
import * as experiments from './sql-experiment-store.js';
import * as garbage from './sql-garbage.js';
import * as loggedModels from './sql-logged-model-store.js';
import * as metricReads from './sql-metric-reads.js';
import { logBatch } from './sql-metric-writes.js';
import * as runs from './sql-run-store.js';
import { appendToRunTagList } from './sql-run-tag-lists.js';

/**
 * The tracking store on SQLite or PostgreSQL, one code path for both. Each method is one
 * transaction; driver failures leave it as `KeelError`s (see `translateDriverError`). The
 * constructor does nothing but remember the database: open and migrate it first.
 *
 * @example
 * const sqlDatabase = openDatabase('sqlite:///./keel-data/keel.db');
 * await migrate(sqlDatabase.db, sqlDatabase.caps);
 * const store = new SqlTrackingStore(sqlDatabase);
 * const experimentId = await store.createExperiment({ name: 'demo', tags: [], artifactLocation: (id) => `mlflow-artifacts:/${id}`, now: Date.now() });
 */
export class SqlTrackingStore implements TrackingStore {
  constructor(private readonly sqlDatabase: SqlDatabase) {}

  // Experiments

  createExperiment(input: Parameters<ExperimentStore['createExperiment']>[0]): Promise<string> {
    return guard(() => experiments.createExperiment(this.sqlDatabase, input));
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return guard(() => experiments.getExperiment(this.sqlDatabase, experimentId));
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return guard(() => experiments.getExperimentByName(this.sqlDatabase, name));
  }

  searchExperiments(query: ExperimentSearchQuery): Promise<Page<Experiment>> {
    return guard(() => searchExperiments(this.sqlDatabase, query));
  }

  renameExperiment(experimentId: string, newName: string, now: number): Promise<void> {
    return guard(() => experiments.renameExperiment(this.sqlDatabase, experimentId, newName, now));
  }

  deleteExperiment(experimentId: string, now: number): Promise<void> {
    return guard(() => experiments.deleteExperiment(this.sqlDatabase, experimentId, now));
  }

  restoreExperiment(experimentId: string, now: number): Promise<void> {
    return guard(() => experiments.restoreExperiment(this.sqlDatabase, experimentId, now));
  }

  setExperimentTag(experimentId: string, tag: Tag): Promise<void> {
    return guard(() => experiments.setExperimentTag(this.sqlDatabase, experimentId, tag));
  }

  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return guard(() => experiments.deleteExperimentTag(this.sqlDatabase, experimentId, key));
  }

  // Runs

  createRun(input: Parameters<RunStore['createRun']>[0]): Promise<Run> {
    return guard(() => runs.createRun(this.sqlDatabase, input));
  }

  getRun(runId: string): Promise<Run> {
    return guard(() => runs.getRun(this.sqlDatabase, runId));
  }

  getRunInfo(runId: string): Promise<RunInfo> {
    return guard(() => runs.getRunInfo(this.sqlDatabase, runId));
  }

  updateRun(
    runId: string,
    changes: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    return guard(() => runs.updateRun(this.sqlDatabase, runId, changes));
  }

  deleteRun(runId: string, now: number): Promise<void> {
    return guard(() => runs.deleteRun(this.sqlDatabase, runId, now));
  }

  restoreRun(runId: string): Promise<void> {
    return guard(() => runs.restoreRun(this.sqlDatabase, runId));
  }

  appendToRunTagList(runId: string, key: string, entry: unknown): Promise<void> {
    return guard(() => appendToRunTagList(this.sqlDatabase, runId, key, entry));
  }

  logBatch(runId: string, batch: { metrics: Metric[]; params: Param[]; tags: Tag[] }): Promise<void> {
    return guard(() => logBatch(this.sqlDatabase, runId, batch));
  }

  deleteTag(runId: string, key: string): Promise<void> {
    return guard(() => runs.deleteTag(this.sqlDatabase, runId, key));
  }

  getMetricHistory(
    runId: string,
    key: string,
    page: { maxResults: number; pageToken?: string },
  ): Promise<Page<Metric>> {
    return guard(() => metricReads.getMetricHistory(this.sqlDatabase, runId, key, page));
  }

  getMetricHistoryBulkInterval(query: {
    runIds: string[];
    key: string;
    startStep?: number;
    endStep?: number;
    maxResults: number;
  }): Promise<RunMetric[]> {
    return guard(() => metricReads.getMetricHistoryBulkInterval(this.sqlDatabase, query));
  }

  logInputs(runId: string, inputs: { datasets: DatasetInput[]; models: ModelInput[] }): Promise<void> {
    return guard(() => runs.logInputs(this.sqlDatabase, runId, inputs));
  }

  logOutputs(runId: string, models: ModelOutput[]): Promise<void> {
    return guard(() => runs.logOutputs(this.sqlDatabase, runId, models));
  }

  searchRuns(query: RunSearchQuery): Promise<Page<Run>> {
    return guard(() => searchRuns(this.sqlDatabase, query));
  }

  // Logged models

  createLoggedModel(input: Parameters<LoggedModelStore['createLoggedModel']>[0]): Promise<LoggedModel> {
    return guard(() => loggedModels.createLoggedModel(this.sqlDatabase, input));
  }

  getLoggedModel(modelId: string): Promise<LoggedModel> {
    return guard(() => loggedModels.getLoggedModel(this.sqlDatabase, modelId));
  }

  finalizeLoggedModel(modelId: string, status: LoggedModelStatus, now: number): Promise<LoggedModel> {
    return guard(() => loggedModels.finalizeLoggedModel(this.sqlDatabase, modelId, status, now));
  }

  deleteLoggedModel(modelId: string, now: number): Promise<void> {
    return guard(() => loggedModels.deleteLoggedModel(this.sqlDatabase, modelId, now));
  }

  setLoggedModelTags(modelId: string, tags: Tag[], now: number): Promise<LoggedModel> {
    return guard(() => loggedModels.setLoggedModelTags(this.sqlDatabase, modelId, tags, now));
  }

  deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    return guard(() => loggedModels.deleteLoggedModelTag(this.sqlDatabase, modelId, key));
  }

  logLoggedModelParams(modelId: string, params: Param[]): Promise<void> {
    return guard(() => loggedModels.logLoggedModelParams(this.sqlDatabase, modelId, params));
  }

  searchLoggedModels(query: LoggedModelSearchQuery): Promise<Page<LoggedModel>> {
    return guard(() => searchLoggedModels(this.sqlDatabase, query));
  }

  // Garbage collection

  findPurgeable(deletedBefore: number): Promise<PurgedRows> {
    return guard(() => garbage.findPurgeable(this.sqlDatabase, deletedBefore));
  }

  purge(target: { runIds: string[]; experimentIds: string[]; deletedBefore?: number }): Promise<PurgedRows> {
    return guard(() => garbage.purge(this.sqlDatabase, target));
  }
}

/** The boundary where driver errors become `KeelError`s. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDriverError(error);
  }
}
