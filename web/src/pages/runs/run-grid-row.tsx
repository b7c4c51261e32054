import type { VirtualItem } from '@tanstack/react-virtual';
import { memo } from 'react';
import type { RunRow } from '../../data/run-rows.js';
import { RunCell } from './run-cell.js';
import { runNameColumn, type RunColumn } from './run-columns.js';

export const rowHeight = 32;
export const headerHeight = 38;
export const selectWidth = 40;
export const pinnedWidth = selectWidth + runNameColumn.width;

/** The id of a grid cell (row -1 is the heading row), for `aria-activedescendant`. */
export function gridCellId(gridId: string, row: number, col: number): string {
  return `${gridId}-r${row}-c${col}`;
}

/** What a row asks of its grid. The object is made once per grid, so it never re-renders a row. */
export interface RunRowActions {
  activate(rowIndex: number): void;
  open(runId: string): void;
  select(runId: string, selected: boolean): void;
  href(runId: string): string;
}

export interface RunGridRowProps {
  gridId: string;
  row: RunRow;
  rowIndex: number;
  /** Top of the row inside the scrolled content, heading row included. */
  top: number;
  totalWidth: number;
  /** Width of the columns scrolled past on the left (not drawn). */
  leftPad: number;
  columns: readonly RunColumn[];
  virtualColumns: readonly VirtualItem[];
  selected: boolean;
  /** The active cell's column when the active cell is in this row. */
  activeCol: number | undefined;
  actions: RunRowActions;
}

/**
 * One run of the runs grid. Memoised: while scrolling, a row that stays on screen is not drawn
 * again, only the rows that come into view are, so a frame's work does not grow with the rows shown.
 */
export const RunGridRow = memo(function RunGridRow(props: RunGridRowProps) {
  const { row, rowIndex, gridId, actions } = props;
  const run = row.run;
  const runId = run.info.runId;
  const active = (col: number) => (props.activeCol === col ? ' active' : '');
  return (
    <div
      role="row"
      aria-rowindex={rowIndex + 2}
      aria-selected={props.selected}
      className={`grid-row${props.selected ? ' selected' : ''}${run.info.lifecycleStage === 'deleted' ? ' deleted' : ''}`}
      style={{ width: props.totalWidth, height: rowHeight, transform: `translateY(${props.top}px)` }}
      onClick={() => actions.activate(rowIndex)}
      onDoubleClick={() => actions.open(runId)}
    >
      <div className="pinned" style={{ width: pinnedWidth }}>
        <div
          id={gridCellId(gridId, rowIndex, 0)}
          role="gridcell"
          aria-colindex={1}
          className={`grid-cell select-cell${active(0)}`}
          style={{ width: selectWidth }}
        >
          <input
            type="checkbox"
            tabIndex={-1}
            aria-label={`Select run ${run.info.runName || runId}`}
            checked={props.selected}
            onChange={(event) => actions.select(runId, event.target.checked)}
          />
        </div>
        <div
          id={gridCellId(gridId, rowIndex, 1)}
          role="gridcell"
          aria-colindex={2}
          className={`grid-cell name-cell${active(1)}`}
          style={{ width: runNameColumn.width }}
        >
          <RunCell column={runNameColumn} row={row} href={actions.href(runId)} />
        </div>
      </div>
      <div style={{ width: props.leftPad, flex: 'none' }} />
      {props.virtualColumns.map((virtualColumn) => {
        const column = props.columns[virtualColumn.index]!;
        const col = virtualColumn.index + 2;
        return (
          <div
            key={column.id}
            id={gridCellId(gridId, rowIndex, col)}
            role="gridcell"
            aria-colindex={col + 1}
            className={`grid-cell${column.numeric ? ' numeric' : ''}${active(col)}`}
            style={{ width: virtualColumn.size }}
          >
            <RunCell column={column} row={row} />
          </div>
        );
      })}
    </div>
  );
});
