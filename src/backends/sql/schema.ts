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
  workspaces: { name: string; description: string; created_time: number };
  users: UsersTable;
  groups: { group_id: string; name: string; name_key: string; description: string; created_time: number };
  group_members: { group_id: string; user_id: string };
  role_bindings: { workspace: string; principal_type: string; principal_id: string; role: string };
  object_permissions: ObjectPermissionsTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  auth_throttle: { key: string; window_start: number; failures: number };
  audit_events: AuditEventsTable;
}

/** Users and service accounts (`kind`). `username_key` is the lowercased username, unique. */
export interface UsersTable {
  user_id: string;
  username: string;
  username_key: string;
  display_name: string;
  kind: string;
  is_admin: number;
  disabled: number;
  /** A PHC-style scrypt string; null for service accounts. */
  password_hash: string | null;
  created_time: number;
  last_update_time: number;
  credentials_changed_time: number;
}

/** Grants on one object; `workspace` is the object's, so a workspace's grants can be listed. */
export interface ObjectPermissionsTable {
  object_type: string;
  object_id: string;
  workspace: string;
  principal_type: string;
  principal_id: string;
  permission: string;
}

export interface ApiTokensTable {
  token_id: string;
  user_id: string;
  name: string;
  workspace: string | null;
  /** SHA-256 hex of the token's secret part. */
  secret_hash: string;
  created_time: number;
  expires_time: number | null;
  last_used_time: number | null;
  revoked_time: number | null;
}

export interface SessionsTable {
  session_id: string;
  user_id: string;
  secret_hash: string;
  created_time: number;
  expires_time: number;
  last_seen_time: number;
}

/** Append-only: triggers refuse UPDATE and DELETE on both engines. */
export interface AuditEventsTable {
  event_id: Generated<number>;
  time: number;
  actor_id: string | null;
  actor_name: string;
  action: string;
  object_type: string;
  object_id: string;
  workspace: string | null;
  /** JSON text, or null. */
  before: string | null;
  after: string | null;
  request_id: string | null;
  ip: string | null;
}

export interface ExperimentsTable {
  experiment_id: Generated<number>;
  /** The workspace's name; (workspace, name) is unique. Experiment 0 "Default" is in `default`. */
  workspace: ColumnType<string, string | undefined, string>;
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
