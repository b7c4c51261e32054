/**
 * Keel's SDK, the package's main export: `import { KeelClient } from 'keel'`.
 */
export { KeelClient, defaultTrackingUri } from './keel-client.js';
export type { KeelClientOptions } from './keel-client.js';
export { ExperimentsApi } from './experiments-api.js';
export type { CreateExperimentOptions, ExperimentSearch } from './experiments-api.js';
export { RunsApi, parentRunIdTag } from './runs-api.js';
export type {
  CreateRunOptions,
  LogBatchInput,
  MetricInput,
  ParamsInput,
  RunSearch,
  UpdateRunOptions,
} from './runs-api.js';
export { ArtifactsApi, checkArtifactPath } from './artifacts-api.js';
export type { ArtifactFile } from './artifacts-api.js';
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
