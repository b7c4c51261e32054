import { sql, type ExpressionBuilder } from 'kysely';
import type { Metric, Page, RunMetric } from '../../core/tracking/index.js';
import {
  decodePageToken,
  encodePageToken,
  sampledStepPositions,
  withRunEnds,
} from '../../core/tracking/index.js';
import { metricValueOf } from './metric-values.js';
import type { KeelDatabase, RunsTable } from './schema.js';
import type { SqlSource } from './sql-transaction.js';
import { chunked } from './statement-chunks.js';

/** The position after which the next page of a metric's history starts. */
interface HistoryPosition {
  step: number;
  timestamp: number;
  value: number;
  isNan: number;
}

const pointColumns = ['step', 'timestamp', 'value', 'is_nan'] as const;

export async function getMetricHistory(
  source: SqlSource,
  runId: string,
  key: string,
  page: { maxResults: number; pageToken?: string },
): Promise<Page<Metric>> {
  const scope = JSON.stringify(['metric-history', runId, key]);
  const after =
    page.pageToken === undefined || page.pageToken === '' ? undefined : decodePosition(page.pageToken, scope);
  if (page.maxResults <= 0) return { items: [] };
  let query = source.db
    .selectFrom('metrics')
    .select(['key', 'value', 'is_nan', 'timestamp', 'step'])
    .where('run_uuid', '=', runId)
    .where('key', '=', key);
  if (after) {
    query = query.where(
      sql<boolean>`(${sql.join(pointColumns.map((c) => sql.ref(c)))}) > (${sql.join([after.step, after.timestamp, after.value, after.isNan])})`,
    );
  }
  const rows = await query
    .orderBy('step')
    .orderBy('timestamp')
    .orderBy('value')
    .orderBy('is_nan')
    .limit(page.maxResults + 1)
    .execute();
  const more = rows.length > page.maxResults;
  const pageRows = more ? rows.slice(0, page.maxResults) : rows;
  const items = pageRows.map((row) => ({
    key: row.key,
    value: metricValueOf(row.value, row.is_nan),
    timestamp: Number(row.timestamp),
    step: Number(row.step),
  }));
  const last = pageRows[pageRows.length - 1];
  if (!more || !last) return { items };
  return {
    items,
    nextPageToken: encodePosition(
      {
        step: Number(last.step),
        timestamp: Number(last.timestamp),
        value: Number(last.value),
        isNan: last.is_nan,
      },
      scope,
    ),
  };
}

