import { KeelError } from '../errors.js';
import type {
  DatasetClause,
  DatasetField,
  ExperimentFilterClause,
  KeyValueClause,
  LoggedModelFilterClause,
  LoggedModelNumericAttribute,
  LoggedModelStringAttribute,
  MetricClause,
  RunAttributeClause,
  RunFilterClause,
  RunNumericAttribute,
  RunStringAttribute,
} from './search-ast.js';
import {
  checkComparator,
  integerValue,
  isNullComparator,
  isSetComparator,
  listValue,
  nullComparators,
  numberValue,
  numericComparators,
  pythonList,
  resolveAttribute,
  resolveEntity,
  setComparators,
  stringComparators,
  stringValue,
  type EntityKind,
} from './search-clauses.js';
import { atPosition, quoteToken, scanFilter, type ScannedClause } from './search-scanner.js';

/**
 * MLflow's search filters, parsed into the AST of `search-ast.ts`. Grammar (see `search-scanner.ts`
 * for the lexical rules): clauses `key comparator value` joined by AND; no OR, no parentheses.
 * Every failure is `KeelError('INVALID_PARAMETER_VALUE')` with MLflow's wording where MLflow has one,
 * plus the offending token and its position.
 */

const stringOrNull = [...stringComparators, ...nullComparators];
const stringOrSet = [...stringComparators, ...setComparators];

export const RUN_ENTITY_TEXT = `Valid values are ${pythonList(['metric', 'parameter', 'tag', 'attribute', 'dataset'])}`;

/** Run attribute names and their aliases (`created`, `"run name"`), as MLflow accepts them. */
export const runAttributeNames: ReadonlyMap<string, RunStringAttribute | RunNumericAttribute> = new Map([
  ['run_id', 'run_id'],
  ['run_name', 'run_name'],
  ['run name', 'run_name'],
  ['Run name', 'run_name'],
  ['Run Name', 'run_name'],
  ['status', 'status'],
  ['user_id', 'user_id'],
  ['artifact_uri', 'artifact_uri'],
  ['start_time', 'start_time'],
  ['end_time', 'end_time'],
  ['created', 'created'],
  ['Created', 'created'],
] as const);
export const runAttributeKeys = [
  'run_id',
  'run_name',
  'status',
  'user_id',
  'artifact_uri',
  'start_time',
  'end_time',
  'created',
] as const;

function isRunNumericAttribute(key: string): key is RunNumericAttribute {
  return key === 'start_time' || key === 'end_time' || key === 'created';
}

const datasetFields = new Map<string, DatasetField>([
  ['name', 'name'],
  ['digest', 'digest'],
  ['context', 'context'],
]);

function metricClause(clause: ScannedClause): MetricClause {
  const key = clause.identifier.key;
  const comparator = checkComparator(clause, numericComparators, `metric ${quoteToken(key)}`);
  return {
    kind: 'metric',
    key,
    comparator,
    value: numberValue(clause, 'Expected numeric value type for metric.'),
  };
}

function keyValueClause(clause: ScannedClause, kind: 'param' | 'tag'): KeyValueClause {
  const key = clause.identifier.key;
  const word = kind === 'param' ? 'parameter' : 'tag';
  const comparator = checkComparator(clause, stringOrNull, `${word} ${quoteToken(key)}`);
  if (isNullComparator(comparator)) return { kind, key, comparator };
  return { kind, key, comparator, value: stringValue(clause, word) };
}

function onlyRunIdTakesLists(clause: ScannedClause): never {
  throw new KeelError(
    'INVALID_PARAMETER_VALUE',
    `Only the 'run_id' attribute supports comparison with a list of quoted string values. ${atPosition(clause.comparatorPosition)}`,
  );
}

