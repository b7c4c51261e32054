import { KeelError } from '../errors.js';
import type { DatasetInput, Metric, Param, Tag } from './entities.js';
import {
  codePointLength,
  exceedsCodePoints,
  exceedsMaximumLengthMessage,
  invalidValueMessage,
  normalizePosixPath,
  pythonRepr,
  pythonReprList,
  truncateCodePoints,
} from './validation-text.js';

/**
 * MLflow's rules for what may be logged (`mlflow/utils/validation.py`), with its messages. Every
 * violation is `KeelError('INVALID_PARAMETER_VALUE')` naming the field (`metrics[3].timestamp`).
 * Lengths count Unicode code points, as MLflow's `len` does.
 *
 * Long param and run-tag values are truncated, not rejected: MLflow does this by default
 * (`MLFLOW_TRUNCATE_LONG_VALUES=true`), and clients rely on it (a long command line logged as a
 * param). Pass `{ truncate: false }` for MLflow's strict mode, which rejects them instead.
 */

export const MAX_ENTITY_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;
export const MAX_EXPERIMENT_NAME_LENGTH = 500;
export const MAX_EXPERIMENT_TAG_KEY_LENGTH = 250;
export const MAX_EXPERIMENT_TAG_VALUE_LENGTH = 5000;
export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const MAX_DATASETS_PER_BATCH = 1000;
export const MAX_BATCH_LOG_REQUEST_SIZE = 1_000_000;
export const MAX_DATASET_NAME_LENGTH = 500;
export const MAX_DATASET_DIGEST_LENGTH = 36;
export const MAX_DATASET_SOURCE_LENGTH = 65_535;
/** 1 MiB - 1, MLflow's exact figure. */
export const MAX_DATASET_SCHEMA_LENGTH = 1_048_575;
/** 16 MiB - 1, MLflow's exact figure. */
export const MAX_DATASET_PROFILE_LENGTH = 16_777_215;
export const MAX_INPUT_TAG_KEY_LENGTH = 255;
export const MAX_INPUT_TAG_VALUE_LENGTH = 500;
export const MAX_LOGGED_MODEL_NAME_LENGTH = 500;

export interface TruncateOptions {
  /** Truncate over-long param and run-tag values (MLflow's default) instead of rejecting them. */
  truncate?: boolean;
}

function invalid(message: string): KeelError {
  return new KeelError('INVALID_PARAMETER_VALUE', message);
}

function fieldPath(base: string, field: string): string {
  return base === '' ? field : `${base}.${field}`;
}

/** MLflow's "Missing value for required parameter '<path>'." */
export function missingValue(path: string): KeelError {
  return invalid(`Missing value for required parameter '${path}'.`);
}

const NAME_PATTERN = /^[\p{L}\p{N}_/.\- :]*$/u;
const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).';

/** True when a name, read as a path, would resolve to something else (`..`, `/x`, `./x`, `a//b`). */
export function isPathNotUnique(name: string): boolean {
  const normal = normalizePosixPath(name);
  return normal !== name || normal === '.' || normal.startsWith('..') || normal.startsWith('/');
}

/**
 * Checks a metric, param or tag key: at most 250 characters of letters, digits, `_ - . : /` and
 * spaces, not resolving to another name as a path. `path` names the field in the message.
 *
 * @example
 * validateKeyName('a*b', 'key')
 * // throws: Invalid value "a*b" for parameter 'key' supplied: Names may only contain alphanumerics, ...
 */
export function validateKeyName(name: unknown, path: string): string {
  if (typeof name !== 'string') throw missingValue(path);
  if (!NAME_PATTERN.test(name)) throw invalid(invalidValueMessage(path, name, BAD_CHARACTERS));
  if (isPathNotUnique(name)) {
    throw invalid(
      invalidValueMessage(
        path,
        name,
        `Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to ${pythonRepr(normalizePosixPath(name))}`,
      ),
    );
  }
  if (exceedsCodePoints(name, MAX_ENTITY_KEY_LENGTH)) {
    throw invalid(exceedsMaximumLengthMessage(path, MAX_ENTITY_KEY_LENGTH));
  }
  return name;
}

/** `value` cut to MLflow's param value limit (6000 code points). */
export function truncateParamValue(value: string): string {
  return truncateCodePoints(value, MAX_PARAM_VALUE_LENGTH);
}

/** `value` cut to MLflow's run tag value limit (8000 code points). */
export function truncateTagValue(value: string): string {
  return truncateCodePoints(value, MAX_TAG_VALUE_LENGTH);
}

function limitedValue(value: unknown, path: string, limit: number, options: TruncateOptions): string {
  if (typeof value !== 'string') throw missingValue(path);
  if (!exceedsCodePoints(value, limit)) return value;
  if (options.truncate ?? true) return truncateCodePoints(value, limit);
  throw invalid(exceedsMaximumLengthMessage(path, limit));
}

