import { describe, expect, it } from 'vitest';
import { KeelError } from '../errors.js';
import {
  BULK_INTERVAL_MAX_RESULTS,
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
} from './request-validation.js';
import { rejection } from '../../../test/support/rejection.js';

describe('run and logged model statuses', () => {
  it('accept exactly the enum names', () => {
    for (const status of ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']) {
      expect(isRunStatus(status)).toBe(true);
      expect(parseRunStatus(status)).toBe(status);
    }
    expect(isRunStatus('running')).toBe(false);
    expect(rejection(() => parseRunStatus('DONE'))).toBe(
      `Invalid value "DONE" for parameter 'status' supplied: Valid run statuses are RUNNING, SCHEDULED, FINISHED, FAILED, KILLED.`,
    );
    expect(rejection(() => parseRunStatus(undefined))).toMatch(/^Invalid value null for parameter 'status'/);
    expect(parseLoggedModelStatus('LOGGED_MODEL_READY')).toBe('LOGGED_MODEL_READY');
    expect(rejection(() => parseLoggedModelStatus('READY'))).toMatch(
      /Valid statuses are LOGGED_MODEL_STATUS_UNSPECIFIED/,
    );
  });
});

describe('parseViewType', () => {
  it('reads names in any case and numbers, defaulting to ACTIVE_ONLY', () => {
    expect(parseViewType(undefined)).toBe('ACTIVE_ONLY');
    expect(parseViewType(null)).toBe('ACTIVE_ONLY');
    expect(parseViewType('')).toBe('ACTIVE_ONLY');
    expect(parseViewType('ACTIVE_ONLY')).toBe('ACTIVE_ONLY');
    expect(parseViewType('deleted_only')).toBe('DELETED_ONLY');
    expect(parseViewType('ALL')).toBe('ALL');
    expect(parseViewType(1)).toBe('ACTIVE_ONLY');
    expect(parseViewType(2)).toBe('DELETED_ONLY');
    expect(parseViewType('3')).toBe('ALL');
  });

  it('rejects anything else, naming the field', () => {
    expect(rejection(() => parseViewType(4, 'run_view_type'))).toBe(
      "Invalid value 4 for parameter 'run_view_type' supplied: Valid view types are ACTIVE_ONLY (1), DELETED_ONLY (2) and ALL (3).",
    );
    expect(rejection(() => parseViewType('constructor'))).toMatch(/^Invalid value "constructor"/);
    expect(rejection(() => parseViewType({}))).toMatch(/^Invalid value \{\}/);
  });
});

describe('max_results', () => {
  it('applies defaults and bounds', () => {
    expect(resolveMaxResults(undefined, SEARCH_RUNS_MAX_RESULTS)).toBe(1000);
    expect(resolveMaxResults(50_000, SEARCH_RUNS_MAX_RESULTS)).toBe(50_000);
    expect(resolveMaxResults('200', SEARCH_RUNS_MAX_RESULTS)).toBe(200);
    expect(resolveMaxResults(undefined, METRIC_HISTORY_MAX_RESULTS)).toBe(25_000);
    expect(resolveMaxResults(undefined, SEARCH_LOGGED_MODELS_MAX_RESULTS)).toBe(100);
    expect(resolveMaxResults(undefined, BULK_INTERVAL_MAX_RESULTS)).toBe(2500);
  });

  it('caps a logged-model search page at 1000 models', () => {
    expect(resolveMaxResults(1000, SEARCH_LOGGED_MODELS_MAX_RESULTS)).toBe(1000);
    expect(rejection(() => resolveMaxResults(1001, SEARCH_LOGGED_MODELS_MAX_RESULTS))).toBe(
      "Invalid value 1001 for parameter 'max_results' supplied. It must be at most 1000",
    );
  });

  it('rejects out-of-range values with MLflow wording', () => {
    expect(rejection(() => resolveMaxResults(50_001, SEARCH_RUNS_MAX_RESULTS))).toBe(
      "Invalid value 50001 for parameter 'max_results' supplied. It must be at most 50000",
    );
    expect(rejection(() => resolveMaxResults(0, SEARCH_EXPERIMENTS_MAX_RESULTS))).toBe(
      "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer",
    );
    expect(rejection(() => resolveMaxResults(undefined, SEARCH_EXPERIMENTS_MAX_RESULTS))).toBe(
      "Invalid value None for parameter 'max_results' supplied. It must be a positive integer",
    );
    expect(rejection(() => resolveMaxResults(-3, SEARCH_RUNS_MAX_RESULTS))).toMatch(
      /It must be a positive integer$/,
    );
    expect(rejection(() => resolveMaxResults(2.5, SEARCH_RUNS_MAX_RESULTS))).toMatch(/^Invalid value 2.5/);
    expect(rejection(() => resolveMaxResults('ten', SEARCH_RUNS_MAX_RESULTS))).toMatch(/^Invalid value ten/);
    expect(rejection(() => resolveMaxResults(25_001, METRIC_HISTORY_MAX_RESULTS))).toMatch(/at most 25000$/);
  });

  it('reads integers from numbers and decimal strings only', () => {
    expect(toInteger(5)).toBe(5);
    expect(toInteger(' 7 ')).toBe(7);
    expect(toInteger('-2')).toBe(-2);
    expect(toInteger('1e3')).toBeUndefined();
    expect(toInteger('99999999999999999')).toBeUndefined();
    expect(toInteger(1.5)).toBeUndefined();
    expect(toInteger(null)).toBeUndefined();
  });
});

