import { sql, type Expression, type SqlBool } from 'kysely';
import type { NullComparator, StringComparator } from '../../../core/tracking/index.js';
import type { SqlCapabilities } from '../dialect.js';
import { matchString } from './string-match.js';

/** A filter on one key of a key/value table (params, tags): its value, or whether it is there. */
export type KeyValueFilter =
  { key: string; comparator: StringComparator; value: string } | { key: string; comparator: NullComparator };

/** Where an owner's key/value rows live: `table`, whose `ownerColumn` equals the outer `owner` column. */
export interface KeyValueRows {
  table: 'params' | 'tags' | 'experiment_tags' | 'logged_model_params' | 'logged_model_tags';
  ownerColumn: 'run_uuid' | 'experiment_id' | 'model_id';
  /** The qualified column of the outer query, e.g. `r.run_uuid`. */
  owner: string;
}

/**
 * The `EXISTS` test of a key/value clause against the outer row: `IS NULL` holds when the key is
 * absent, `IS NOT NULL` when it is present, any other comparator when the key is present with a
 * matching value (MLflow's string semantics, see `matchString`).
 *
 * @example
 * keyValueExists(caps, { table: 'tags', ownerColumn: 'run_uuid', owner: 'r.run_uuid' }, clause)
 * // exists (select 1 from tags f where f.run_uuid = r.run_uuid and f.key = $1 and f.value = $2)
 */
export function keyValueExists(
  caps: SqlCapabilities,
  rows: KeyValueRows,
  clause: KeyValueFilter,
): Expression<SqlBool> {
  const has = sql`select 1 from ${sql.table(rows.table)} f where ${sql.ref(`f.${rows.ownerColumn}`)} = ${sql.ref(rows.owner)} and f.key = ${clause.key}`;
  if (!('value' in clause)) {
    return clause.comparator === 'IS NULL'
      ? sql<SqlBool>`not exists (${has})`
      : sql<SqlBool>`exists (${has})`;
  }
  return sql<SqlBool>`exists (${has} and ${matchString(caps, sql.ref('f.value'), clause.comparator, clause.value)})`;
}
