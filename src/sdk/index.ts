/**
 * Keel's SDK, the package's main export: `import { KeelClient } from 'keel'`.
 */
export { KeelClient, defaultTrackingUri } from './keel-client.js';
export { normaliseTrackingUri } from './http-transport.js';
export type { KeelClientOptions } from './keel-client.js';
export { ExperimentsApi } from './experiments-api.js';
export type { CreateExperimentOptions, ExperimentSearch } from './experiments-api.js';
export { RunsApi, parentRunIdTag } from './runs-api.js';
export type { SourceTagCollector } from './runs-api.js';
export type {
  CreateRunOptions,
  LogBatchInput,
  MetricHistorySample,
  MetricInput,
  ParamsInput,
  RunSearch,
  UpdateRunOptions,
} from './runs-api.js';
export { ArtifactsApi, checkArtifactPath } from './artifacts-api.js';
export type { ArtifactFile } from './artifacts-api.js';
export { AuthApi } from './auth-api.js';
export type { SessionLogin, WhoAmI } from './auth-api.js';
export { KeelBrowserClient } from './keel-browser-client.js';
export type { KeelBrowserClientOptions } from './keel-browser-client.js';
export { ServiceAccountsApi, UsersApi } from './users-api.js';
export type { CreateUserOptions, UserChanges } from './users-api.js';
export { GroupsApi } from './groups-api.js';
export { RolesApi, WorkspacesApi } from './workspaces-api.js';
export { PermissionsApi } from './permissions-api.js';
export { TokensApi } from './tokens-api.js';
export type { CreateTokenOptions } from './tokens-api.js';
export { AuditApi } from './audit-api.js';
export type { AuditSearch } from './audit-api.js';
export type { Principal } from './principal.js';
export type { UserInfo } from './identity-wire.js';
export { AsyncLogger } from './async-logger.js';
export type { AsyncLoggerOptions } from './async-logger.js';
export { mlflowBatchLimits, splitBatch } from './batch-split.js';
export type { Batch, BatchEntry, BatchLimits } from './batch-split.js';
export { collectSourceTags, readGitInfo, sourceTagKeys } from './git-info.js';
export type { GitInfo, SourceOptions } from './git-info.js';
export type { TagsInput } from './wire-format.js';
export { KeelError, isKeelError } from '../core/errors.js';
export type { ErrorCode } from '../core/errors.js';
export type {
  ApiToken,
  Group,
  ObjectPermission,
  ObjectType,
  Permission,
  Role,
  RoleBinding,
  Workspace,
} from '../core/auth/index.js';
export type { AuditEvent } from '../core/audit/index.js';
export type {
  Dataset,
  DatasetInput,
  Experiment,
  LifecycleStage,
  Metric,
  ModelInput,
  Page,
  Param,
  Run,
  RunInfo,
  RunStatus,
  Tag,
  ViewType,
} from '../core/tracking/index.js';
