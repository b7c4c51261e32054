import type { SqlCapabilities } from './dialect.js';

/** How many rows of `columns` bound values fit in one statement on this engine. */
export function rowsPerStatement(caps: SqlCapabilities, columns: number): number {
  return Math.max(1, Math.floor((caps.maxBindParameters - 16) / columns));
}

/** How many rows of `columns` bound values one multi-row INSERT on a hot path should carry. */
export function rowsPerInsert(caps: SqlCapabilities, columns: number): number {
  return Math.min(caps.maxInsertRows, rowsPerStatement(caps, columns));
}

/** Splits `items` into consecutive slices of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
