import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useMemo, useRef, useState, type ReactNode } from 'react';

/** The header row's height, fixed so the body's rows can be placed under it (the scroll margin). */
const headerHeight = 34;
const collator = new Intl.Collator();

/** A column after the key column. */
export interface KeyTableColumn<Row> {
  heading: string;
  /** Its CSS grid track: `6rem`, `minmax(8rem, 1fr)`. */
  width: string;
  cell(row: Row): ReactNode;
  numeric?: boolean;
}

export interface VirtualKeyTableProps<Row> {
  caption: string;
  rows: readonly Row[];
  /** The row's key: its row header, its sort order, what the search matches. */
  keyOf(row: Row): string;
  keyHeading: string;
  columns: readonly KeyTableColumn<Row>[];
  /** Shown instead of the table when there are no rows. */
  empty: string;
  /** The search box's accessible name ("Search metrics"). */
  searchLabel: string;
  /** Show the search box only past this many rows (0: always). */
  searchFrom?: number;
  /** A first guess at a row's height in pixels; rows are measured once drawn (long values wrap). */
  rowHeight?: number;
}

/**
 * Keys and their values sorted by key, as an ARIA table whose rows are virtualised (a run can log
 * thousands of metrics or params): only the rows on screen exist in the page, each with
 * `aria-rowindex` in a table that states its full `aria-rowcount`. A search box narrows the keys.
 * Cells may be live components (a sparkline): they mount only while their row is drawn.
 */
export function VirtualKeyTable<Row>(props: VirtualKeyTableProps<Row>) {
  const { rows, keyOf, columns } = props;
  const id = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [find, setFind] = useState('');
  const needle = find.trim().toLowerCase();
  const sorted = useMemo(() => [...rows].sort((a, b) => collator.compare(keyOf(a), keyOf(b))), [rows, keyOf]);
  const matching = useMemo(
    () => (needle === '' ? sorted : sorted.filter((row) => keyOf(row).toLowerCase().includes(needle))),
    [sorted, needle, keyOf],
  );
  const virtualizer = useVirtualizer({
    count: matching.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => props.rowHeight ?? 34,
    getItemKey: (index) => keyOf(matching[index]!),
    scrollMargin: headerHeight,
    overscan: 6,
  });
  if (rows.length === 0) return <p className="muted">{props.empty}</p>;

  const template = ['minmax(10rem, 2fr)', ...columns.map((column) => column.width)].join(' ');
  const onFind = (text: string) => {
    setFind(text);
    if (scroller.current) scroller.current.scrollTop = 0;
  };
  return (
    <div className="key-table">
      <div className="key-table-head">
        <span id={`${id}-caption`} className="key-table-caption">
          {props.caption}
        </span>
        {rows.length > (props.searchFrom ?? 12) && (
          <input
            type="search"
            aria-label={props.searchLabel}
            aria-controls={`${id}-table`}
            placeholder="Search keys"
            value={find}
            onChange={(event) => onFind(event.target.value)}
          />
        )}
        <span role="status" className="muted">
          {needle === '' ? '' : `${matching.length} of ${rows.length} keys match`}
        </span>
      </div>
      <div
        ref={scroller}
        id={`${id}-table`}
        className="key-table-scroll"
        role="table"
        aria-labelledby={`${id}-caption`}
        aria-rowcount={matching.length + 1}
        // Scrollable with the keyboard (the rows hold nothing focusable).
        tabIndex={0}
      >
        <div role="rowgroup" className="key-table-header">
          <div
            role="row"
            aria-rowindex={1}
            className="key-table-row"
            style={{ gridTemplateColumns: template, height: headerHeight }}
          >
            <div role="columnheader">{props.keyHeading}</div>
            {columns.map((column) => (
              <div
                key={column.heading}
                role="columnheader"
                className={column.numeric ? 'numeric' : undefined}
              >
                {column.heading}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="key-table-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = matching[item.index]!;
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                role="row"
                aria-rowindex={item.index + 2}
                className="key-table-row"
                style={{
                  gridTemplateColumns: template,
                  transform: `translateY(${item.start - headerHeight}px)`,
                }}
              >
                <div role="rowheader" className="key-table-key">
                  {keyOf(row)}
                </div>
                {columns.map((column) => (
                  <div key={column.heading} role="cell" className={column.numeric ? 'numeric' : undefined}>
                    {column.cell(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
      {matching.length === 0 && <p className="muted">No key matches “{find.trim()}”.</p>}
    </div>
  );
}
