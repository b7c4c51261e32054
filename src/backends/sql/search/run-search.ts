import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Page, Run } from '../../../core/tracking/index.js';
import type { MetricClause } from '../../../core/tracking/index.js';
import type { RunSearchQuery } from '../../../core/tracking/index.js';
import type { SqlDatabase } from '../open-database.js';
import { loadRuns } from '../run-loader.js';
import type { KeelDatabase, RunsTable } from '../schema.js';
import { experimentIdsToNumbers, lifecycleStages } from './search-scope.js';
import {
  decodeKeysetToken,
  finishKeysetPage,
  keysetAfter,
  orderByComponents,
  tokenScope,
  selectComponents,
  sortValuesOf,
  type SortValue,
} from './keyset.js';
import { metricMatchCount, metricValueTest, runFilterCondition } from './run-filters.js';
import { runSegments, runSortKeys, type RunSegment } from './run-order.js';

/**
 * Up to this many candidate rows, reading a set whole and sorting it is cheaper than walking an
 * index in order and testing each row; past it, the walk wins because it stops after one page.
 * Counting up to it is one bounded index walk (a millisecond or so).
 */
function smallSetLimit(wanted: number): number {
  return Math.min(Math.max(1_000, wanted * 10), 20_000);
}

type RunQuery = SelectQueryBuilder<KeelDatabase & { r: RunsTable }, 'r', { run_uuid: string }>;

/** Where the engine should start reading. */
type AccessPath =
  /** From the runs of the experiments (the planner's choice; its start-time index fits the default order). */
  | { kind: 'runs' }
  /** From the metric index of the first sort key, in the requested order. */
  | { kind: 'order-index' }
  /** From the few runs a selective metric clause matches. */
  | { kind: 'filter-set'; clause: MetricClause };

/**
 * MLflow's search-runs over the SQL schema: one keyset-paged query per segment of the order (usually
 * one), then the page's runs loaded whole with one query per table.
 */
export async function searchRuns(sqlDb: SqlDatabase, q: RunSearchQuery): Promise<Page<Run>> {
  const scope = tokenScope('runs', q.experimentIds, q.filter, q.orderBy, q.viewType);
  const segments = runSegments(runSortKeys(q.orderBy), q.filter);
  const start = q.pageToken
    ? decodeKeysetToken(q.pageToken, scope, (s) => segments[s]?.components)
    : undefined;
  const experimentIds = experimentIdsToNumbers(q.experimentIds);
  if (experimentIds.length === 0 || q.maxResults < 1) return { items: [] };

  const context: SearchContext = { sqlDb, q, experimentIds };
  const wanted = q.maxResults + 1;
  const path = await chooseAccessPath(context, segments[0]!, smallSetLimit(wanted));
  const rows: { segment: number; row: Record<string, unknown> & { run_uuid: string } }[] = [];
  for (let s = start?.segment ?? 0; s < segments.length && rows.length < wanted; s++) {
    const after = start && s === start.segment ? start.values : undefined;
    const found = await readSegment(context, segments[s]!, path, after, wanted - rows.length);
    for (const row of found) rows.push({ segment: s, row });
  }

  return finishKeysetPage(
    rows,
    q.maxResults,
    scope,
    (page) =>
      loadRuns(
        sqlDb,
        page.map((r) => r.row.run_uuid),
      ),
    (last) => ({ segment: last.segment, values: sortValuesOf(last.row, segments[last.segment]!.components) }),
  );
}

interface SearchContext {
  sqlDb: SqlDatabase;
  q: RunSearchQuery;
  experimentIds: number[];
}

