/**
 * NaN is not a value SQL compares or SQLite stores (it binds as NULL), so a NaN metric is stored as
 * value 0 with `is_nan` 1. +-Infinity are stored as they are on both engines.
 */
export function storedMetricValue(value: number): { value: number; is_nan: number } {
  return Number.isNaN(value) ? { value: 0, is_nan: 1 } : { value, is_nan: 0 };
}

/** The metric value a stored (value, is_nan) pair stands for. */
export function metricValueOf(value: number, isNan: number): number {
  return isNan ? Number.NaN : Number(value);
}
