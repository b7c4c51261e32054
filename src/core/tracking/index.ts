/** The tracking domain: entities, the search AST, the store ports, and pure rules and algorithms. */
export * from './entities.js';
export type * from './search-ast.js';
export type * from './tracking-store.js';
export {
  EXPERIMENT_ENTITY_TEXT,
  RUN_ENTITY_TEXT,
  experimentAttributeKeys,
  loggedModelAttributeKeys,
  parseExperimentFilter,
  parseLoggedModelFilter,
  parseRunFilter,
  runAttributeKeys,
} from './search-filter.js';
export { formatRunFilter } from './search-filter-format.js';
export {
  MAX_ORDER_BY_ITEMS,
  experimentOrderKeys,
  parseExperimentOrderBy,
  parseLoggedModelOrderBy,
  parseRunOrderBy,
} from './search-order.js';
export { MAX_FILTER_CLAUSES, MAX_FILTER_LIST_VALUES, MAX_FILTER_STRING_LENGTH } from './search-scanner.js';
export {
  PAGE_TOKEN_MAX_LENGTH,
  decodePageToken,
  encodePageToken,
  type PageTokenOptions,
} from './page-token.js';
export * from './validation.js';
export {
  BULK_INTERVAL_MAX_RESULTS,
  MAX_BULK_INTERVAL_RUN_IDS,
  MAX_SEARCH_DATASETS,
  MAX_SEARCH_EXPERIMENT_IDS,
  checkListLength,
  METRIC_HISTORY_MAX_RESULTS,
  SEARCH_EXPERIMENTS_MAX_RESULTS,
  SEARCH_LOGGED_MODELS_MAX_RESULTS,
  SEARCH_RUNS_MAX_RESULTS,
  isRunStatus,
  parseLoggedModelStatus,
  parseRunStatus,
  parseViewType,
  resolveMaxResults,
  toInteger,
  validateBulkIntervalRequest,
  type BulkIntervalRequest,
  type MaxResultsLimits,
} from './request-validation.js';
export { invalidValueMessage, exceedsMaximumLengthMessage } from './validation-text.js';
export { sampledStepPositions, sampleSteps, sampleStepsAcrossRuns, withRunEnds } from './metric-sampling.js';
export { generateRunName } from './run-names.js';
export { encodeDouble, type WireDouble } from './wire-numbers.js';
