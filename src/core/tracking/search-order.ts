import { KeelError } from '../errors.js';
import type { ExperimentOrderBy, LoggedModelOrderBy, RunOrderBy } from './search-ast.js';
import { pythonList, resolveAttribute, resolveEntity } from './search-clauses.js';
import {
  RUN_ENTITY_TEXT,
  loggedModelAttributeKeys,
  loggedModelAttributeNames,
  runAttributeKeys,
  runAttributeNames,
} from './search-filter.js';
import { atPosition, quoteToken, scanOrderBy } from './search-scanner.js';

/**
 * MLflow's `order_by`, parsed. Items are `<key> [ASC|DESC]` (ascending by default) with the keys of
 * the matching filter grammar. Tie-breakers are the store's business, not added here. A key given
 * twice, or more than `MAX_ORDER_BY_ITEMS` items, is `INVALID_PARAMETER_VALUE`.
 */

/** More order_by items than this are refused: each one is a sort key (and often a join) in SQL. */
export const MAX_ORDER_BY_ITEMS = 20;

function invalid(message: string): KeelError {
  return new KeelError('INVALID_PARAMETER_VALUE', message);
}

function checkCount(items: readonly unknown[]): void {
  if (!Array.isArray(items)) throw invalid(`Invalid order_by: expected a list, got ${typeof items}`);
  if (items.length > MAX_ORDER_BY_ITEMS) {
    throw invalid(`Invalid order_by: at most ${MAX_ORDER_BY_ITEMS} items are allowed, got ${items.length}`);
  }
}

/** Remembers keys seen so far and fails on the second sighting of one. */
function duplicateGuard(): (identity: string, shown: string) => void {
  const seen = new Set<string>();
  return (identity, shown) => {
    if (seen.has(identity)) throw invalid(`Invalid order_by: ${quoteToken(shown)} is given more than once`);
    seen.add(identity);
  };
}

/**
 * Parses search-runs `order_by`: `metrics.<k>`, `params.<k>`, `tags.<k>` or a run attribute
 * (`run_id`, `run_name`, `status`, `user_id`, `artifact_uri`, `start_time`, `end_time`, `created`).
 * `created` and `start_time` are the same key for the duplicate check.
 *
 * @example
 * parseRunOrderBy(['metrics.`f1 score` DESC', 'start_time'])
 * // [{ kind: 'metric', key: 'f1 score', ascending: false }, { kind: 'attribute', key: 'start_time', ascending: true }]
 */
export function parseRunOrderBy(items: readonly string[] | null | undefined): RunOrderBy[] {
  if (items === undefined || items === null) return [];
  checkCount(items);
  const guard = duplicateGuard();
  return items.map((item): RunOrderBy => {
    const { identifier, ascending } = scanOrderBy(item);
    const entity = resolveEntity(
      identifier,
      ['metric', 'param', 'tag', 'attribute', 'dataset'],
      RUN_ENTITY_TEXT,
    );
    if (entity === 'dataset') {
      throw invalid(
        `Invalid order_by entity type 'dataset' in ${quoteToken(item)}: order by an attribute, metrics.<key>, params.<key> or tags.<key> ${atPosition(identifier.position)}`,
      );
    }
    if (entity === 'attribute') {
      const key = resolveAttribute(identifier, runAttributeNames, runAttributeKeys);
      guard(`attribute:${key === 'created' ? 'start_time' : key}`, key);
      return { kind: 'attribute', key, ascending };
    }
    guard(`${entity}:${identifier.key}`, `${entity}s.${identifier.key}`);
    return { kind: entity, key: identifier.key, ascending };
  });
}

export const experimentOrderKeys = ['name', 'experiment_id', 'creation_time', 'last_update_time'] as const;
const experimentOrderNames = new Map<string, ExperimentOrderBy['key']>(
  experimentOrderKeys.map((key) => [key, key]),
);

/**
 * Parses search-experiments `order_by`: `name`, `experiment_id`, `creation_time`,
 * `last_update_time` (bare or with `attribute.`).
 *
 * @example
 * parseExperimentOrderBy(['last_update_time DESC']) // [{ key: 'last_update_time', ascending: false }]
 */
