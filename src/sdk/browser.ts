/**
 * The SDK's browser-safe door: what a web page may import (the web UI does). Nothing reachable from
 * here imports a Node module; `.dependency-cruiser.cjs` checks that.
 */
export { KeelBrowserClient } from './keel-browser-client.js';
export type { KeelBrowserClientOptions } from './keel-browser-client.js';
export { HttpTransport, normaliseTrackingUri } from './http-transport.js';
export type { HttpTransportOptions } from './http-transport.js';
export { ExperimentsApi } from './experiments-api.js';
export type { CreateExperimentOptions, ExperimentSearch } from './experiments-api.js';
export { RunsApi, parentRunIdTag } from './runs-api.js';
export type { MetricHistorySample, RunSearch, UpdateRunOptions } from './runs-api.js';
export { RunArtifactsApi } from './run-artifacts-api.js';
export type { ArtifactHead, RunArtifactEntry } from './run-artifacts-api.js';
export { AuthApi } from './auth-api.js';
export type { SessionLogin, WhoAmI } from './auth-api.js';
export { WorkspacesApi } from './workspaces-api.js';
export type { UserInfo } from './identity-wire.js';
export { KeelError, isKeelError } from '../core/errors.js';
export type { ErrorCode } from '../core/errors.js';
export type { Role, Workspace } from '../core/auth/index.js';
export type {
  DatasetInput,
  Experiment,
  LifecycleStage,
  Metric,
  Page,
  Param,
  Run,
  RunInfo,
  RunMetric,
  RunStatus,
  Tag,
  ViewType,
} from '../core/tracking/index.js';
