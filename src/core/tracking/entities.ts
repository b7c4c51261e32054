/**
 * Tracking entities, with MLflow's semantics. Times are epoch milliseconds; ids are MLflow's forms
 * (experiment ids are numeric strings, run ids 32 hex characters, logged model ids `m-<32 hex>`).
 */

export type LifecycleStage = 'active' | 'deleted';

export const runStatuses = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** MLflow's ViewType: which lifecycle stages a search returns. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface Tag {
  key: string;
  value: string;
}

export interface Param {
  key: string;
  value: string;
}

/** One point of a metric's history. `value` may be NaN or +-Infinity. */
export interface Metric {
  key: string;
  value: number;
  /** Epoch milliseconds, >= 0. */
  timestamp: number;
  /** Integer step; negative steps are allowed, as in MLflow. */
  step: number;
  /** MLflow 3: the logged model and dataset a metric belongs to, when given. */
  modelId?: string;
  datasetName?: string;
  datasetDigest?: string;
}

/** A metric point tagged with its run, as `get-history-bulk-interval` returns it. */
export interface RunMetric extends Metric {
  runId: string;
}

export interface Experiment {
  experimentId: string;
  /** The workspace it belongs to (Keel's; MLflow's API does not show it). */
  workspace: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: Tag[];
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  dataset: Dataset;
  tags: Tag[];
}

export interface ModelInput {
  modelId: string;
}

export interface ModelOutput {
  modelId: string;
  step: number;
}

export interface RunData {
  /** The latest value of each metric (max step, then max timestamp, then max value). */
  metrics: Metric[];
  params: Param[];
  tags: Tag[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs: { datasetInputs: DatasetInput[]; modelInputs: ModelInput[] };
  outputs: { modelOutputs: ModelOutput[] };
}

export const loggedModelStatuses = [
  'LOGGED_MODEL_STATUS_UNSPECIFIED',
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
] as const;
export type LoggedModelStatus = (typeof loggedModelStatuses)[number];

export interface LoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  artifactUri: string;
  creationTimestampMs: number;
  lastUpdatedTimestampMs: number;
  status: LoggedModelStatus;
  statusMessage?: string;
  modelType?: string;
  sourceRunId?: string;
  lifecycleStage: LifecycleStage;
  tags: Tag[];
  params: Param[];
  metrics: Metric[];
}

/** A page of results and the opaque token for the next one (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}
