/**
 * The parsed form of MLflow's search grammar. The parsers in `search-filter.ts` and
 * `search-order.ts` produce these; the stores translate them into queries. Values are already
 * typed: numeric comparisons carry numbers, string comparisons strings, `IN` a list.
 */

export type NumericComparator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type StringComparator = '=' | '!=' | 'LIKE' | 'ILIKE';
export type SetComparator = 'IN' | 'NOT IN';
export type NullComparator = 'IS NULL' | 'IS NOT NULL';

/** A numeric comparison against the latest value of a metric. */
export interface MetricClause {
  kind: 'metric';
  key: string;
  comparator: NumericComparator;
  value: number;
}

/** A comparison on a param or tag value; `IS NULL` matches runs that lack the key. */
export type KeyValueClause =
  | { kind: 'param' | 'tag'; key: string; comparator: StringComparator; value: string }
  | { kind: 'param' | 'tag'; key: string; comparator: NullComparator };

export type RunStringAttribute = 'run_id' | 'run_name' | 'status' | 'user_id' | 'artifact_uri';
export type RunNumericAttribute = 'start_time' | 'end_time' | 'created';

export type RunAttributeClause =
  | { kind: 'attribute'; key: RunStringAttribute; comparator: StringComparator; value: string }
  | { kind: 'attribute'; key: 'run_id'; comparator: SetComparator; values: string[] }
  | { kind: 'attribute'; key: RunNumericAttribute; comparator: NumericComparator; value: number }
  | { kind: 'attribute'; key: 'end_time'; comparator: NullComparator };

export type DatasetField = 'name' | 'digest' | 'context';
export type DatasetClause =
  | { kind: 'dataset'; key: DatasetField; comparator: StringComparator; value: string }
  | { kind: 'dataset'; key: DatasetField; comparator: SetComparator; values: string[] };

export type RunFilterClause = MetricClause | KeyValueClause | RunAttributeClause | DatasetClause;

/** One `order_by` item of search-runs. Runs lacking a metric, param or tag sort last either way. */
export type RunOrderBy =
  | { kind: 'attribute'; key: RunStringAttribute | RunNumericAttribute; ascending: boolean }
  | { kind: 'metric' | 'param' | 'tag'; key: string; ascending: boolean };

export type ExperimentFilterClause =
  | { kind: 'attribute'; key: 'name'; comparator: StringComparator; value: string }
  | {
      kind: 'attribute';
      key: 'creation_time' | 'last_update_time';
      comparator: NumericComparator;
      value: number;
    }
  | { kind: 'tag'; key: string; comparator: StringComparator; value: string }
  | { kind: 'tag'; key: string; comparator: NullComparator };

export interface ExperimentOrderBy {
  key: 'name' | 'experiment_id' | 'creation_time' | 'last_update_time';
  ascending: boolean;
}

export type LoggedModelStringAttribute = 'name' | 'model_id' | 'model_type' | 'status' | 'source_run_id';
export type LoggedModelNumericAttribute = 'creation_timestamp' | 'last_updated_timestamp';

export type LoggedModelFilterClause =
  | { kind: 'attribute'; key: LoggedModelStringAttribute; comparator: StringComparator; value: string }
  | { kind: 'attribute'; key: LoggedModelStringAttribute; comparator: SetComparator; values: string[] }
  | {
      kind: 'attribute';
      key: LoggedModelNumericAttribute;
      comparator: NumericComparator;
      value: number;
    }
  | MetricClause
  | KeyValueClause;

export interface LoggedModelOrderBy {
  /** An attribute name (`name`, `creation_timestamp`, ...) or `metrics.<key>`. */
  field:
    | { kind: 'attribute'; key: LoggedModelStringAttribute | LoggedModelNumericAttribute }
    | { kind: 'metric'; key: string };
  ascending: boolean;
  datasetName?: string;
  datasetDigest?: string;
}
