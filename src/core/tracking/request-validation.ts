import { KeelError } from '../errors.js';
import { loggedModelStatuses, runStatuses } from './entities.js';
import type { LoggedModelStatus, RunStatus, ViewType } from './entities.js';
import { invalidValueMessage } from './validation-text.js';
import { missingValue } from './validation.js';

/**
 * Request-level rules: enum fields, page sizes and the bulk metric-history request, with MLflow's
 * limits and messages. Numbers may arrive as numeric strings (GET query parameters); they are
 * accepted here so every route reads them the same way.
 */

function invalid(message: string): KeelError {
  return new KeelError('INVALID_PARAMETER_VALUE', message);
}

/** True for one of MLflow's run statuses: RUNNING, SCHEDULED, FINISHED, FAILED, KILLED. */
export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === 'string' && (runStatuses as readonly string[]).includes(value);
}

/** A run status, or `INVALID_PARAMETER_VALUE` listing the valid ones. */
export function parseRunStatus(value: unknown, path = 'status'): RunStatus {
  if (isRunStatus(value)) return value;
  throw invalid(
    invalidValueMessage(path, value ?? null, `Valid run statuses are ${runStatuses.join(', ')}.`),
  );
}

/** A logged model status (LOGGED_MODEL_PENDING, LOGGED_MODEL_READY, ...). */
export function parseLoggedModelStatus(value: unknown, path = 'status'): LoggedModelStatus {
  if (typeof value === 'string' && (loggedModelStatuses as readonly string[]).includes(value)) {
    return value as LoggedModelStatus;
  }
  throw invalid(
    invalidValueMessage(path, value ?? null, `Valid statuses are ${loggedModelStatuses.join(', ')}.`),
  );
}

const viewTypes: ReadonlyMap<string, ViewType> = new Map([
  ['ACTIVE_ONLY', 'ACTIVE_ONLY'],
  ['DELETED_ONLY', 'DELETED_ONLY'],
  ['ALL', 'ALL'],
  ['1', 'ACTIVE_ONLY'],
  ['2', 'DELETED_ONLY'],
  ['3', 'ALL'],
]);

/**
 * MLflow's ViewType from its name (`ACTIVE_ONLY`, `DELETED_ONLY`, `ALL`, any case) or number (1, 2,
 * 3, also as a string). Absent (undefined, null, '') means `ACTIVE_ONLY`.
 */
export function parseViewType(value: unknown, path = 'view_type'): ViewType {
  if (value === undefined || value === null || value === '') return 'ACTIVE_ONLY';
  const viewType =
    typeof value === 'string' || typeof value === 'number'
      ? viewTypes.get(String(value).toUpperCase())
      : undefined;
  if (viewType === undefined) {
    throw invalid(
      invalidValueMessage(path, value, 'Valid view types are ACTIVE_ONLY (1), DELETED_ONLY (2) and ALL (3).'),
    );
  }
  return viewType;
}

/** The integer in a number or a decimal string; `undefined` for anything else. */
export function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^[+-]?\d{1,16}$/.test(value.trim())) {
    const parsed = Number(value.trim());
    return Number.isSafeInteger(parsed) ? parsed : undefined;
  }
  return undefined;
}

export interface MaxResultsLimits {
  /** Used when the field is absent; without one, absence is rejected (as search-experiments does). */
  default?: number;
  max: number;
}

export const SEARCH_RUNS_MAX_RESULTS: MaxResultsLimits = { default: 1000, max: 50_000 };
/** MLflow rejects an absent or 0 max_results here; the Python client always sends one. */
export const SEARCH_EXPERIMENTS_MAX_RESULTS: MaxResultsLimits = { max: 50_000 };
/** MLflow reads an absent value as 0 (an empty page); Keel returns a full page instead. */
export const METRIC_HISTORY_MAX_RESULTS: MaxResultsLimits = { default: 25_000, max: 25_000 };
/** MLflow defaults to 100; Keel caps a page at 1,000 models (each is loaded with its tags, params and metrics). */
export const SEARCH_LOGGED_MODELS_MAX_RESULTS: MaxResultsLimits = { default: 100, max: 1_000 };
export const BULK_INTERVAL_MAX_RESULTS: MaxResultsLimits = { default: 2500, max: 2500 };
export const MAX_BULK_INTERVAL_RUN_IDS = 100;

/** More experiment ids than this in one search is refused: each becomes a bound SQL parameter. */
export const MAX_SEARCH_EXPERIMENT_IDS = 1000;
/** More dataset filters than this in one logged-model search is refused (each is a SQL condition). */
export const MAX_SEARCH_DATASETS = 100;

