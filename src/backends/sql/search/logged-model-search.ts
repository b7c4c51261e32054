import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { LoggedModel, Page } from '../../../core/tracking/index.js';
import type {
  LoggedModelFilterClause,
  LoggedModelNumericAttribute,
  LoggedModelOrderBy,
  LoggedModelStringAttribute,
  MetricClause,
} from '../../../core/tracking/index.js';
import type { LoggedModelSearchQuery } from '../../../core/tracking/index.js';
import type { SqlCapabilities } from '../dialect.js';
import { loadLoggedModels } from '../logged-model-loader.js';
import type { SqlDatabase } from '../open-database.js';
import {
  decodeKeysetToken,
  finishKeysetPage,
  keysetAfter,
  orderByComponents,
  tokenScope,
  selectComponents,
  sortValuesOf,
  type SortComponent,
} from './keyset.js';
import { experimentIdsToNumbers } from './search-scope.js';
import { keyValueExists } from './key-value-exists.js';
import { matchNumber, matchSet, matchString } from './string-match.js';

const attributeColumns = {
  name: 'name',
  model_id: 'model_id',
  model_type: 'model_type',
  status: 'status',
  source_run_id: 'source_run_id',
  creation_timestamp: 'creation_timestamp_ms',
  last_updated_timestamp: 'last_updated_timestamp_ms',
} as const satisfies Record<LoggedModelStringAttribute | LoggedModelNumericAttribute, string>;

const nullableColumns: ReadonlySet<string> = new Set(['model_type', 'source_run_id']);
const integerColumns: ReadonlySet<string> = new Set(['creation_timestamp_ms', 'last_updated_timestamp_ms']);

/** Which metric points count: all, or those logged against one of these datasets. */
type DatasetScope = readonly { datasetName: string; datasetDigest?: string }[];

/**
 * MLflow's search-logged-models over active models of the given experiments. A metric clause
 * matches when the model's latest point of that metric (latest timestamp, then step), among the
 * points of the query's datasets when it names any, satisfies it. Order items put models lacking
 * the value last; `creation_timestamp DESC` (unless ordered by) and `model_id` break ties.
 */
export async function searchLoggedModels(
  sqlDb: SqlDatabase,
  q: LoggedModelSearchQuery,
): Promise<Page<LoggedModel>> {
  const scope = tokenScope('logged-models', q.experimentIds, q.filter, q.orderBy, q.datasets);
  const components = loggedModelSortComponents(q.orderBy);
  const start = q.pageToken
    ? decodeKeysetToken(q.pageToken, scope, (s) => (s === 0 ? components : undefined))
    : undefined;
  const experimentIds = experimentIdsToNumbers(q.experimentIds);
  if (experimentIds.length === 0 || q.maxResults < 1) return { items: [] };

  let qb = sqlDb.db
    .selectFrom('logged_models as m')
    .select('m.model_id')
    .where('m.experiment_id', 'in', experimentIds)
    .where('m.lifecycle_stage', '=', 'active');
  for (const clause of q.filter) qb = qb.where(loggedModelFilterCondition(sqlDb.caps, clause, q.datasets));
  if (q.datasets.length > 0 && !q.filter.some((c) => c.kind === 'metric')) {
    // Datasets without a metric clause: the models with some metric on those datasets.
    qb = qb.where(
      sql<SqlBool>`exists (select 1 from logged_model_metrics f where f.model_id = m.model_id and ${inDatasets('f', q.datasets)})`,
    );
  }
  if (start) qb = qb.where(keysetAfter(components, start.values));
  qb = orderByComponents(selectComponents(qb, components), components).limit(q.maxResults + 1);
  const rows = (await qb.execute()) as (Record<string, unknown> & { model_id: string })[];

  return finishKeysetPage(
    rows,
    q.maxResults,
    scope,
    (page) =>
      loadLoggedModels(
        sqlDb,
        page.map((r) => r.model_id),
      ),
    (last) => ({ segment: 0, values: sortValuesOf(last, components) }),
  );
}

function loggedModelFilterCondition(
  caps: SqlCapabilities,
  clause: LoggedModelFilterClause,
  datasets: DatasetScope,
): Expression<SqlBool> {
  switch (clause.kind) {
    case 'attribute': {
      const columnName = attributeColumns[clause.key];
      const column = sql.ref(`m.${columnName}`);
      if ('values' in clause) return matchSet(column, clause.comparator, clause.values);
      return isNumericClause(clause)
        ? matchNumber(column, clause.comparator, clause.value, true)
        : matchString(caps, column, clause.comparator, clause.value);
    }
    case 'metric':
      return latestMetricMatches(clause, datasets);
    case 'param':
    case 'tag': {
      const table = clause.kind === 'param' ? 'logged_model_params' : 'logged_model_tags';
      return keyValueExists(caps, { table, ownerColumn: 'model_id', owner: 'm.model_id' }, clause);
    }
  }
}

