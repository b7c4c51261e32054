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
  ViewType,
} from './entities.js';
import type {
  ExperimentFilterClause,
  ExperimentOrderBy,
  LoggedModelFilterClause,
  LoggedModelOrderBy,
  RunFilterClause,
  RunOrderBy,
} from './search-ast.js';
import type { AuditStamp } from '../audit/index.js';
import type { ReadableObjects } from '../auth/index.js';

/**
 * The ports of the tracking domain. Every method is one transaction. Errors are `KeelError`s:
 * `RESOURCE_DOES_NOT_EXIST` for an unknown id, `RESOURCE_ALREADY_EXISTS` for a taken name,
 * `INVALID_PARAMETER_VALUE` for a write that breaks a rule only the store can see (a param changed,
 * a deleted run written to), `INVALID_PARAMETER_VALUE` for a malformed page token.
 *
 * Input is already validated by the service (names, lengths, limits); the store enforces what
 * needs the stored state. Permissions are the service's business: the store serves whoever calls.
 *
 * Every method that changes an entity's lifecycle (create, rename, update, delete, restore, purge)
 * appends its audit event in the same transaction; `stamp` names who made the change (the system
 * when absent).
 */
export interface ExperimentStore {
  /**
   * Creates an active experiment. `artifactLocation` receives the new id and returns the location.
   * `RESOURCE_ALREADY_EXISTS` when the name is taken, by an active or a deleted experiment.
   */
  createExperiment(
    input: {
      /** The workspace it belongs to; names are unique within a workspace. */
      workspace: string;
      name: string;
      tags: Tag[];
      artifactLocation: (experimentId: string) => string;
      now: number;
    },
    stamp?: AuditStamp,
  ): Promise<string>;
  /** Active or deleted. `RESOURCE_DOES_NOT_EXIST` when unknown (including a non-numeric id). */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** Active or deleted; `undefined` when no experiment of the workspace has that name. */
  getExperimentByName(workspace: string, name: string): Promise<Experiment | undefined>;
  searchExperiments(query: ExperimentSearchQuery): Promise<Page<Experiment>>;
  /**
   * `RESOURCE_ALREADY_EXISTS` when another experiment of its workspace has the name;
   * `INVALID_STATE` when deleted.
   */
  renameExperiment(experimentId: string, newName: string, now: number, stamp?: AuditStamp): Promise<void>;
  /** Soft-deletes the experiment and its active runs. `RESOURCE_DOES_NOT_EXIST` when unknown or already deleted. */
  deleteExperiment(experimentId: string, now: number, stamp?: AuditStamp): Promise<void>;
  /** Restores the experiment and the runs its deletion deleted. `RESOURCE_DOES_NOT_EXIST` when unknown or active. */
  restoreExperiment(experimentId: string, now: number, stamp?: AuditStamp): Promise<void>;
  /** Last write wins. `INVALID_PARAMETER_VALUE` when the experiment is deleted. */
  setExperimentTag(experimentId: string, tag: Tag): Promise<void>;
  /** `RESOURCE_DOES_NOT_EXIST` when the tag is absent. */
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;
}

export interface RunStore {
  /**
   * Creates a RUNNING run in an active experiment (`INVALID_PARAMETER_VALUE` when it is deleted,
   * `RESOURCE_DOES_NOT_EXIST` when unknown). `artifactUri` receives the new run id and the
   * experiment's artifact location, read in the same transaction. `tags` are written as given (the
   * last value per key): the service adds `mlflow.runName` and `mlflow.user`.
   */
  createRun(
    input: {
      experimentId: string;
      userId: string;
      runName: string;
      startTime: number;
      tags: Tag[];
      artifactUri: (runId: string, experimentArtifactLocation: string) => string;
    },
    stamp?: AuditStamp,
  ): Promise<Run>;
  /** The run with its latest metrics, params, tags, inputs and outputs; active or deleted. */
  getRun(runId: string): Promise<Run>;
  /** Only the run's info: the cheap read for state checks. */
  getRunInfo(runId: string): Promise<RunInfo>;
  /** Changes only the fields given; `runName` also rewrites the `mlflow.runName` tag. */
  updateRun(
    runId: string,
    changes: { status?: RunStatus; endTime?: number; runName?: string },
    stamp?: AuditStamp,
  ): Promise<RunInfo>;
  deleteRun(runId: string, now: number, stamp?: AuditStamp): Promise<void>;
  /**
   * Makes a deleted run active again. `INVALID_PARAMETER_VALUE` when its experiment is deleted (a
   * run comes back with its experiment, never alone), `RESOURCE_DOES_NOT_EXIST` when unknown.
   */
  restoreRun(runId: string, stamp?: AuditStamp): Promise<void>;
  /**
   * Appends `entry` (any JSON value) to the JSON array held by the run's tag `key`, reading and
   * rewriting the tag in one write transaction, so concurrent appends all land. A missing tag, or
   * one that does not hold a JSON array, starts a new array. The value is not cut to the tag length
   * limit (it is server-built). The run must be active. Used for `mlflow.log-model.history`.
   */
  appendToRunTagList(runId: string, key: string, entry: unknown): Promise<void>;
  /**
   * Writes metrics, params and tags in one transaction; all or nothing. Idempotent: a metric point
   * already stored (same key, step, timestamp, value) is not stored twice; a param logged again with
   * the same value is accepted, with another value it fails with `INVALID_PARAMETER_VALUE` and
   * nothing of the batch is stored. The run must be active.
   */
  logBatch(runId: string, batch: { metrics: Metric[]; params: Param[]; tags: Tag[] }): Promise<void>;
  /** `RESOURCE_DOES_NOT_EXIST` when the tag is absent. The run must be active. */
  deleteTag(runId: string, key: string): Promise<void>;
  /**
   * A metric's history ordered by step, timestamp, value. An unknown run or key is an empty page.
   */
  getMetricHistory(
    runId: string,
    key: string,
    page: { maxResults: number; pageToken?: string },
  ): Promise<Page<Metric>>;
  /**
   * Up to `maxResults` points per run, at steps spread evenly over [startStep, endStep]; the first
   * and last steps are always included. Ordered by run id, then step.
   */
  getMetricHistoryBulkInterval(query: {
    runIds: string[];
    key: string;
    startStep?: number;
    endStep?: number;
    maxResults: number;
  }): Promise<RunMetric[]>;
  /** Dataset inputs are deduplicated per experiment by (name, digest); logging one twice is a no-op. */
  logInputs(runId: string, inputs: { datasets: DatasetInput[]; models: ModelInput[] }): Promise<void>;
  logOutputs(runId: string, models: ModelOutput[]): Promise<void>;
  searchRuns(query: RunSearchQuery): Promise<Page<Run>>;
}

