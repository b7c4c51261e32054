import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type {
  DatasetClause,
  KeyValueClause,
  MetricClause,
  RunAttributeClause,
  RunFilterClause,
} from '../../../core/tracking/index.js';
import type { SqlCapabilities } from '../dialect.js';
import { keyValueExists } from './key-value-exists.js';
import { matchNumber, matchSet, matchString } from './string-match.js';

/**
 * Translates parsed search-runs clauses into conditions on `runs r`. Every clause becomes a column
 * test on `r` or a correlated EXISTS on one side table, so each is answered by a primary-key lookup
 * per candidate run. Keys and values are always bound parameters.
 */

/** The runs columns the attribute names of the grammar map to. */
export const runAttributeColumns = {
  run_id: 'run_uuid',
  run_name: 'name',
  status: 'status',
  user_id: 'user_id',
  artifact_uri: 'artifact_uri',
  start_time: 'start_time',
  created: 'start_time',
  end_time: 'end_time',
} as const;

export type RunColumn = (typeof runAttributeColumns)[keyof typeof runAttributeColumns];

/** The MLflow tag that names a dataset input's role (`training`, `eval`, ...). */
const datasetContextTag = 'mlflow.data.context';

export function runFilterCondition(caps: SqlCapabilities, clause: RunFilterClause): Expression<SqlBool> {
  switch (clause.kind) {
    case 'metric':
      // A scalar lookup rather than EXISTS: with only equalities inside, the engine reads the
      // run's one row through the primary key instead of range-scanning the key's value index
      // once per run (which SQLite does for EXISTS when it has no statistics). NULL (no value,
      // or NaN) matches no comparison.
      return metricValueTest(
        sql`(select f.value from latest_metrics f where f.run_uuid = r.run_uuid and f.key = ${clause.key} and f.is_nan = 0)`,
        clause,
      );
    case 'param':
    case 'tag':
      return keyValueCondition(caps, clause);
    case 'attribute':
      return attributeCondition(caps, clause);
    case 'dataset':
      return datasetCondition(caps, clause);
  }
}

/**
 * How many latest values match the metric clause, counting no further than `limit` (a bounded walk
 * of the `latest_metrics_key_value` index, in every experiment).
 */
export function metricMatchCount(clause: MetricClause, limit: number): RawBuilder<{ n: number }> {
  return sql<{
    n: number;
  }>`select count(*) as n from (select 1 from latest_metrics f where f.key = ${clause.key} and f.is_nan = 0 and ${metricValueTest(sql.ref('f.value'), clause)} limit ${limit}) t`;
}

/** The comparison of a clause against a latest-value column (NaN rows are excluded by the caller). */
export function metricValueTest(value: Expression<unknown>, clause: MetricClause): Expression<SqlBool> {
  return matchNumber(value, clause.comparator, clause.value);
}

function keyValueCondition(caps: SqlCapabilities, clause: KeyValueClause): Expression<SqlBool> {
  const table = clause.kind === 'param' ? 'params' : 'tags';
  return keyValueExists(caps, { table, ownerColumn: 'run_uuid', owner: 'r.run_uuid' }, clause);
}

function attributeCondition(caps: SqlCapabilities, clause: RunAttributeClause): Expression<SqlBool> {
  const column = sql.ref(`r.${runAttributeColumns[clause.key]}`);
  switch (clause.comparator) {
    case 'IS NULL':
      return sql<SqlBool>`${column} is null`;
    case 'IS NOT NULL':
      return sql<SqlBool>`${column} is not null`;
    case 'IN':
    case 'NOT IN':
      return matchSet(column, clause.comparator, clause.values);
    case 'LIKE':
    case 'ILIKE':
      return matchString(caps, column, clause.comparator, clause.value);
    default:
      // `=` and `!=` exist for both string and numeric attributes.
      return typeof clause.value === 'number'
        ? matchNumber(column, clause.comparator, clause.value, true)
        : matchString(caps, column, clause.comparator as '=' | '!=', clause.value);
  }
}

/**
 * A run matches a dataset clause when one of its dataset inputs does (so `!=` and `NOT IN` match a
 * run with some other dataset, as in MLflow).
 */
function datasetCondition(caps: SqlCapabilities, clause: DatasetClause): Expression<SqlBool> {
  if (clause.key === 'context') {
    const test = datasetValueTest(caps, sql.ref('t.value'), clause);
    return sql<SqlBool>`exists (select 1 from run_dataset_input_tags t where t.run_uuid = r.run_uuid and t.key = ${datasetContextTag} and ${test})`;
  }
  const test = datasetValueTest(caps, sql.ref(clause.key === 'name' ? 'd.name' : 'd.digest'), clause);
  return sql<SqlBool>`exists (select 1 from run_dataset_inputs i join datasets d on d.dataset_uuid = i.dataset_uuid where i.run_uuid = r.run_uuid and ${test})`;
}

function datasetValueTest(
  caps: SqlCapabilities,
  column: Expression<unknown>,
  clause: DatasetClause,
): Expression<SqlBool> {
  return 'values' in clause
    ? matchSet(column, clause.comparator, clause.values)
    : matchString(caps, column, clause.comparator, clause.value);
}
