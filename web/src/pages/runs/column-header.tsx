import type { HTMLAttributes } from 'react';
import { ColumnResizeHandle } from './column-resize-handle.js';
import type { RunColumn } from './run-columns.js';

/**
 * One heading of the runs grid: sorts on click (when the server can sort by it), and for the
 * scrolling columns a resize handle and, when `dragProps` are given, dragging onto another heading.
 */
export function ColumnHeader(props: {
  column: RunColumn;
  id: string;
  /** The 0-based column index in the grid. */
  col: number;
  width: number;
  active: boolean;
  sort: 'ascending' | 'descending' | undefined;
  onSort: (column: RunColumn) => void;
  resize?: {
    onDraft: (width: number | undefined) => void;
    onCommit: (width: number | undefined) => void;
  };
  dragProps?: HTMLAttributes<HTMLDivElement>;
  dropTarget?: boolean;
}) {
  const { column, sort } = props;
  const classes = [
    'grid-cell header-cell',
    column.numeric ? 'numeric' : '',
    props.active ? 'active' : '',
    props.dragProps?.draggable ? 'movable' : '',
    props.dropTarget ? 'drop-target' : '',
  ];
  return (
    <div
      {...props.dragProps}
      id={props.id}
      role="columnheader"
      aria-colindex={props.col + 1}
      aria-sort={sort}
      className={classes.filter((name) => name !== '').join(' ')}
      style={{ width: props.width }}
      title={column.id}
    >
      {column.sortable ? (
        <button type="button" tabIndex={-1} onClick={() => props.onSort(column)} className="sort-button">
          <span className="column-kind">{column.kind === 'attribute' ? '' : column.kind}</span>
          {column.label}
          <span aria-hidden="true">{sort === 'ascending' ? ' ▲' : sort === 'descending' ? ' ▼' : ''}</span>
        </button>
      ) : (
        column.label
      )}
      {props.resize && (
        <ColumnResizeHandle
          label={`Resize column ${column.label}`}
          width={props.width}
          onDraft={props.resize.onDraft}
          onCommit={props.resize.onCommit}
        />
      )}
    </div>
  );
}