export async function getMetricHistoryBulkInterval(
  source: SqlSource,
  query: { runIds: string[]; key: string; startStep?: number; endStep?: number; maxResults: number },
): Promise<RunMetric[]> {
  const runIds = [...new Set(query.runIds)];
  if (runIds.length === 0 || query.maxResults <= 0) return [];
  let scope = source.db.selectFrom('metrics').where('run_uuid', 'in', runIds).where('key', '=', query.key);
  if (query.startStep !== undefined) scope = scope.where('step', '>=', query.startStep);
  if (query.endStep !== undefined) scope = scope.where('step', '<=', query.endStep);
  // Only counts and ends are read first; then only the steps the sampling keeps: a run's history is
  // never read whole. Each run's ends are two index seeks (a grouped min/max would scan the range).
  const stepSeek = (eb: ExpressionBuilder<KeelDatabase & { r: RunsTable }, 'r'>, direction: 'asc' | 'desc') =>
    eb
      .selectFrom('metrics as m')
      .select('m.step')
      .whereRef('m.run_uuid', '=', 'r.run_uuid')
      .where('m.key', '=', query.key)
      .$if(query.startStep !== undefined, (q) => q.where('m.step', '>=', query.startStep!))
      .$if(query.endStep !== undefined, (q) => q.where('m.step', '<=', query.endStep!))
      .orderBy('m.step', direction)
      .limit(1);
  const [countRow, endRows] = await Promise.all([
    scope.select((eb) => eb.fn.count<number | string | bigint>('step').distinct().as('n')).executeTakeFirst(),
    source.db
      .selectFrom('runs as r')
      .where('r.run_uuid', 'in', runIds)
      .select((eb) => ['r.run_uuid', stepSeek(eb, 'asc').as('first'), stepSeek(eb, 'desc').as('last')])
      .execute(),
  ]);
  const count = Number(countRow?.n ?? 0);
  if (count === 0) return [];
  const runEnds = endRows
    .filter((row) => row.first !== null && row.last !== null)
    .map((row) => ({ runId: row.run_uuid, first: Number(row.first), last: Number(row.last) }));
  const sampling = count > query.maxResults;
  // When sampling, each run also keeps its own first and last step (so its line reaches its ends),
  // so the union is sampled two short of the limit: no run gets more than maxResults steps.
  const positions = sampledStepPositions(count, sampling ? Math.max(1, query.maxResults - 2) : count);
  const unionFirst = Math.min(...runEnds.map((end) => end.first));
  const unionLast = Math.max(...runEnds.map((end) => end.last));
  // Every step from the first to the last was logged (the usual history: 0, 1, 2, ...): the step at
  // a position is the first step plus the position, with no pass over the steps at all.
  const contiguous = unionLast - unionFirst + 1 === count;
  const sampled = contiguous
    ? positions.map((position) => unionFirst + position)
    : (
        await source.db
          .selectFrom(
            scope
              .select((eb) => [
                'step',
                sql<number>`row_number() over (order by ${eb.ref('step')})`.as('position'),
              ])
              .groupBy('step')
              .as('s'),
          )
          .select('step')
          .where(
            'position',
            'in',
            positions.map((p) => p + 1),
          )
          .orderBy('step')
          .execute()
      ).map((row) => Number(row.step));
  // Each run's own ends go to that run only, so they never push another run's points past the limit.
  const ends = sampling ? runEnds : [];

  const out: RunMetric[] = [];
  for (const slice of chunked(
    runIds,
    Math.max(1, Math.floor((source.caps.maxBindParameters - 2 * sampled.length - 16) / 6)),
  )) {
    const sliceEnds = ends.filter((end) => slice.includes(end.runId));
    // Every step any run of the slice keeps, as one list the index can seek (an OR of per-run lists
    // alone would make the database read each run's whole history).
    const candidates = withRunEnds(
      sampled,
      sliceEnds.map((end) => [end.first, end.last]),
    );
    const rows = await source.db
      .selectFrom((eb) =>
        eb
          .selectFrom('metrics')
          .select([
            'run_uuid',
            'key',
            'value',
            'is_nan',
            'timestamp',
            'step',
            sql<number>`row_number() over (partition by ${sql.ref('run_uuid')} order by ${sql.join(pointColumns.map((c) => sql.ref(c)))})`.as(
              'rank',
            ),
          ])
          .where('run_uuid', 'in', slice)
          .where('key', '=', query.key)
          .where('step', 'in', candidates)
          .where((w) =>
            w.or([
              w('step', 'in', sampled),
              ...sliceEnds.map((end) =>
                w.and([w('run_uuid', '=', end.runId), w('step', 'in', [end.first, end.last])]),
              ),
            ]),
          )
          .as('m'),
      )
      .selectAll()
      .where('rank', '<=', query.maxResults)
      .orderBy('run_uuid')
      .orderBy('step')
      .orderBy('timestamp')
      .orderBy('value')
      .orderBy('is_nan')
      .execute();
    for (const row of rows) {
      out.push({
        runId: row.run_uuid,
        key: row.key,
        value: metricValueOf(row.value, row.is_nan),
        timestamp: Number(row.timestamp),
        step: Number(row.step),
      });
    }
  }
  return out;
}

/** The position after which the next page starts; the value travels as a string (it may be infinite). */
function encodePosition(position: HistoryPosition, scope: string): string {
  return encodePageToken([position.step, position.timestamp, String(position.value), position.isNan], scope);
}

function decodePosition(token: string, scope: string): HistoryPosition {
  const [step, timestamp, value, isNan] = decodePageToken(token, scope, isPositionPayload);
  return { step, timestamp, value: Number(value), isNan };
}

function isPositionPayload(payload: unknown): payload is [number, number, string, number] {
  if (!Array.isArray(payload) || payload.length !== 4) return false;
  const [step, timestamp, value, isNan] = payload as unknown[];
  return (
    Number.isSafeInteger(step) &&
    Number.isSafeInteger(timestamp) &&
    typeof value === 'string' &&
    value.trim() !== '' &&
    !Number.isNaN(Number(value)) &&
    (isNan === 0 || isNan === 1)
  );
}