async function readSegment(
  context: SearchContext,
  segment: RunSegment,
  path: AccessPath,
  after: readonly SortValue[] | undefined,
  limit: number,
): Promise<(Record<string, unknown> & { run_uuid: string })[]> {
  const { sqlDb, q, experimentIds } = context;
  const { db, caps } = sqlDb;
  const joinsOrderMetric = segment.kind === 'metric-values' || segment.kind === 'metric-nan';
  let qb: RunQuery;
  if (path.kind === 'filter-set') {
    // `s` is the latest row of the selective clause's metric: reading it first (a cross join fixes
    // the order on SQLite) visits only the runs it matches.
    let from = db
      .selectFrom('latest_metrics as s')
      .crossJoin('runs as r')
      .whereRef('r.run_uuid', '=', 's.run_uuid')
      .where('s.key', '=', path.clause.key)
      .where('s.is_nan', '=', 0)
      .where(metricValueTest(sql.ref('s.value'), path.clause));
    if (joinsOrderMetric)
      from = from.crossJoin('latest_metrics as o').whereRef('o.run_uuid', '=', 'r.run_uuid');
    qb = from.select('r.run_uuid') as unknown as RunQuery;
  } else if (joinsOrderMetric) {
    // `o` is the run's latest row of the first sort key. The cross join fixes which side SQLite
    // reads first: `o` along the key's index, in order (`order-index`), or the experiments' runs,
    // each looking up its row (`runs`). Other engines plan the join freely.
    const from =
      path.kind === 'order-index'
        ? db
            .selectFrom('latest_metrics as o')
            .crossJoin('runs as r')
            .whereRef('r.run_uuid', '=', 'o.run_uuid')
        : db
            .selectFrom('runs as r')
            .crossJoin('latest_metrics as o')
            .whereRef('o.run_uuid', '=', 'r.run_uuid');
    qb = from.select('r.run_uuid') as unknown as RunQuery;
  } else {
    qb = db.selectFrom('runs as r').select('r.run_uuid');
  }
  if (joinsOrderMetric) {
    qb = qb
      .where(sql.ref('o.key'), '=', segment.key)
      .where(sql.ref('o.is_nan'), '=', segment.kind === 'metric-nan' ? 1 : 0);
  }
  qb = qb
    .where('r.experiment_id', 'in', experimentIds)
    .where('r.lifecycle_stage', 'in', lifecycleStages(q.viewType));
  if (segment.kind === 'metric-missing') {
    qb = qb.where(
      sql<SqlBool>`not exists (select 1 from latest_metrics f where f.run_uuid = r.run_uuid and f.key = ${segment.key})`,
    );
  }
  for (const clause of q.filter) {
    if (segment.kind === 'metric-values' && clause.kind === 'metric' && clause.key === segment.key) {
      // The joined row is that metric's latest value: test it there, inside the index range.
      qb = qb.where(metricValueTest(sql.ref('o.value'), clause));
    } else if (path.kind !== 'filter-set' || clause !== path.clause) {
      qb = qb.where(runFilterCondition(caps, clause));
    }
  }
  if (after) qb = qb.where(keysetAfter(segment.components, after));
  qb = orderByComponents(selectComponents(qb, segment.components), segment.components).limit(limit);
  return (await qb.execute()) as (Record<string, unknown> & { run_uuid: string })[];
}

/**
 * Picks where to start reading, from bounded counts: a metric clause matching few runs anywhere is
 * the cheapest start; otherwise, when the first sort key is a metric and the experiments hold many
 * runs, walking that metric's index in order beats sorting every run; otherwise start from the runs.
 */
/** Metric clauses probed when choosing where a search starts reading. */
const maxAccessProbes = 3;

async function chooseAccessPath(
  context: SearchContext,
  first: RunSegment,
  smallSet: number,
): Promise<AccessPath> {
  const { sqlDb, q, experimentIds } = context;
  const orderKey = first.kind === 'all' ? undefined : first.key;
  let best: { clause: MetricClause; count: number } | undefined;
  // Each probe is a bounded count; a few find a selective clause, and a 100-clause filter must not
  // cost 100 queries per page.
  let probes = 0;
  for (const clause of q.filter) {
    if (clause.kind !== 'metric' || clause.comparator === '!=' || clause.key === orderKey) continue;
    if (++probes > maxAccessProbes) break;
    const { rows } = await metricMatchCount(clause, smallSet).execute(sqlDb.db);
    const count = Number(rows[0]?.n ?? smallSet);
    if (count < smallSet && (!best || count < best.count)) best = { clause, count };
  }
  if (best) return { kind: 'filter-set', clause: best.clause };
  if (orderKey === undefined) return { kind: 'runs' };
  const { rows } = await sql<{ n: number }>`select count(*) as n from (${sqlDb.db
    .selectFrom('runs')
    .select(sql`1`.as('one'))
    .where('experiment_id', 'in', experimentIds)
    .where('lifecycle_stage', 'in', lifecycleStages(q.viewType))
    .limit(smallSet)}) t`.execute(sqlDb.db);
  return Number(rows[0]?.n ?? 0) < smallSet ? { kind: 'runs' } : { kind: 'order-index' };
}
