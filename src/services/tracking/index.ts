export { TrackingService, type TrackingServiceOptions } from './tracking-service.js';
export type { CreateExperimentInput, SearchExperimentsInput } from './experiment-use-cases.js';
export type { CreateRunInput, SearchRunsInput, UpdateRunInput } from './run-use-cases.js';
export type { BulkIntervalInput, LogBatchInput } from './run-logging.js';
export type {
  CreateLoggedModelInput,
  LoggedModelOrderInput,
  SearchLoggedModelsInput,
} from './logged-model-use-cases.js';
export { TrackingGuard, type Owner, type TrackingGuardOptions } from './tracking-guard.js';
