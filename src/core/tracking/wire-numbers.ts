/** A double as MLflow's JSON carries it: JSON has no NaN or Infinity, so those travel as strings. */
export type WireDouble = number | 'NaN' | 'Infinity' | '-Infinity';

/**
 * A double for MLflow's JSON: finite numbers as they are, the non-finite ones as their strings.
 *
 * @example
 * encodeDouble(0.5) // 0.5
 * encodeDouble(Number.NaN) // 'NaN'
 */
export function encodeDouble(value: number): WireDouble {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}