/**
 * Refuses a list request field longer than `max`, naming the field and the limit, so an oversized
 * search is a 400 instead of a database failure.
 *
 * @example
 * checkListLength(experimentIds, 'experiment_ids', MAX_SEARCH_EXPERIMENT_IDS)
 */
export function checkListLength(list: readonly unknown[] | undefined, path: string, max: number): void {
  if (list !== undefined && list.length > max) {
    throw invalid(
      `Invalid value for parameter '${path}': at most ${max} items are allowed in one request, got ${list.length}. Split the request into smaller ones.`,
    );
  }
}

/**
 * A page size within `limits`: "Invalid value 0 for parameter 'max_results' supplied. It must be a
 * positive integer" / "... It must be at most 50000".
 *
 * @example
 * resolveMaxResults(undefined, SEARCH_RUNS_MAX_RESULTS) // 1000
 * resolveMaxResults('200', SEARCH_RUNS_MAX_RESULTS) // 200
 */
export function resolveMaxResults(value: unknown, limits: MaxResultsLimits, path = 'max_results'): number {
  if ((value === undefined || value === null || value === '') && limits.default !== undefined) {
    return limits.default;
  }
  const number = toInteger(value);
  const shown =
    value === undefined || value === null ? 'None' : typeof value === 'string' ? value : String(value);
  if (number === undefined || number < 1) {
    throw invalid(`Invalid value ${shown} for parameter '${path}' supplied. It must be a positive integer`);
  }
  if (number > limits.max) {
    throw invalid(
      `Invalid value ${shown} for parameter '${path}' supplied. It must be at most ${limits.max}`,
    );
  }
  return number;
}

export interface BulkIntervalRequest {
  runIds: string[];
  key: string;
  startStep?: number;
  endStep?: number;
  maxResults: number;
}

/**
 * Checks a get-history-bulk-interval request: 1 to 100 run ids, a metric key, `start_step` and
 * `end_step` both or neither (start <= end), `max_results` 1 to 2500 (default 2500).
 */
export function validateBulkIntervalRequest(request: {
  runIds: unknown;
  metricKey: unknown;
  startStep?: unknown;
  endStep?: unknown;
  maxResults?: unknown;
}): BulkIntervalRequest {
  const { runIds, metricKey } = request;
  if (!Array.isArray(runIds) || runIds.length === 0) throw missingValue('run_ids');
  if (!runIds.every((id): id is string => typeof id === 'string')) {
    throw invalid(invalidValueMessage('run_ids', runIds, 'Expected a list of strings.'));
  }
  if (runIds.length > MAX_BULK_INTERVAL_RUN_IDS) {
    throw invalid(
      `GetMetricHistoryBulkInterval request must specify at most ${MAX_BULK_INTERVAL_RUN_IDS} run_ids. Received ${runIds.length} run_ids.`,
    );
  }
  if (typeof metricKey !== 'string' || metricKey === '') throw missingValue('metric_key');
  let maxResults = BULK_INTERVAL_MAX_RESULTS.default!;
  if (request.maxResults !== undefined && request.maxResults !== null && request.maxResults !== '') {
    const number = toInteger(request.maxResults);
    if (number === undefined || number < 1 || number > BULK_INTERVAL_MAX_RESULTS.max) {
      throw invalid(`max_results must be between 1 and ${BULK_INTERVAL_MAX_RESULTS.max}.`);
    }
    maxResults = number;
  }
  const startGiven =
    request.startStep !== undefined && request.startStep !== null && request.startStep !== '';
  const endGiven = request.endStep !== undefined && request.endStep !== null && request.endStep !== '';
  if (startGiven !== endGiven) {
    throw invalid('If either start step or end step are specified, both must be specified.');
  }
  const result: BulkIntervalRequest = { runIds, key: metricKey, maxResults };
  if (startGiven) {
    const startStep = toInteger(request.startStep);
    const endStep = toInteger(request.endStep);
    if (startStep === undefined)
      throw invalid(invalidValueMessage('start_step', request.startStep, 'Expected an integer.'));
    if (endStep === undefined)
      throw invalid(invalidValueMessage('end_step', request.endStep, 'Expected an integer.'));
    if (startStep > endStep) {
      throw invalid(
        `end_step must be greater than start_step. Found start_step=${startStep} and end_step=${endStep}.`,
      );
    }
    result.startStep = startStep;
    result.endStep = endStep;
  }
  return result;
}
