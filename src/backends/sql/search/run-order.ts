import { sql } from 'kysely';
import type { RunFilterClause, RunOrderBy } from '../../../core/tracking/index.js';
import type { SortComponent } from './keyset.js';
import { runAttributeColumns, type RunColumn } from './run-filters.js';

/**
 * The order of a run search as sort components, split into segments when the first key is a
 * metric: runs with a number for it (walked along the `latest_metrics_key_value` index), then runs
 * where it is NaN, then runs lacking it. Every other order is one segment whose components put
 * missing values last.
 */

export type RunSortKey =
  | { kind: 'attribute'; column: RunColumn; descending: boolean }
  | { kind: 'metric' | 'param' | 'tag'; key: string; descending: boolean };

export type RunSegment =
  /** Runs joined to `latest_metrics o` (the first key's row), with a number (`values`) or NaN. */
  | { kind: 'metric-values' | 'metric-nan'; key: string; components: SortComponent[] }
  /** Runs lacking the first key's metric. */
  | { kind: 'metric-missing'; key: string; components: SortComponent[] }
  /** All runs, one order. */
  | { kind: 'all'; components: SortComponent[] };

/**
 * The requested keys, each (kind, key) once, then the tie-breakers `start_time DESC` (unless the
 * start time is already a key) and `run_uuid ASC` (unless the id is).
 */
export function runSortKeys(orderBy: readonly RunOrderBy[]): RunSortKey[] {
  const keys: RunSortKey[] = [];
  const seen = new Set<string>();
  for (const item of orderBy) {
    const key: RunSortKey =
      item.kind === 'attribute'
        ? { kind: 'attribute', column: runAttributeColumns[item.key], descending: !item.ascending }
        : { kind: item.kind, key: item.key, descending: !item.ascending };
    const id = key.kind === 'attribute' ? `attribute\u0000${key.column}` : `${key.kind}\u0000${key.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    keys.push(key);
  }
  if (!seen.has('attribute\u0000start_time'))
    keys.push({ kind: 'attribute', column: 'start_time', descending: true });
  if (!seen.has('attribute\u0000run_uuid'))
    keys.push({ kind: 'attribute', column: 'run_uuid', descending: false });
  return keys;
}

/**
 * The segments of the order, in the order they are read. A metric filter on the first key's metric
 * can match no NaN and no missing value, so those segments are left out then.
 */
export function runSegments(keys: readonly RunSortKey[], filter: readonly RunFilterClause[]): RunSegment[] {
  const [first, ...rest] = keys;
  if (!first || first.kind !== 'metric')
    return [{ kind: 'all', components: keys.flatMap(sortKeyComponents) }];
  const restComponents = rest.flatMap(sortKeyComponents);
  const values: RunSegment = {
    kind: 'metric-values',
    key: first.key,
    components: [
      { expr: sql.ref('o.value'), descending: first.descending, nullable: false, type: 'number' },
      ...restComponents,
    ],
  };
  if (filter.some((c) => c.kind === 'metric' && c.key === first.key)) return [values];
  return [
    values,
    { kind: 'metric-nan', key: first.key, components: restComponents },
    { kind: 'metric-missing', key: first.key, components: restComponents },
  ];
}

const integerColumns: ReadonlySet<RunColumn> = new Set(['start_time', 'end_time']);

/** One key as components: a column, or correlated lookups of the run's value (null when absent). */
function sortKeyComponents(key: RunSortKey): SortComponent[] {
  switch (key.kind) {
    case 'attribute':
      return [
        {
          expr: sql.ref(`r.${key.column}`),
          descending: key.descending,
          nullable: key.column === 'end_time',
          type: integerColumns.has(key.column) ? 'integer' : 'string',
        },
      ];
    case 'metric':
      // A number (is_nan 0) before NaN (is_nan 1) before none (null), whatever the direction.
      return [
        {
          expr: sql`(select f.is_nan from latest_metrics f where f.run_uuid = r.run_uuid and f.key = ${key.key})`,
          descending: false,
          nullable: true,
          type: 'integer',
        },
        {
          expr: sql`(select f.value from latest_metrics f where f.run_uuid = r.run_uuid and f.key = ${key.key})`,
          descending: key.descending,
          nullable: true,
          type: 'number',
        },
      ];
    case 'param':
    case 'tag': {
      const table = sql.table(key.kind === 'param' ? 'params' : 'tags');
      return [
        {
          expr: sql`(select f.value from ${table} f where f.run_uuid = r.run_uuid and f.key = ${key.key})`,
          descending: key.descending,
          nullable: true,
          type: 'string',
        },
      ];
    }
  }
}
