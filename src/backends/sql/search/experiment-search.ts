import { sql, type Expression, type SqlBool } from 'kysely';
import type { Experiment, Page } from '../../../core/tracking/index.js';
import type { ExperimentFilterClause, ExperimentOrderBy } from '../../../core/tracking/index.js';
import type { ExperimentSearchQuery } from '../../../core/tracking/index.js';
import type { ReadableObjects } from '../../../core/auth/index.js';
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
import { experimentIdsToNumbers, lifecycleStages } from './search-scope.js';
import { keyValueExists } from './key-value-exists.js';
import { matchNumber, matchString } from './string-match.js';

const defaultOrder: readonly ExperimentOrderBy[] = [{ key: 'creation_time', ascending: false }];

/**
 * MLflow's search-experiments within one workspace: filter on name, times and tags, order by the
 * given keys (default `creation_time DESC`) with `experiment_id ASC` always last, keyset-paged;
 * experiments come with their tags. `readable` narrows the result to what the caller may read, so
 * neither the page nor its token reveals the others.
 */
export async function searchExperiments(
  sqlDb: SqlDatabase,
  q: ExperimentSearchQuery,
): Promise<Page<Experiment>> {
  const readable = readableIds(q.readable);
  // The workspace and the readable set belong to the search: a token is refused in another
  // workspace, or once the caller's access has changed.
  const scope = tokenScope('experiments', q.workspace, readable, q.filter, q.orderBy, q.viewType);
  const components = experimentSortComponents(q.orderBy);
  const start = q.pageToken
    ? decodeKeysetToken(q.pageToken, scope, (s) => (s === 0 ? components : undefined))
    : undefined;
  if (q.maxResults < 1 || (readable?.kind === 'only' && readable.ids.length === 0)) return { items: [] };

  let qb = sqlDb.db
    .selectFrom('experiments as e')
    .select('e.experiment_id')
    .where('e.workspace', '=', q.workspace)
    .where('e.lifecycle_stage', 'in', lifecycleStages(q.viewType));
  if (readable?.kind === 'only') qb = qb.where('e.experiment_id', 'in', readable.ids);
  if (readable?.kind === 'all-except' && readable.ids.length > 0) {
    qb = qb.where('e.experiment_id', 'not in', readable.ids);
  }
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

/**
 * The readable filter as distinct experiment ids in ascending order (ids that cannot name an
 * experiment are dropped), so equal sets give equal token scopes whatever order they came in.
 */
function readableIds(
  readable: ReadableObjects | undefined,
): { kind: ReadableObjects['kind']; ids: number[] } | undefined {
  if (!readable) return undefined;
  const ids = experimentIdsToNumbers(readable.kind === 'only' ? readable.allowed : readable.denied);
  return { kind: readable.kind, ids: ids.sort((a, b) => a - b) };
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