describe('validateBulkIntervalRequest', () => {
  it('normalises a valid request', () => {
    expect(validateBulkIntervalRequest({ runIds: ['a', 'b'], metricKey: 'loss' })).toEqual({
      runIds: ['a', 'b'],
      key: 'loss',
      maxResults: 2500,
    });
    expect(
      validateBulkIntervalRequest({
        runIds: ['a'],
        metricKey: 'loss',
        startStep: '0',
        endStep: 10,
        maxResults: '50',
      }),
    ).toEqual({ runIds: ['a'], key: 'loss', startStep: 0, endStep: 10, maxResults: 50 });
  });

  it('rejects bad requests with MLflow wording', () => {
    expect(rejection(() => validateBulkIntervalRequest({ runIds: [], metricKey: 'm' }))).toBe(
      "Missing value for required parameter 'run_ids'.",
    );
    expect(rejection(() => validateBulkIntervalRequest({ runIds: [1], metricKey: 'm' }))).toMatch(
      /^Invalid value \[1\] for parameter 'run_ids'/,
    );
    const many = Array.from({ length: 101 }, (_, i) => `r${i}`);
    expect(rejection(() => validateBulkIntervalRequest({ runIds: many, metricKey: 'm' }))).toBe(
      'GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids.',
    );
    expect(rejection(() => validateBulkIntervalRequest({ runIds: ['a'], metricKey: '' }))).toBe(
      "Missing value for required parameter 'metric_key'.",
    );
    expect(
      rejection(() => validateBulkIntervalRequest({ runIds: ['a'], metricKey: 'm', maxResults: 2501 })),
    ).toBe('max_results must be between 1 and 2500.');
    expect(
      rejection(() => validateBulkIntervalRequest({ runIds: ['a'], metricKey: 'm', maxResults: 0 })),
    ).toBe('max_results must be between 1 and 2500.');
    expect(
      rejection(() => validateBulkIntervalRequest({ runIds: ['a'], metricKey: 'm', startStep: 1 })),
    ).toBe('If either start step or end step are specified, both must be specified.');
    expect(
      rejection(() =>
        validateBulkIntervalRequest({ runIds: ['a'], metricKey: 'm', startStep: 5, endStep: 1 }),
      ),
    ).toBe('end_step must be greater than start_step. Found start_step=5 and end_step=1.');
    expect(
      rejection(() =>
        validateBulkIntervalRequest({ runIds: ['a'], metricKey: 'm', startStep: 'x', endStep: 1 }),
      ),
    ).toMatch(/^Invalid value "x" for parameter 'start_step'/);
  });
});

describe('search list sizes', () => {
  it('accept up to the limit and refuse one more, naming the field and the limit', () => {
    const ids = Array.from({ length: MAX_SEARCH_EXPERIMENT_IDS }, (_, i) => String(i));
    expect(() => checkListLength(ids, 'experiment_ids', MAX_SEARCH_EXPERIMENT_IDS)).not.toThrow();
    expect(() => checkListLength(undefined, 'datasets', MAX_SEARCH_DATASETS)).not.toThrow();
    expect(rejection(() => checkListLength([...ids, 'x'], 'experiment_ids', MAX_SEARCH_EXPERIMENT_IDS))).toBe(
      "Invalid value for parameter 'experiment_ids': at most 1000 items are allowed in one request, got 1001. Split the request into smaller ones.",
    );
  });
});
