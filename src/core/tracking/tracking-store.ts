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

/**
 * The ports of the tracking domain. Every method is one transaction. Errors are `KeelError`s:
 * `RESOURCE_DOES_NOT_EXIST` for an unknown id, `RESOURCE_ALREADY_EXISTS` for a taken name,
 * `INVALID_PARAMETER_VALUE` for a write that breaks a rule only the store can see (a param changed,
 * a deleted run written to), `INVALID_PARAMETER_VALUE` for a malformed page token.
 *
 * Input is already validated by the service (names, lengths, limits); the store enforces what
 * needs the stored state.
 */
export interface ExperimentStore {
  /**
   * Creates an active experiment. `artifactLocation` receives the new id and returns the location.
   * `RESOURCE_ALREADY_EXISTS` when the name is taken, by an active or a deleted experiment.
   */
  createExperiment(input: {
    name: string;
    tags: Tag[];
    artifactLocation: (experimentId: string) => string;
    now: number;
  }): Promise<string>;
  /** Active or deleted. `RESOURCE_DOES_NOT_EXIST` when unknown (including a non-numeric id). */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** Active or deleted; `undefined` when no experiment has that name. */
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  searchExperiments(query: ExperimentSearchQuery): Promise<Page<Experiment>>;
  /** `RESOURCE_ALREADY_EXISTS` when another experiment has the name; `INVALID_STATE` when deleted. */
  renameExperiment(experimentId: string, newName: string, now: number): Promise<void>;
  /** Soft-deletes the experiment and its active runs. `RESOURCE_DOES_NOT_EXIST` when unknown or already deleted. */
  deleteExperiment(experimentId: string, now: number): Promise<void>;
  /** Restores the experiment and the runs its deletion deleted. `RESOURCE_DOES_NOT_EXIST` when unknown or active. */
  restoreExperiment(experimentId: string, now: number): Promise<void>;
  /** Last write wins. `INVALID_PARAMETER_VALUE` when the experiment is deleted. */
  setExperimentTag(experimentId: string, tag: Tag): Promise<void>;
  /** `RESOURCE_DOES_NOT_EXIST` when the tag is absent. */
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;
}

export interface RunStore {
  /**
   * Creates a RUNNING run in an active experiment (`INVALID_PARAMETER_VALUE` when it is deleted,
   * `RESOURCE_DOES_NOT_EXIST` when unknown). `artifactUri` receives the new run id and the
   * experiment's artifact location, read in the same transaction.
   */
  createRun(input: {
    experimentId: string;
    userId: string;
    runName: string;
    startTime: number;
    tags: Tag[];
    artifactUri: (runId: string, experimentArtifactLocation: string) => string;
  }): Promise<Run>;
  /** The run with its latest metrics, params, tags, inputs and outputs; active or deleted. */
  getRun(runId: string): Promise<Run>;
  /** Only the run's info: the cheap read for state checks. */
  getRunInfo(runId: string): Promise<RunInfo>;
  /** Changes only the fields given; `runName` also rewrites the `mlflow.runName` tag. */
  updateRun(
    runId: string,
    changes: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo>;
  deleteRun(runId: string, now: number): Promise<void>;
  restoreRun(runId: string): Promise<void>;
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
  createLoggedModel(input: {
    experimentId: string;
    name: string;
    modelType?: string;
    sourceRunId?: string;
    params: Param[];
    tags: Tag[];
    artifactUri: (modelId: string) => string;
    now: number;
  }): Promise<LoggedModel>;
  getLoggedModel(modelId: string): Promise<LoggedModel>;
  finalizeLoggedModel(modelId: string, status: LoggedModelStatus, now: number): Promise<LoggedModel>;
  deleteLoggedModel(modelId: string, now: number): Promise<void>;
  setLoggedModelTags(modelId: string, tags: Tag[], now: number): Promise<LoggedModel>;
  /** `RESOURCE_DOES_NOT_EXIST` when the tag is absent. */
  deleteLoggedModelTag(modelId: string, key: string): Promise<void>;
  logLoggedModelParams(modelId: string, params: Param[]): Promise<void>;
  searchLoggedModels(query: LoggedModelSearchQuery): Promise<Page<LoggedModel>>;
}

/** Permanent deletion of what was soft-deleted, for `keel gc`. */
export interface TrackingGarbageStore {
  /**
   * Deleted runs (in any experiment) and deleted experiments whose deletion is older than
   * `deletedBefore`, with the artifact locations to remove.
   */
  findPurgeable(deletedBefore: number): Promise<{
    runs: { runId: string; artifactUri: string }[];
    experiments: { experimentId: string; artifactLocation: string }[];
  }>;
  /** Removes the rows of these runs and experiments (with their runs) for good. */
  purge(target: { runIds: string[]; experimentIds: string[] }): Promise<void>;
}

export type TrackingStore = ExperimentStore & RunStore & LoggedModelStore & TrackingGarbageStore;

export interface RunSearchQuery {
  experimentIds: string[];
  filter: RunFilterClause[];
  orderBy: RunOrderBy[];
  viewType: ViewType;
  maxResults: number;
  pageToken?: string;
}

export interface ExperimentSearchQuery {
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
