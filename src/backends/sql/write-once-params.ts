import { KeelError } from '../../core/errors.js';
import type { Param } from '../../core/tracking/index.js';
import type { SqlCapabilities } from './dialect.js';
import { compareKeys } from './key-order.js';
import type { Trx } from './sql-transaction.js';
import { chunked, rowsPerStatement } from './statement-chunks.js';

function paramChanged(owner: string, key: string, oldValue: string, newValue: string): KeelError {
  return new KeelError(
    'INVALID_PARAMETER_VALUE',
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${oldValue}' ` +
      `for ${owner}. Attempted logging new value '${newValue}'.`,
  );
}

/**
 * Write-once params: inserts what is new, accepts a key logged again with the same value, and throws
 * `INVALID_PARAMETER_VALUE` (rolling the transaction back) when a stored key gets another value.
 * Shared by runs and logged models.
 */
export async function writeOnceParams(
  trx: Trx,
  caps: SqlCapabilities,
  target: { table: 'params'; id: string } | { table: 'logged_model_params'; id: string },
  params: readonly Param[],
): Promise<void> {
  const owner = target.table === 'params' ? `run ID='${target.id}'` : `logged model ID='${target.id}'`;
  const unique = new Map<string, string>();
  for (const param of params) {
    const seen = unique.get(param.key);
    if (seen !== undefined && seen !== param.value) throw paramChanged(owner, param.key, seen, param.value);
    unique.set(param.key, param.value);
  }
  const sorted = [...unique.entries()].sort(([a], [b]) => compareKeys(a, b));
  const inserted = new Set<string>();
  for (const slice of chunked(sorted, rowsPerStatement(caps, 3))) {
    const rows =
      target.table === 'params'
        ? await trx
            .insertInto('params')
            .values(slice.map(([key, value]) => ({ run_uuid: target.id, key, value })))
            .onConflict((oc) => oc.columns(['run_uuid', 'key']).doNothing())
            .returning('key')
            .execute()
        : await trx
            .insertInto('logged_model_params')
            .values(slice.map(([key, value]) => ({ model_id: target.id, key, value })))
            .onConflict((oc) => oc.columns(['model_id', 'key']).doNothing())
            .returning('key')
            .execute();
    for (const row of rows) inserted.add(row.key);
  }
  const existing = sorted.filter(([key]) => !inserted.has(key));
  for (const slice of chunked(existing, rowsPerStatement(caps, 1))) {
    const keys = slice.map(([key]) => key);
    const stored =
      target.table === 'params'
        ? await trx
            .selectFrom('params')
            .select(['key', 'value'])
            .where('run_uuid', '=', target.id)
            .where('key', 'in', keys)
            .execute()
        : await trx
            .selectFrom('logged_model_params')
            .select(['key', 'value'])
            .where('model_id', '=', target.id)
            .where('key', 'in', keys)
            .execute();
    const storedValue = new Map(stored.map((row) => [row.key, row.value]));
    for (const [key, value] of slice) {
      const old = storedValue.get(key);
      if (old !== undefined && old !== value) throw paramChanged(owner, key, old, value);
    }
  }
}