function runAttributeClause(clause: ScannedClause): RunAttributeClause {
  const key = resolveAttribute(clause.identifier, runAttributeNames, runAttributeKeys);
  const subject = `attribute ${quoteToken(key)}`;
  if (isRunNumericAttribute(key)) {
    if (key === 'end_time') {
      const comparator = checkComparator(clause, [...numericComparators, ...nullComparators], subject);
      if (isNullComparator(comparator)) return { kind: 'attribute', key, comparator };
      return { kind: 'attribute', key, comparator, value: integerValue(clause, key) };
    }
    const comparator = checkComparator(clause, numericComparators, subject);
    return { kind: 'attribute', key, comparator, value: integerValue(clause, key) };
  }
  if (key === 'run_id') {
    const comparator = checkComparator(clause, stringOrSet, subject);
    if (isSetComparator(comparator)) return { kind: 'attribute', key, comparator, values: listValue(clause) };
    return { kind: 'attribute', key, comparator, value: stringValue(clause, 'attributes') };
  }
  if (isSetComparator(clause.comparator)) onlyRunIdTakesLists(clause);
  const comparator = checkComparator(clause, stringComparators, subject);
  return { kind: 'attribute', key, comparator, value: stringValue(clause, 'attributes') };
}

function datasetClause(clause: ScannedClause): DatasetClause {
  const key = datasetFields.get(clause.identifier.key);
  if (key === undefined) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Invalid dataset key ${quoteToken(clause.identifier.key)} specified. Valid keys are ${pythonList([...datasetFields.keys()])} ${atPosition(clause.identifier.position)}`,
    );
  }
  const comparator = checkComparator(clause, stringOrSet, `dataset ${quoteToken(key)}`);
  if (isSetComparator(comparator)) return { kind: 'dataset', key, comparator, values: listValue(clause) };
  return { kind: 'dataset', key, comparator, value: stringValue(clause, 'dataset attributes') };
}

const runEntities: readonly EntityKind[] = ['metric', 'param', 'tag', 'attribute', 'dataset'];

/**
 * Parses a search-runs filter.
 *
 * - `metrics.<k>` (alias `metric.`): `= != < <= > >=` with a number.
 * - `params.<k>` / `tags.<k>` (aliases `param.`, `parameter(s).`, `tag.`): `= != LIKE ILIKE` with a
 *   string, or `IS NULL` / `IS NOT NULL` (a Keel addition MLflow's newest grammar also has).
 * - attributes (bare, or `attributes.`/`attribute.`/`attr.`/`run.`): `run_id`, `run_name` (alias
 *   `"run name"`), `status`, `user_id`, `artifact_uri` take `= != LIKE ILIKE`; `run_id` also
 *   `IN`/`NOT IN`; `start_time`, `end_time`, `created` (alias `Created`) take numeric comparators with
 *   an integer; `end_time` also `IS NULL`/`IS NOT NULL`.
 * - `datasets.<name|digest|context>` (alias `dataset.`): `= != LIKE ILIKE IN NOT IN`.
 *
 * @example
 * parseRunFilter("metrics.acc >= 0.9 AND params.model = 'cnn' AND attributes.run_id IN ('a', 'b')")
 * // [{ kind: 'metric', key: 'acc', comparator: '>=', value: 0.9 },
 * //  { kind: 'param', key: 'model', comparator: '=', value: 'cnn' },
 * //  { kind: 'attribute', key: 'run_id', comparator: 'IN', values: ['a', 'b'] }]
 */
export function parseRunFilter(filter: string | null | undefined): RunFilterClause[] {
  return scanFilter(filter).map((clause): RunFilterClause => {
    const entity = resolveEntity(clause.identifier, runEntities, RUN_ENTITY_TEXT);
    switch (entity) {
      case 'metric':
        return metricClause(clause);
      case 'param':
      case 'tag':
        return keyValueClause(clause, entity);
      case 'dataset':
        return datasetClause(clause);
      case 'attribute':
        return runAttributeClause(clause);
    }
  });
}

export const experimentAttributeKeys = ['name', 'creation_time', 'last_update_time'] as const;
const experimentAttributeNames = new Map<string, (typeof experimentAttributeKeys)[number]>(
  experimentAttributeKeys.map((key) => [key, key]),
);
export const EXPERIMENT_ENTITY_TEXT = "Valid entity types are ('attribute', 'tag', 'tags')";

/**
 * Parses a search-experiments filter: `name` (`= != LIKE ILIKE`), `creation_time` and
 * `last_update_time` (numeric, integers), `tags.<k>` (`= != LIKE ILIKE`, `IS NULL`, `IS NOT NULL`).
 *
 * @example
 * parseExperimentFilter("name LIKE 'prod-%' AND tags.team = 'core'")
 */
export function parseExperimentFilter(filter: string | null | undefined): ExperimentFilterClause[] {
  return scanFilter(filter).map((clause): ExperimentFilterClause => {
    const entity = resolveEntity(clause.identifier, ['attribute', 'tag'], EXPERIMENT_ENTITY_TEXT);
    if (entity === 'tag') return keyValueClause(clause, 'tag') as ExperimentFilterClause;
    const key = resolveAttribute(clause.identifier, experimentAttributeNames, experimentAttributeKeys);
    const subject = `attribute ${quoteToken(key)}`;
    if (key === 'name') {
      if (isSetComparator(clause.comparator)) onlyRunIdTakesLists(clause);
      const comparator = checkComparator(clause, stringComparators, subject);
      return { kind: 'attribute', key, comparator, value: stringValue(clause, 'attributes') };
    }
    const comparator = checkComparator(clause, numericComparators, subject);
    return { kind: 'attribute', key, comparator, value: integerValue(clause, key) };
  });
}

export const loggedModelAttributeKeys = [
  'name',
  'model_id',
  'model_type',
  'status',
  'source_run_id',
  'creation_timestamp',
  'last_updated_timestamp',
] as const;
/** Logged-model attribute names with MLflow's aliases (`creation_time`, `..._ms`). */
export const loggedModelAttributeNames: ReadonlyMap<
  string,
  LoggedModelStringAttribute | LoggedModelNumericAttribute
> = new Map([
  ['name', 'name'],
  ['model_id', 'model_id'],
  ['model_type', 'model_type'],
  ['status', 'status'],
  ['source_run_id', 'source_run_id'],
  ['creation_timestamp', 'creation_timestamp'],
  ['creation_timestamp_ms', 'creation_timestamp'],
  ['creation_time', 'creation_timestamp'],
  ['last_updated_timestamp', 'last_updated_timestamp'],
  ['last_updated_timestamp_ms', 'last_updated_timestamp'],
  ['last_updated_time', 'last_updated_timestamp'],
] as const);

export function isLoggedModelNumericAttribute(key: string): key is LoggedModelNumericAttribute {
  return key === 'creation_timestamp' || key === 'last_updated_timestamp';
}

/**
 * Parses a search-logged-models filter: attributes `name`, `model_id`, `model_type`, `status`,
 * `source_run_id` (`= != LIKE ILIKE IN NOT IN`), `creation_timestamp` and `last_updated_timestamp`
 * (aliases `..._ms`, `creation_time`, `last_updated_time`; numeric, integers); `metrics.<k>`,
 * `params.<k>` and `tags.<k>` as in search-runs.
 *
 * @example
 * parseLoggedModelFilter("name = 'model' AND source_run_id = 'abc' AND metrics.rmse < 0.5")
 */
export function parseLoggedModelFilter(filter: string | null | undefined): LoggedModelFilterClause[] {
  return scanFilter(filter).map((clause): LoggedModelFilterClause => {
    const entity = resolveEntity(
      clause.identifier,
      ['metric', 'param', 'tag', 'attribute'],
      `Valid values are ${pythonList(['metric', 'parameter', 'tag', 'attribute'])}`,
    );
    if (entity === 'metric') return metricClause(clause);
    if (entity === 'param' || entity === 'tag') return keyValueClause(clause, entity);
    const key = resolveAttribute(clause.identifier, loggedModelAttributeNames, loggedModelAttributeKeys);
    const subject = `attribute ${quoteToken(key)}`;
    if (isLoggedModelNumericAttribute(key)) {
      const comparator = checkComparator(clause, numericComparators, subject);
      return { kind: 'attribute', key, comparator, value: integerValue(clause, key) };
    }
    const comparator = checkComparator(clause, stringOrSet, subject);
    if (isSetComparator(comparator)) return { kind: 'attribute', key, comparator, values: listValue(clause) };
    return { kind: 'attribute', key, comparator, value: stringValue(clause, 'attributes') };
  });
}