type AttributeClause = Extract<LoggedModelFilterClause, { kind: 'attribute'; value: unknown }>;

function isNumericClause(clause: AttributeClause): clause is Extract<AttributeClause, { value: number }> {
  return typeof clause.value === 'number';
}

/** The model's latest point of the clause's metric (in scope) exists, is a number, and matches. */
function latestMetricMatches(clause: MetricClause, datasets: DatasetScope): Expression<SqlBool> {
  const inScopeF = datasets.length > 0 ? sql`and ${inDatasets('f', datasets)}` : sql``;
  const inScopeG = datasets.length > 0 ? sql`and ${inDatasets('g', datasets)}` : sql``;
  return sql<SqlBool>`exists (select 1 from logged_model_metrics f
    where f.model_id = m.model_id and f.key = ${clause.key} ${inScopeF}
      and f.is_nan = 0 and ${matchNumber(sql.ref('f.value'), clause.comparator, clause.value)}
      and not exists (select 1 from logged_model_metrics g
        where g.model_id = f.model_id and g.key = f.key ${inScopeG}
          and (g.timestamp > f.timestamp or (g.timestamp = f.timestamp and (g.step > f.step
            or (g.step = f.step and (g.is_nan > f.is_nan or (g.is_nan = f.is_nan and g.value > f.value))))))))`;
}

/** `alias` is a `logged_model_metrics` row of one of the datasets. */
function inDatasets(alias: 'f' | 'g', datasets: DatasetScope): RawBuilder<SqlBool> {
  const name = sql.ref(`${alias}.dataset_name`);
  const digest = sql.ref(`${alias}.dataset_digest`);
  const alternatives = datasets.map((d) =>
    d.datasetDigest === undefined
      ? sql`${name} = ${d.datasetName}`
      : sql`(${name} = ${d.datasetName} and ${digest} = ${d.datasetDigest})`,
  );
  return sql<SqlBool>`(${sql.join(alternatives, sql` or `)})`;
}

function loggedModelSortComponents(orderBy: readonly LoggedModelOrderBy[]): SortComponent[] {
  const components: SortComponent[] = [];
  const columns = new Set<string>();
  for (const item of orderBy) {
    const descending = !item.ascending;
    if (item.field.kind === 'attribute') {
      const column = attributeColumns[item.field.key];
      if (columns.has(column)) continue;
      columns.add(column);
      components.push({
        expr: sql.ref(`m.${column}`),
        descending,
        nullable: nullableColumns.has(column),
        type: integerColumns.has(column) ? 'integer' : 'string',
      });
      continue;
    }
    const latest = latestPointOf(item.field.key, item);
    // A number before NaN before no value, whatever the direction.
    components.push({ expr: latest('is_nan'), descending: false, nullable: true, type: 'integer' });
    components.push({ expr: latest('value'), descending, nullable: true, type: 'number' });
  }
  if (!columns.has('creation_timestamp_ms')) {
    components.push({
      expr: sql.ref('m.creation_timestamp_ms'),
      descending: true,
      nullable: false,
      type: 'integer',
    });
  }
  if (!columns.has('model_id')) {
    components.push({ expr: sql.ref('m.model_id'), descending: false, nullable: false, type: 'string' });
  }
  return components;
}

/** A correlated lookup of one column of the model's latest point of a metric on a dataset. */
function latestPointOf(
  key: string,
  dataset: { datasetName?: string; datasetDigest?: string },
): (column: 'is_nan' | 'value') => RawBuilder<unknown> {
  const byName = dataset.datasetName === undefined ? sql`` : sql`and f.dataset_name = ${dataset.datasetName}`;
  const byDigest =
    dataset.datasetDigest === undefined ? sql`` : sql`and f.dataset_digest = ${dataset.datasetDigest}`;
  return (column) =>
    sql`(select ${sql.ref(`f.${column}`)} from logged_model_metrics f
      where f.model_id = m.model_id and f.key = ${key} ${byName} ${byDigest}
      order by f.timestamp desc, f.step desc, f.is_nan desc, f.value desc limit 1)`;
}