function isInt64Like(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * Checks one metric point: a valid key, a double value (NaN and infinities allowed), an integer
 * timestamp >= 0 (epoch ms) and an integer step (negative allowed). `path` prefixes the fields,
 * e.g. `metrics[0]` gives `metrics[0].timestamp`; MLflow calls the key `name` in its messages.
 */
export function validateMetric(
  metric: { key: unknown; value: unknown; timestamp: unknown; step: unknown },
  path = '',
): Metric {
  const key = validateKeyName(metric.key, fieldPath(path, 'name'));
  const { value, timestamp, step } = metric;
  if (value === undefined || value === null) throw missingValue(fieldPath(path, 'value'));
  if (typeof value !== 'number') {
    throw invalid(
      invalidValueMessage(
        fieldPath(path, 'value'),
        value,
        `(timestamp=${String(timestamp)}). Please specify value as a valid double (64-bit floating point)`,
      ),
    );
  }
  if (timestamp === undefined || timestamp === null) throw missingValue(fieldPath(path, 'timestamp'));
  if (!isInt64Like(timestamp) || timestamp < 0) {
    throw invalid(
      invalidValueMessage(
        fieldPath(path, 'timestamp'),
        timestamp,
        `metric '${key}' (value=${value}). Timestamp must be a nonnegative long (64-bit integer)`,
      ),
    );
  }
  if (!isInt64Like(step)) {
    throw invalid(
      invalidValueMessage(
        fieldPath(path, 'step'),
        step ?? null,
        `metric '${key}' (value=${value}). Step must be a valid long (64-bit integer).`,
      ),
    );
  }
  return { ...(metric as Metric), key, value, timestamp, step };
}

/** Checks a param and returns it with its value truncated to 6000 characters (see `TruncateOptions`). */
export function validateParam(
  param: { key: unknown; value: unknown },
  path = '',
  options: TruncateOptions = {},
): Param {
  const key = validateKeyName(param.key, fieldPath(path, 'key'));
  return { key, value: limitedValue(param.value, fieldPath(path, 'value'), MAX_PARAM_VALUE_LENGTH, options) };
}

/** Checks a run tag and returns it with its value truncated to 8000 characters (see `TruncateOptions`). */
export function validateTag(
  tag: { key: unknown; value: unknown },
  path = '',
  options: TruncateOptions = {},
): Tag {
  const key = validateKeyName(tag.key, fieldPath(path, 'key'));
  return { key, value: limitedValue(tag.value, fieldPath(path, 'value'), MAX_TAG_VALUE_LENGTH, options) };
}

/** Checks an experiment tag: key rules, key <= 250, value <= 5000 (rejected, never truncated). */
export function validateExperimentTag(tag: { key: unknown; value: unknown }): Tag {
  const key = validateKeyName(tag.key, 'key');
  if (typeof tag.value !== 'string') throw missingValue('value');
  if (exceedsCodePoints(tag.value, MAX_EXPERIMENT_TAG_VALUE_LENGTH)) {
    throw invalid(exceedsMaximumLengthMessage('value', MAX_EXPERIMENT_TAG_VALUE_LENGTH));
  }
  return { key, value: tag.value };
}

/** Checks an experiment name: a non-empty string of at most 500 characters. */
export function validateExperimentName(name: unknown): string {
  if (name === undefined || name === null || name === '') throw invalid("Invalid experiment name: ''");
  if (typeof name !== 'string') {
    throw invalid(`Invalid experiment name: ${invalidValueMessageValue(name)}. Expects a string.`);
  }
  if (exceedsCodePoints(name, MAX_EXPERIMENT_NAME_LENGTH)) {
    throw invalid(exceedsMaximumLengthMessage('name', MAX_EXPERIMENT_NAME_LENGTH));
  }
  return name;
}

function invalidValueMessageValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function checkBatchLimit(entityName: string, limit: number, length: number): void {
  if (length > limit) {
    throw invalid(
      `A batch logging request can contain at most ${limit} ${entityName}. Got ${length} ${entityName}. Please split up ${entityName} across multiple requests and try again.`,
    );
  }
}

/** Counts in one log-batch: <= 1000 metrics, <= 100 params, <= 100 tags, <= 1000 together. */
export function validateBatchLimits(batch: {
  metrics: readonly unknown[];
  params: readonly unknown[];
  tags: readonly unknown[];
}): void {
  checkBatchLimit('metrics', MAX_METRICS_PER_BATCH, batch.metrics.length);
  checkBatchLimit('params', MAX_PARAMS_TAGS_PER_BATCH, batch.params.length);
  checkBatchLimit('tags', MAX_PARAMS_TAGS_PER_BATCH, batch.tags.length);
  checkBatchLimit(
    'metrics, params, and tags',
    MAX_ENTITIES_PER_BATCH,
    batch.metrics.length + batch.params.length + batch.tags.length,
  );
}

/** A log-batch request body of at most 1,000,000 bytes. */
export function validateBatchRequestSize(bytes: number): void {
  if (bytes > MAX_BATCH_LOG_REQUEST_SIZE) {
    throw invalid(
      `Batched logging API requests must be at most ${MAX_BATCH_LOG_REQUEST_SIZE} bytes, got a request of size ${bytes}.`,
    );
  }
}

/** No param key twice in one batch. */
export function validateParamKeysUnique(params: readonly { key: string }[]): void {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const { key } of params) {
    if (seen.has(key)) duplicates.push(key);
    else seen.add(key);
  }
  if (duplicates.length > 0) {
    throw invalid(
      `Duplicate parameter keys have been submitted: ${pythonReprList(duplicates)}. Please ensure the request contains only one param value per param key.`,
    );
  }
}

