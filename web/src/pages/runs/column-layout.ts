/** Column widths chosen by the user, by column id, in pixels; a column not in the map has its default. */
export type ColumnWidths = ReadonlyMap<string, number>;

export const minColumnWidth = 60;
export const maxColumnWidth = 800;
/** How far one arrow key press on a resize handle changes a width. */
export const columnWidthStep = 16;

export function clampWidth(width: number): number {
  return Math.min(maxColumnWidth, Math.max(minColumnWidth, Math.round(width)));
}

/**
 * Reads the URL form `metrics.loss:180,attributes.status:120`. The width follows the last `:`, so
 * ids holding a colon survive. Entries that are not `<id>:<whole number within bounds>` are left
 * out rather than guessed at: a hand-edited link still opens, with those columns at their default.
 */
export function parseColumnWidths(text: string | null): ColumnWidths {
  const widths = new Map<string, number>();
  for (const entry of (text ?? '').split(',')) {
    const colon = entry.lastIndexOf(':');
    const id = entry.slice(0, colon);
    const digits = entry.slice(colon + 1);
    if (colon <= 0 || !/^\d{1,4}$/.test(digits)) continue;
    const width = Number(digits);
    if (width >= minColumnWidth && width <= maxColumnWidth) widths.set(id, width);
  }
  return widths;
}

/** The URL form of `widths` (see parseColumnWidths); empty when every column has its default. */
export function formatColumnWidths(widths: ColumnWidths): string {
  return [...widths].map(([id, width]) => `${id}:${width}`).join(',');
}

/**
 * `widths` with one column's width changed. A width equal to the column's default (or undefined)
 * removes the entry, so that the URL only holds what differs from the defaults.
 */
export function withColumnWidth(
  widths: ColumnWidths,
  id: string,
  width: number | undefined,
  defaultWidth: number,
): ColumnWidths {
  const next = new Map(widths);
  const clamped = width === undefined ? defaultWidth : clampWidth(width);
  if (clamped === defaultWidth) next.delete(id);
  else next.set(id, clamped);
  return next;
}

/**
 * `ids` with `from` moved to the place `to` holds: moving right lands after `to`, moving left
 * before it (as when dropping a dragged heading on another). Unchanged when either id is missing.
 */
export function moveColumn(ids: readonly string[], from: string, to: string): string[] {
  const fromIndex = ids.indexOf(from);
  const toIndex = ids.indexOf(to);
  if (fromIndex < 0 || toIndex < 0 || fromIndex === toIndex) return [...ids];
  const next = ids.filter((id) => id !== from);
  next.splice(toIndex, 0, from);
  return next;
}

/** In `cols`, every default column (each metric, then each param) not listed, in the default order. */
export const otherColumns = '*';

/**
 * The columns `cols` names, with `*` (if present) standing for the default columns it does not list.
 *
 * @example
 * expandColumns(['metrics.b', '*'], ['metrics.a', 'metrics.b', 'params.x']) // ['metrics.b', 'metrics.a', 'params.x']
 */
export function expandColumns(cols: readonly string[], defaults: readonly string[]): string[] {
  const at = cols.indexOf(otherColumns);
  if (at < 0) return [...cols];
  const listed = new Set(cols.filter((id) => id !== otherColumns));
  const rest = defaults.filter((id) => !listed.has(id));
  return [
    ...cols.slice(0, at).filter((id) => id !== otherColumns),
    ...rest,
    ...cols.slice(at + 1).filter((id) => id !== otherColumns),
  ];
}

/**
 * The shortest `cols` for `ids` that starts from the default columns: the ids up to where the
 * rest are default columns in their default order, then `*`. Reordering among 1,500 default
 * columns so stays a short link (a written-out list would pass the 16 KB a server reads of a
 * request's headers). Exact: `expandColumns(compactColumns(ids, defaults), defaults)` is `ids`
 * when `ids` holds every default column.
 */
export function compactColumns(ids: readonly string[], defaults: readonly string[]): string[] {
  const rank = new Map(defaults.map((id, index) => [id, index]));
  const present = new Set(ids);
  if (defaults.some((id) => !present.has(id))) return [...ids];
  let start = ids.length;
  while (start > 0) {
    const here = rank.get(ids[start - 1]!);
    const next = start < ids.length ? rank.get(ids[start]!)! : Infinity;
    if (here === undefined || here > next) break;
    start--;
  }
  return [...ids.slice(0, start), otherColumns];
}
