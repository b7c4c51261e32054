import type { AuditStamp } from '../../core/audit/index.js';
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
import * as ownership from './sql-ownership.js';
import type { Owner } from './sql-ownership.js';
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
 * const experimentId = await store.createExperiment({ workspace: 'default', name: 'demo', tags: [], artifactLocation: (id) => `mlflow-artifacts:/${id}`, now: Date.now() });
 */
export class SqlTrackingStore implements TrackingStore {
  constructor(private readonly sqlDatabase: SqlDatabase) {}

  // Experiments

  createExperiment(
    input: Parameters<ExperimentStore['createExperiment']>[0],
    stamp?: AuditStamp,
  ): Promise<string> {
    return guard(() => experiments.createExperiment(this.sqlDatabase, input, stamp));
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return guard(() => experiments.getExperiment(this.sqlDatabase, experimentId));
  }

  getExperimentByName(workspace: string, name: string): Promise<Experiment | undefined> {
    return guard(() => experiments.getExperimentByName(this.sqlDatabase, workspace, name));
  }

  searchExperiments(query: ExperimentSearchQuery): Promise<Page<Experiment>> {
    return guard(() => searchExperiments(this.sqlDatabase, query));
  }

  renameExperiment(experimentId: string, newName: string, now: number, stamp?: AuditStamp): Promise<void> {
    return guard(() => experiments.renameExperiment(this.sqlDatabase, experimentId, newName, now, stamp));
  }

  deleteExperiment(experimentId: string, now: number, stamp?: AuditStamp): Promise<void> {
    return guard(() => experiments.deleteExperiment(this.sqlDatabase, experimentId, now, stamp));
  }

  restoreExperiment(experimentId: string, now: number, stamp?: AuditStamp): Promise<void> {
    return guard(() => experiments.restoreExperiment(this.sqlDatabase, experimentId, now, stamp));
  }

  setExperimentTag(experimentId: string, tag: Tag): Promise<void> {
    return guard(() => experiments.setExperimentTag(this.sqlDatabase, experimentId, tag));
  }

  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return guard(() => experiments.deleteExperimentTag(this.sqlDatabase, experimentId, key));
  }

  // Runs

  createRun(input: Parameters<RunStore['createRun']>[0], stamp?: AuditStamp): Promise<Run> {
    return guard(() => runs.createRun(this.sqlDatabase, input, stamp));
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
    stamp?: AuditStamp,
  ): Promise<RunInfo> {
    return guard(() => runs.updateRun(this.sqlDatabase, runId, changes, stamp));
  }

  deleteRun(runId: string, now: number, stamp?: AuditStamp): Promise<void> {
    return guard(() => runs.deleteRun(this.sqlDatabase, runId, now, stamp));
  }

  restoreRun(runId: string, stamp?: AuditStamp): Promise<void> {
    return guard(() => runs.restoreRun(this.sqlDatabase, runId, stamp));
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

  createLoggedModel(
    input: Parameters<LoggedModelStore['createLoggedModel']>[0],
    stamp?: AuditStamp,
  ): Promise<LoggedModel> {
    return guard(() => loggedModels.createLoggedModel(this.sqlDatabase, input, stamp));
  }

  getLoggedModel(modelId: string): Promise<LoggedModel> {
    return guard(() => loggedModels.getLoggedModel(this.sqlDatabase, modelId));
  }

  finalizeLoggedModel(
    modelId: string,
    status: LoggedModelStatus,
    now: number,
    stamp?: AuditStamp,
  ): Promise<LoggedModel> {
    return guard(() => loggedModels.finalizeLoggedModel(this.sqlDatabase, modelId, status, now, stamp));
  }

  deleteLoggedModel(modelId: string, now: number, stamp?: AuditStamp): Promise<void> {
    return guard(() => loggedModels.deleteLoggedModel(this.sqlDatabase, modelId, now, stamp));
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

  purge(
    target: { runIds: string[]; experimentIds: string[]; deletedBefore?: number },
    stamp?: AuditStamp,
  ): Promise<PurgedRows> {
    return guard(() => garbage.purge(this.sqlDatabase, target, stamp));
  }

  // Ownership: what permission checks read before they touch an entity

  experimentWorkspace(experimentId: string): Promise<string | undefined> {
    return guard(() => ownership.experimentWorkspace(this.sqlDatabase, experimentId));
  }

  runOwner(runId: string): Promise<Owner | undefined> {
    return guard(() => ownership.runOwner(this.sqlDatabase, runId));
  }

  loggedModelOwner(modelId: string): Promise<Owner | undefined> {
    return guard(() => ownership.loggedModelOwner(this.sqlDatabase, modelId));
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