/**
 * Checks a whole log-batch in MLflow's order (counts, then each item, then duplicate param keys) and
 * returns it with long param and tag values truncated.
 */
export function validateBatch(
  batch: {
    metrics: readonly { key: unknown; value: unknown; timestamp: unknown; step: unknown }[];
    params: readonly { key: unknown; value: unknown }[];
    tags: readonly { key: unknown; value: unknown }[];
  },
  options: TruncateOptions = {},
): { metrics: Metric[]; params: Param[]; tags: Tag[] } {
  validateBatchLimits(batch);
  const metrics = batch.metrics.map((metric, index) => validateMetric(metric, `metrics[${index}]`));
  const params = batch.params.map((param, index) => validateParam(param, `params[${index}]`, options));
  const tags = batch.tags.map((tag, index) => validateTag(tag, `tags[${index}]`, options));
  validateParamKeysUnique(params);
  return { metrics, params, tags };
}

function checkLength(value: unknown, path: string, limit: number, required: boolean): void {
  if (value === undefined || value === null) {
    if (required) throw missingValue(path);
    return;
  }
  if (typeof value !== 'string') throw invalid(invalidValueMessage(path, value, 'Expected a string.'));
  if (exceedsCodePoints(value, limit)) throw invalid(exceedsMaximumLengthMessage(path, limit));
}

/**
 * Checks dataset inputs for log-inputs: name <= 500, digest <= 36, source <= 65535, schema
 * <= 1 MiB - 1, profile <= 16 MiB - 1, input tag key <= 255 and value <= 500; at most 1000 inputs.
 */
export function validateDatasetInputs(inputs: readonly DatasetInput[]): void {
  checkBatchLimit('datasets', MAX_DATASETS_PER_BATCH, inputs.length);
  inputs.forEach((input, index) => {
    const base = `datasets[${index}]`;
    const dataset = input.dataset as Partial<DatasetInput['dataset']> | undefined;
    if (dataset === undefined || dataset === null) throw missingValue(`${base}.dataset`);
    checkLength(dataset.name, `${base}.dataset.name`, MAX_DATASET_NAME_LENGTH, true);
    checkLength(dataset.digest, `${base}.dataset.digest`, MAX_DATASET_DIGEST_LENGTH, true);
    checkLength(dataset.sourceType, `${base}.dataset.source_type`, Number.MAX_SAFE_INTEGER, true);
    checkLength(dataset.source, `${base}.dataset.source`, MAX_DATASET_SOURCE_LENGTH, true);
    checkLength(dataset.schema, `${base}.dataset.schema`, MAX_DATASET_SCHEMA_LENGTH, false);
    checkLength(dataset.profile, `${base}.dataset.profile`, MAX_DATASET_PROFILE_LENGTH, false);
    (input.tags ?? []).forEach((tag, tagIndex) => {
      checkLength(tag.key, `${base}.tags[${tagIndex}].key`, MAX_INPUT_TAG_KEY_LENGTH, true);
      checkLength(tag.value, `${base}.tags[${tagIndex}].value`, MAX_INPUT_TAG_VALUE_LENGTH, true);
    });
  });
}

const LOGGED_MODEL_NAME_FORBIDDEN = ['/', ':', '.', '%', '"', "'"];

/** A logged model name: non-empty, at most 500 characters, none of `/ : . % " '`. */
export function validateLoggedModelName(name: unknown, path = 'name'): string {
  if (typeof name !== 'string' || name === '') throw missingValue(path);
  const bad = LOGGED_MODEL_NAME_FORBIDDEN.filter((char) => name.includes(char));
  if (bad.length > 0) {
    throw invalid(
      invalidValueMessage(
        path,
        name,
        `Logged model names cannot contain any of ${pythonReprList(LOGGED_MODEL_NAME_FORBIDDEN)}; found ${pythonReprList(bad)}.`,
      ),
    );
  }
  if (codePointLength(name) > MAX_LOGGED_MODEL_NAME_LENGTH) {
    throw invalid(exceedsMaximumLengthMessage(path, MAX_LOGGED_MODEL_NAME_LENGTH));
  }
  return name;
}
