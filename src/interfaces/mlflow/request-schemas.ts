import { Type } from '@sinclair/typebox';
import { missingParameter } from './request-parsing.js';

/**
 * Request fields several MLflow messages share. `minLength: 1` marks a field where an empty string
 * counts as missing, as MLflow's `_assert_required` treats it.
 */

/** An id, name or key: required and non-empty. */
export const RequiredText = Type.String({ minLength: 1 });

/** A `{key, value}` entry of a repeated tags/params field; an absent value is the empty string. */
export const KeyValueInput = Type.Object({ key: RequiredText, value: Type.Optional(Type.String()) });

/** A proto enum in JSON: its name, or its number. */
export const EnumInput = Type.Union([Type.String(), Type.Integer()]);

/** `run_id`, with the deprecated `run_uuid` accepted in its place. */
export const RunIdFields = {
  run_id: Type.Optional(Type.String()),
  run_uuid: Type.Optional(Type.String()),
};

export function runIdOf(message: { run_id?: string; run_uuid?: string }): string {
  const runId = message.run_id || message.run_uuid;
  if (!runId) throw missingParameter('run_id');
  return runId;
}

export function keyValues(
  entries: { key: string; value?: string }[] | undefined,
): { key: string; value: string }[] {
  return (entries ?? []).map((entry) => ({ key: entry.key, value: entry.value ?? '' }));
}
