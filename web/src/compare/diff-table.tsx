import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { formatNumber } from '../components/format.js';
import type { DiffRow } from './compare-model.js';

const rowHeight = 32;
const keyWidth = 240;
const cellWidth = 150;

/**
 * Params and metrics side by side, one row per key and one column per run; rows that differ are
 * marked (a colour and the word "differs" for screen readers). Virtualised both ways: thousands of
 * keys and 200 runs draw only the cells on screen (the key column stays pinned).
 */
export function DiffTable(props: { rows: readonly DiffRow[]; names: readonly string[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const columns = useVirtualizer({
    horizontal: true,
    count: props.names.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => cellWidth,
    paddingStart: keyWidth,
    overscan: 3,
  });
  const width = keyWidth + props.names.length * cellWidth;
  if (props.rows.length === 0) return <p className="muted">Nothing to show: no keys differ.</p>;
  const visible = columns.getVirtualItems();
  const before = (visible[0]?.start ?? keyWidth) - keyWidth;
  const after = columns.getTotalSize() - (visible[visible.length - 1]?.end ?? 0);
  const spacer = (size: number, name: string) =>
    size > 0 ? <div aria-hidden="true" key={name} style={{ width: size, flex: 'none' }} /> : null;
  return (
    <div
      ref={scroller}
      className="diff-scroll"
      role="table"
      aria-label="Params and metrics of the compared runs"
      aria-rowcount={props.rows.length + 1}
      aria-colcount={props.names.length + 1}
      tabIndex={0}
    >
      <div role="rowgroup" className="diff-head" style={{ width }}>
        <div role="row" className="diff-row" aria-rowindex={1}>
          <div role="columnheader" className="diff-key" style={{ width: keyWidth }} aria-colindex={1}>
            Key
          </div>
          {spacer(before, 'before')}
          {visible.map((column) => (
            <div
              role="columnheader"
              key={column.index}
              aria-colindex={column.index + 2}
              className="diff-cell"
              style={{ width: cellWidth }}
              title={props.names[column.index]}
            >
              {props.names[column.index]}
            </div>
          ))}
          {spacer(after, 'after')}
        </div>
      </div>
      <div role="rowgroup" style={{ height: rows.getTotalSize(), width, position: 'relative' }}>
        {rows.getVirtualItems().map((item) => {
          const row = props.rows[item.index]!;
          return (
            <div
              role="row"
              key={row.id}
              aria-rowindex={item.index + 2}
              className={`diff-row${row.equal ? '' : ' differs'}`}
              style={{
                position: 'absolute',
                top: 0,
                width,
                transform: `translateY(${item.start}px)`,
                height: rowHeight,
              }}
            >
              <div
                role="rowheader"
                className="diff-key"
                style={{ width: keyWidth }}
                title={row.id}
                aria-colindex={1}
              >
                <span className="diff-kind">{row.kind}</span> {row.key}
                {!row.equal && <span className="visually-hidden"> (differs)</span>}
              </div>
              {spacer(before, 'before')}
              {visible.map((column) => {
                const value = row.values[column.index];
                return (
                  <div
                    role="cell"
                    key={column.index}
                    aria-colindex={column.index + 2}
                    className="diff-cell"
                    style={{ width: cellWidth }}
                  >
                    {value === undefined ? (
                      <span className="muted">—</span>
                    ) : typeof value === 'number' ? (
                      formatNumber(value)
                    ) : (
                      value
                    )}
                  </div>
                );
              })}
              {spacer(after, 'after')}
            </div>
          );
        })}
      </div>
    </div>
  );
}
