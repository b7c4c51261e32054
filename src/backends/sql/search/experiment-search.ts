import { sql, type Expression, type SqlBool } from 'kysely';
import type { Experiment, Page } from '../../../core/tracking/index.js';
import type { ExperimentFilterClause, ExperimentOrderBy } from '../../../core/tracking/index.js';
import type { ExperimentSearchQuery } from '../../../core/tracking/index.js';
import type { SqlCapabilities } from '../dialect.js';
import { loadExperiments } from '../experiment-loader.js';
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
import { lifecycleStages } from './search-scope.js';
import { keyValueExists } from './key-value-exists.js';
import { matchNumber, matchString } from './string-match.js';

const defaultOrder: readonly ExperimentOrderBy[] = [{ key: 'creation_time', ascending: false }];

/**
 * MLflow's search-experiments: filter on name, times and tags, order by the given keys (default
 * `creation_time DESC`) with `experiment_id ASC` always last, keyset-paged; experiments come with
 * their tags.
 */
export async function searchExperiments(
  sqlDb: SqlDatabase,
  q: ExperimentSearchQuery,
): Promise<Page<Experiment>> {
  const scope = tokenScope('experiments', q.filter, q.orderBy, q.viewType);
  const components = experimentSortComponents(q.orderBy);
  const start = q.pageToken
    ? decodeKeysetToken(q.pageToken, scope, (s) => (s === 0 ? components : undefined))
    : undefined;
  if (q.maxResults < 1) return { items: [] };

  let qb = sqlDb.db
    .selectFrom('experiments as e')
    .select('e.experiment_id')
    .where('e.lifecycle_stage', 'in', lifecycleStages(q.viewType));
  for (const clause of q.filter) qb = qb.where(experimentFilterCondition(sqlDb.caps, clause));
  if (start) qb = qb.where(keysetAfter(components, start.values));
  qb = orderByComponents(selectComponents(qb, components), components).limit(q.maxResults + 1);
  const rows = (await qb.execute()) as (Record<string, unknown> & { experiment_id: number })[];

  return finishKeysetPage(
    rows,
    q.maxResults,
    scope,
    (page) =>
      loadExperiments(
        sqlDb,
        page.map((r) => Number(r.experiment_id)),
      ),
    (last) => ({ segment: 0, values: sortValuesOf(last, components) }),
  );
}

function experimentSortComponents(orderBy: readonly ExperimentOrderBy[]): SortComponent[] {
  const items = orderBy.length === 0 ? defaultOrder : orderBy;
  const seen = new Set<string>();
  const components: SortComponent[] = [];
  for (const item of [...items, { key: 'experiment_id', ascending: true } as const]) {
    if (seen.has(item.key)) continue;
    seen.add(item.key);
    components.push({
      expr: sql.ref(`e.${item.key}`),
      descending: !item.ascending,
      nullable: false,
      type: item.key === 'name' ? 'string' : 'integer',
    });
  }
  return components;
}

function experimentFilterCondition(
  caps: SqlCapabilities,
  clause: ExperimentFilterClause,
): Expression<SqlBool> {
  if (clause.kind === 'attribute') {
    const column = sql.ref(`e.${clause.key}`);
    return clause.key === 'name'
      ? matchString(caps, column, clause.comparator, clause.value)
      : matchNumber(column, clause.comparator, clause.value, true);
  }
  return keyValueExists(
    caps,
    { table: 'experiment_tags', ownerColumn: 'experiment_id', owner: 'e.experiment_id' },
    clause,
  );
}
