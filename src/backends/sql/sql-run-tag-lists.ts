import { lockRows } from './dialect.js';
import { requireActiveRun } from './sql-run-store.js';
import { inTransaction, type SqlSource } from './sql-transaction.js';

/**
 * Appends `entry` to the JSON array in the run's tag `key`, in one write transaction. The run row is
 * locked for update first (where the engine needs row locks; SQLite's write lock serialises
 * writers already), so concurrent appends queue up and each reads the array the previous one wrote.
 * A missing or unreadable value (hand-edited, not an array) starts a new array rather than blocking
 * every later append.
 */
export async function appendToRunTagList(
  source: SqlSource,
  runId: string,
  key: string,
  entry: unknown,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    await lockRows(
      trx.selectFrom('runs').select('run_uuid').where('run_uuid', '=', runId),
      source.caps,
      'update',
    ).execute();
    await requireActiveRun(trx, runId);
    const stored = await trx
      .selectFrom('tags')
      .select('value')
      .where('run_uuid', '=', runId)
      .where('key', '=', key)
      .executeTakeFirst();
    const value = JSON.stringify([...readArray(stored?.value), entry]);
    await trx
      .insertInto('tags')
      .values({ run_uuid: runId, key, value })
      .onConflict((oc) => oc.columns(['run_uuid', 'key']).doUpdateSet({ value }))
      .execute();
  });
}

function readArray(value: string | undefined): unknown[] {
  if (value === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
