/**
 * Rows written in one statement are sorted by key, so that concurrent transactions take row locks in
 * the same order and cannot deadlock (PostgreSQL); the order is binary, the same on every engine.
 */

/** One tag per key, the last given winning, sorted by key (a stable lock order for upserts). */
export function lastValuePerKey<T extends { key: string }>(items: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(item.key, item);
  return [...byKey.values()].sort((a, b) => compareKeys(a.key, b.key));
}

/** Binary (code unit) order, the same on every engine and locale. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
