import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely's view of Keel's tables. Column names follow MLflow's SQL store where MLflow has the table,
 * so that people who know MLflow's schema find their way. Times are epoch milliseconds in BIGINT
 * columns (read as JS numbers on both engines). Booleans are 0/1 integers on both engines.
 */
export interface KeelDatabase {
  keel_migrations: { version: number; name: string; applied_at: number };
  experiments: ExperimentsTable;
  experiment_tags: { experiment_id: number; key: string; value: string };
  runs: RunsTable;
  metrics: MetricsTable;
  latest_metrics: MetricsTable;
  params: { run_uuid: string; key: string; value: string };
  tags: { run_uuid: string; key: string; value: string };
  datasets: DatasetsTable;
  run_dataset_inputs: { run_uuid: string; dataset_uuid: string };
  run_dataset_input_tags: { run_uuid: string; dataset_uuid: string; key: string; value: string };
  run_model_inputs: { run_uuid: string; model_id: string };
  run_model_outputs: { run_uuid: string; model_id: string; step: number };
  logged_models: LoggedModelsTable;
  logged_model_params: { model_id: string; key: string; value: string };
  logged_model_tags: { model_id: string; key: string; value: string };
  logged_model_metrics: LoggedModelMetricsTable;
}

export interface ExperimentsTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
  /** When it was soft-deleted; null while active. `keel gc` purges by it. */
  deleted_time: number | null;
}

export interface RunsTable {
  run_uuid: string;
  experiment_id: number;
  name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
  deleted_time: number | null;
}

/** Metric history (`metrics`) and each key's latest point per run (`latest_metrics`). */
export interface MetricsTable {
  run_uuid: string;
  key: string;
  /** 0 when `is_nan` is 1: NaN is not a value SQL compares. */
  value: number;
  is_nan: ColumnType<number, number | undefined, number>;
  timestamp: number;
  step: number;
}

export interface DatasetsTable {
  dataset_uuid: string;
  experiment_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

export interface LoggedModelsTable {
  model_id: string;
  experiment_id: number;
  name: string;
  artifact_location: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  status: string;
  status_message: string | null;
  model_type: string | null;
  source_run_id: string | null;
  lifecycle_stage: string;
  deleted_time: number | null;
}

export interface LoggedModelMetricsTable {
  model_id: string;
  key: string;
  value: number;
  is_nan: number;
  timestamp: number;
  step: number;
  run_uuid: string;
  /** '' when the metric names no dataset. */
  dataset_name: string;
  dataset_digest: string;
}