export function parseExperimentOrderBy(items: readonly string[] | null | undefined): ExperimentOrderBy[] {
  if (items === undefined || items === null) return [];
  checkCount(items);
  const guard = duplicateGuard();
  return items.map((item) => {
    const { identifier, ascending } = scanOrderBy(item);
    const entity = resolveEntity(
      identifier,
      ['attribute', 'tag'],
      "Valid entity types are ('attribute', 'tag', 'tags')",
    );
    if (entity !== 'attribute') {
      throw invalid(
        `Invalid order_by entity: ${entity} in ${quoteToken(item)}; experiments are ordered by ${experimentOrderKeys.join(', ')}`,
      );
    }
    const key = resolveAttribute(identifier, experimentOrderNames, experimentOrderKeys);
    guard(key, key);
    return { key, ascending };
  });
}

function optionalString(value: unknown, field: string, index: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw invalid(`Invalid value for order_by[${index}].${field}: expected a string, got ${typeof value}`);
  }
  return value === '' ? undefined : value;
}

/**
 * Parses search-logged-models `order_by`, a list of objects
 * `{ field_name, ascending = true, dataset_name?, dataset_digest? }`. `field_name` is an attribute
 * (`name`, `model_id`, `model_type`, `status`, `source_run_id`, `creation_timestamp`,
 * `last_updated_timestamp`, with the filter's aliases) or `metrics.<key>`; `dataset_digest` needs
 * `dataset_name`.
 *
 * @example
 * parseLoggedModelOrderBy([{ field_name: 'metrics.rmse', ascending: true, dataset_name: 'eval' }])
 * // [{ field: { kind: 'metric', key: 'rmse' }, ascending: true, datasetName: 'eval' }]
 */
export function parseLoggedModelOrderBy(items: readonly unknown[] | null | undefined): LoggedModelOrderBy[] {
  if (items === undefined || items === null) return [];
  checkCount(items);
  const guard = duplicateGuard();
  return items.map((item, index): LoggedModelOrderBy => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalid('`order_by` must be a list of objects such as {"field_name": "creation_timestamp"}.');
    }
    const entry = item as Record<string, unknown>;
    const fieldName = entry.field_name;
    if (typeof fieldName !== 'string' || fieldName.trim() === '') {
      throw invalid(`\`field_name\` in the \`order_by\` clause must be specified (order_by[${index}]).`);
    }
    const ascending = entry.ascending ?? true;
    if (typeof ascending !== 'boolean') {
      throw invalid(
        `Value of \`ascending\` in the \`order_by\` clause must be a boolean, got ${typeof ascending} for field ${fieldName}.`,
      );
    }
    const datasetName = optionalString(entry.dataset_name, 'dataset_name', index);
    const datasetDigest = optionalString(entry.dataset_digest, 'dataset_digest', index);
    if (datasetDigest !== undefined && datasetName === undefined) {
      throw invalid('`dataset_digest` can only be specified if `dataset_name` is also specified.');
    }
    let field: LoggedModelOrderBy['field'];
    const dot = fieldName.indexOf('.');
    if (dot >= 0) {
      const entity = fieldName.slice(0, dot);
      const key = fieldName.slice(dot + 1);
      if (entity !== 'metrics' && entity !== 'metric') {
        throw invalid(`Invalid order by field name: ${entity}, only \`metrics.<name>\` is allowed.`);
      }
      if (key === '') throw invalid(`Invalid order by field name: ${fieldName}, the metric name is missing.`);
      field = { kind: 'metric', key };
    } else {
      const key = loggedModelAttributeNames.get(fieldName.trim());
      if (key === undefined) {
        throw invalid(
          `Invalid order by field name: ${fieldName}. Valid names are ${pythonList(loggedModelAttributeKeys)} or metrics.<name>.`,
        );
      }
      field = { kind: 'attribute', key };
    }
    guard(
      JSON.stringify([field.kind, field.key, datasetName ?? null, datasetDigest ?? null]),
      field.kind === 'metric' ? `metrics.${field.key}` : field.key,
    );
    const parsed: LoggedModelOrderBy = { field, ascending };
    if (datasetName !== undefined) parsed.datasetName = datasetName;
    if (datasetDigest !== undefined) parsed.datasetDigest = datasetDigest;
    return parsed;
  });
}