export interface LoggedModelStore {
  /**
   * Creates a PENDING model in an active experiment (`INVALID_PARAMETER_VALUE` when it is deleted,
   * `RESOURCE_DOES_NOT_EXIST` when unknown). `artifactUri` receives the new model id and the
   * experiment's artifact location, read in the same transaction.
   */
  createLoggedModel(
    input: {
      experimentId: string;
      name: string;
      modelType?: string;
      sourceRunId?: string;
      params: Param[];
      tags: Tag[];
      artifactUri: (modelId: string, experimentArtifactLocation: string) => string;
      now: number;
    },
    stamp?: AuditStamp,
  ): Promise<LoggedModel>;
  getLoggedModel(modelId: string): Promise<LoggedModel>;
  finalizeLoggedModel(
    modelId: string,
    status: LoggedModelStatus,
    now: number,
    stamp?: AuditStamp,
  ): Promise<LoggedModel>;
  deleteLoggedModel(modelId: string, now: number, stamp?: AuditStamp): Promise<void>;
  setLoggedModelTags(modelId: string, tags: Tag[], now: number): Promise<LoggedModel>;
  /** `RESOURCE_DOES_NOT_EXIST` when the tag is absent. */
  deleteLoggedModelTag(modelId: string, key: string): Promise<void>;
  logLoggedModelParams(modelId: string, params: Param[]): Promise<void>;
  searchLoggedModels(query: LoggedModelSearchQuery): Promise<Page<LoggedModel>>;
}

/** What a purge removed (or may remove), with the artifact locations that belonged to it. */
export interface PurgedRows {
  runs: { runId: string; artifactUri: string }[];
  experiments: { experimentId: string; artifactLocation: string }[];
}

/**
 * Permanent deletion of what was soft-deleted, for `keel gc`. The rows go first and their artifacts
 * after, only for what `purge` reports: a run or experiment restored after `findPurgeable` keeps
 * both its rows and its artifacts. (A run of a deleted experiment cannot be restored alone, so
 * purging an experiment never takes an active run with it.)
 */
export interface TrackingGarbageStore {
  /**
   * Candidates: deleted runs (in any experiment) and deleted experiments whose deletion is older
   * than `deletedBefore`, with their artifact locations. A snapshot, for reports and dry runs.
   */
  findPurgeable(deletedBefore: number): Promise<PurgedRows>;
  /**
   * Removes for good, in one write transaction, those of these runs and experiments (an experiment
   * with all its runs) that are still deleted at purge time, and deleted before `deletedBefore`
   * when given. Returns exactly the rows removed, runs of purged experiments included: the only
   * artifacts the caller may delete. Ids restored meanwhile, unknown or active are left alone.
   */
  purge(
    target: { runIds: string[]; experimentIds: string[]; deletedBefore?: number },
    stamp?: AuditStamp,
  ): Promise<PurgedRows>;
}

/**
 * Which workspace (and experiment) an entity belongs to: what permission checks need before they
 * touch the entity. These never change for an entity's life, so the service caches them.
 * Undefined when the entity is unknown.
 */
export interface TrackingOwnershipStore {
  experimentWorkspace(experimentId: string): Promise<string | undefined>;
  runOwner(runId: string): Promise<{ experimentId: string; workspace: string } | undefined>;
  loggedModelOwner(modelId: string): Promise<{ experimentId: string; workspace: string } | undefined>;
}

export type TrackingStore = ExperimentStore &
  RunStore &
  LoggedModelStore &
  TrackingGarbageStore &
  TrackingOwnershipStore;

export interface RunSearchQuery {
  experimentIds: string[];
  filter: RunFilterClause[];
  orderBy: RunOrderBy[];
  viewType: ViewType;
  maxResults: number;
  pageToken?: string;
}

export interface ExperimentSearchQuery {
  /** Only experiments of this workspace. */
  workspace: string;
  /** Only those the caller may read; absent means every experiment of the workspace. */
  readable?: ReadableObjects;
  filter: ExperimentFilterClause[];
  orderBy: ExperimentOrderBy[];
  viewType: ViewType;
  maxResults: number;
  pageToken?: string;
}

export interface LoggedModelSearchQuery {
  experimentIds: string[];
  filter: LoggedModelFilterClause[];
  orderBy: LoggedModelOrderBy[];
  /** Scopes metric filters to these datasets, when given. */
  datasets: { datasetName: string; datasetDigest?: string }[];
  maxResults: number;
  pageToken?: string;
}
