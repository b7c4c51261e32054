import { sql } from 'kysely';
import { inTransaction, type SqlSource } from './sql-transaction.js';

/**
 * The login throttle: failures counted per key in fixed windows of `windowMs`, shared by every
 * replica through the database. A window starts at a multiple of `windowMs`, so replicas agree on
 * it without coordination.
 */

function windowStart(now: number, windowMs: number): number {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0)
    throw new RangeError(`The throttle window must be a positive whole number of ms, not ${windowMs}`);
  return Math.floor(now / windowMs) * windowMs;
}

/**
 * Counts one failure for each key (once per distinct key) with one upsert, and returns the counts
 * in the order of `keys`. A stored window older than the current one starts over at 1; a newer one
 * (written by a replica whose clock runs ahead) keeps counting, so a lagging clock never resets a
 * count.
 */
export async function recordAuthFailure(
  source: SqlSource,
  keys: readonly string[],
  now: number,
  windowMs: number,
): Promise<number[]> {
  const start = windowStart(now, windowMs);
  // Sorted, so concurrent calls lock the rows of shared keys in one order and cannot deadlock.
  const distinct = [...new Set(keys)].sort();
  if (distinct.length === 0) return [];
  const sameOrNewer = sql<boolean>`auth_throttle.window_start >= excluded.window_start`;
  const rows = await inTransaction(source, (trx) =>
    trx
      .insertInto('auth_throttle')
      .values(distinct.map((key) => ({ key, window_start: start, failures: 1 })))
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when ${sameOrNewer} then auth_throttle.failures + 1 else 1 end`,
          window_start: sql<number>`case when ${sameOrNewer} then auth_throttle.window_start else excluded.window_start end`,
        }),
      )
      .returning(['key', 'failures'])
      .execute(),
  );
  const counts = new Map(rows.map((row) => [row.key, Number(row.failures)]));
  return keys.map((key) => counts.get(key) ?? 0);
}

/** The failures counted for `key` in the window containing `now` (or a newer one); 0 when none. */
export async function authFailures(
  { db }: SqlSource,
  key: string,
  now: number,
  windowMs: number,
): Promise<number> {
  const row = await db
    .selectFrom('auth_throttle')
    .select('failures')
    .where('key', '=', key)
    .where('window_start', '>=', windowStart(now, windowMs))
    .executeTakeFirst();
  return row ? Number(row.failures) : 0;
}

export async function clearAuthFailures({ db }: SqlSource, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}

export async function forgiveAuthFailure(
  { db }: SqlSource,
  key: string,
  now: number,
  windowMs: number,
): Promise<void> {
  await db
    .updateTable('auth_throttle')
    .set({ failures: sql<number>`failures - 1` })
    .where('key', '=', key)
    .where('window_start', '=', windowStart(now, windowMs))
    .where('failures', '>', 0)
    .execute();
}
