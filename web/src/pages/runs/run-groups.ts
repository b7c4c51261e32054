import type { RunRow } from '../../data/run-rows.js';
import type { RunColumn } from './run-columns.js';
import type { GridItem } from './runs-grid.js';

/** The label of runs that have no value for the grouping param or tag. */
export const noValue = '(no value)';

/**
 * The table's rows, with a heading before each group when grouping. The server orders runs by the
 * group's column first, so a group's runs are contiguous and a heading appears once even as pages
 * load; its count is of the runs loaded so far. Runs of a folded group are left out.
 */
export function groupItems(
  rows: readonly RunRow[],
  groupColumn: RunColumn | undefined,
  collapsed: ReadonlySet<string>,
): GridItem[] {
  if (groupColumn === undefined) return rows.map((row) => ({ kind: 'run', row }));
  const counts = new Map<string, number>();
  const valueOf = (row: RunRow) => {
    const value = groupColumn.value(row);
    return value === undefined || value === '' ? noValue : String(value);
  };
  for (const row of rows) {
    const value = valueOf(row);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const items: GridItem[] = [];
  let current: string | undefined;
  for (const row of rows) {
    const value = valueOf(row);
    if (value !== current) {
      current = value;
      items.push({ kind: 'group', value, count: counts.get(value) ?? 0, collapsed: collapsed.has(value) });
    }
    if (!collapsed.has(value)) items.push({ kind: 'run', row });
  }
  return items;
}
