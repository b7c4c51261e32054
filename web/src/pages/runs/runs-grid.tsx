import {
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowSelectionState,
  type Updater,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { RunRow } from '../../data/run-rows.js';
import { useColumnDrag } from './column-drag.js';
import { ColumnHeader } from './column-header.js';
import type { ColumnWidths } from './column-layout.js';
import { gridKey, type ActiveCell } from './grid-keys.js';
import {
  gridCellId,
  headerHeight,
  pinnedWidth,
  rowHeight,
  RunGridRow,
  selectWidth,
  type RunRowActions,
} from './run-grid-row.js';
import { runNameColumn, type RunColumn } from './run-columns.js';

/** Rows from the end of what is loaded at which the next page is asked for. */
const loadAhead = 40;

export type GridItem =
  { kind: 'run'; row: RunRow } | { kind: 'group'; value: string; count: number; collapsed: boolean };

export interface RunsGridProps {
  /** What the rows show: runs, and group headings when grouping. */
  items: readonly GridItem[];
  /** The columns that scroll sideways (the run name and the selection stay pinned at the left). */
  columns: readonly RunColumn[];
  /** Widths that differ from the columns' defaults. */
  widths: ColumnWidths;
  /** A column's new width; undefined for its default. */
  onResize: (column: RunColumn, width: number | undefined) => void;
  /**
   * Moves column `from` to where `to` is. Only metric, param and tag columns move (their order is
   * the chosen columns'); the attribute columns keep their place before them.
   */
  onMoveColumn: (from: string, to: string) => void;
  sort: { column: string; descending: boolean } | undefined;
  onSort: (column: RunColumn) => void;
  selection: RowSelectionState;
  onSelectionChange: (selection: RowSelectionState) => void;
  onOpenRun: (runId: string) => void;
  onToggleGroup: (value: string) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** A run's link target, for the pinned name cell. */
  runHref: (runId: string) => string;
  label: string;
}

/**
 * The runs table: a WAI-ARIA grid virtualised in both directions, so that only the cells on screen
 * exist in the page whatever the number of runs and columns. Keyboard: arrows move the active cell,
 * Home/End go to the row's ends (with Ctrl, the table's), Page Up/Down move by a screen, Enter opens
 * the run (on a heading: sorts; on a group: folds it), Space selects the run. On a heading,
 * Alt+Shift+Left/Right moves the column; each scrolling heading has a resize handle.
 */
export function RunsGrid(props: RunsGridProps) {
  const { items, columns } = props;
  const gridId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<ActiveCell>({ row: 0, col: 1 });
  // The width of the column being resized by pointer, until the drag ends and the URL has it.
  const [draft, setDraft] = useState<{ id: string; width: number } | undefined>(undefined);
  const { widths, onMoveColumn } = props;
  const widthOf = useCallback(
    (column: RunColumn) => (draft?.id === column.id ? draft.width : (widths.get(column.id) ?? column.width)),
    [draft, widths],
  );
  const drag = useColumnDrag(onMoveColumn);

  const runRows = useMemo(() => items.flatMap((item) => (item.kind === 'run' ? [item.row] : [])), [items]);
  const columnDefs = useMemo<ColumnDef<RunRow>[]>(
    () =>
      [runNameColumn, ...columns].map((column) => ({
        id: column.id,
        accessorFn: (row: RunRow) => column.value(row),
        header: column.label,
        size: column.width,
        meta: column,
      })),
    [columns],
  );
  const table = useReactTable({
    data: runRows,
    columns: columnDefs,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.run.info.runId,
    enableRowSelection: true,
    manualSorting: true,
    state: { rowSelection: props.selection },
    onRowSelectionChange: (updater: Updater<RowSelectionState>) =>
      props.onSelectionChange(typeof updater === 'function' ? updater(props.selection) : updater),
  });

  const rowVirtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollPaddingStart: headerHeight,
    // Rows are drawn in React's next render, not synchronously inside each scroll event (which
    // forces a layout per event); the overscan covers what a fast scroll reveals meanwhile.
    useFlushSync: false,
  });
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: columns.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (columns[index] ? widthOf(columns[index]) : 120),
    // Keyed by id, so that sizes follow a column when the order changes.
    getItemKey: useCallback((index: number) => columns[index]?.id ?? index, [columns]),
    overscan: 4,
    scrollPaddingStart: pinnedWidth,
    useFlushSync: false,
  });
  // The virtualiser caches sizes; a new width or order must reach it before the frame is painted.
  useLayoutEffect(() => columnVirtualizer.measure(), [columns, widthOf, columnVirtualizer]);

  const virtualRows = rowVirtualizer.getVirtualItems();
  const virtualColumns = columnVirtualizer.getVirtualItems();
  const lastVisible = virtualRows[virtualRows.length - 1]?.index ?? 0;
  const { hasMore, loadingMore, onLoadMore } = props;
  useEffect(() => {
    if (hasMore && !loadingMore && lastVisible >= items.length - loadAhead) onLoadMore();
  }, [hasMore, loadingMore, lastVisible, items.length, onLoadMore]);

  const totalColumns = columns.length + 2;
  const cellId = (row: number, col: number) => gridCellId(gridId, row, col);
  const rowsById = table.getRowModel().rowsById;
  // Rows reach the latest table and callbacks through refs, so the actions never change.
  const latest = useRef({ table, props });
  latest.current = { table, props };
  const rowActions = useMemo<RunRowActions>(
    () => ({
      activate: (rowIndex) => setActive((previous) => ({ row: rowIndex, col: previous.col })),
      open: (runId) => latest.current.props.onOpenRun(runId),
      select: (runId, selected) =>
        latest.current.table.getRowModel().rowsById[runId]?.toggleSelected(selected),
      href: (runId) => latest.current.props.runHref(runId),
    }),
    [],
  );

  const moveTo = (next: ActiveCell) => {
    setActive(next);
    if (next.row >= 0) rowVirtualizer.scrollToIndex(next.row, { align: 'auto' });
    if (next.col >= 2) columnVirtualizer.scrollToIndex(next.col - 2, { align: 'auto' });
    else if (scroller.current) scroller.current.scrollLeft = 0;
  };

  const movable = (column: RunColumn | undefined) => column !== undefined && column.kind !== 'attribute';
  /** Alt+Shift+Left/Right on a heading: the column swaps places with its neighbour. */
  const moveByKey = (event: KeyboardEvent<HTMLDivElement>): boolean => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!event.altKey || !event.shiftKey || step === 0 || active.row !== -1) return false;
    event.preventDefault();
    const column = columns[active.col - 2];
    const neighbour = columns[active.col - 2 + step];
    if (movable(column) && movable(neighbour)) {
      onMoveColumn(column!.id, neighbour!.id);
      moveTo({ row: -1, col: active.col + step });
    }
    return true;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (moveByKey(event)) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / rowHeight) - 2);
    const result = gridKey(event.key, event.ctrlKey, active, {
      rows: items.length,
      cols: totalColumns,
      page,
    });
    if (result === undefined) return;
    event.preventDefault();
    const item = active.row >= 0 ? items[active.row] : undefined;
    if (result.kind === 'move') moveTo(result.to);
    else if (item?.kind === 'group') props.onToggleGroup(item.value);
    else if (result.kind === 'toggle' && item?.kind === 'run')
      rowsById[item.row.run.info.runId]?.toggleSelected();
    else if (item?.kind === 'run') props.onOpenRun(item.row.run.info.runId);
    else if (active.row === -1) {
      const column = active.col === 1 ? runNameColumn : columns[active.col - 2];
      if (column?.sortable) props.onSort(column);
    }
  };

  const totalWidth = pinnedWidth + columnVirtualizer.getTotalSize();
  const leftPad = virtualColumns[0]?.start ?? 0;
  const ariaSort = (column: RunColumn) =>
    props.sort?.column === column.id ? (props.sort.descending ? 'descending' : 'ascending') : undefined;
  const activeInRange = active.row < items.length;

  const headerCell = (column: RunColumn, col: number, width: number, scrolling: boolean) => (
    <ColumnHeader
      key={column.id}
      id={cellId(-1, col)}
      column={column}
      col={col}
      width={width}
      active={active.row === -1 && active.col === col}
      sort={ariaSort(column)}
      onSort={props.onSort}
      resize={
        scrolling
          ? {
              onDraft: (next) => setDraft(next === undefined ? undefined : { id: column.id, width: next }),
              onCommit: (next) => props.onResize(column, next),
            }
          : undefined
      }
      dragProps={scrolling ? drag.headerProps(column.id, movable(column)) : undefined}
      dropTarget={drag.over === column.id}
    />
  );

  return (
    <div
      ref={scroller}
      className="grid-scroll"
      role="grid"
      aria-label={props.label}
      aria-rowcount={items.length + 1}
      aria-colcount={totalColumns}
      aria-multiselectable="true"
      tabIndex={0}
      aria-activedescendant={activeInRange ? cellId(active.row, active.col) : undefined}
      onKeyDown={onKeyDown}
    >
      <div
        style={{
          width: totalWidth,
          height: rowVirtualizer.getTotalSize() + headerHeight,
          position: 'relative',
        }}
      >
        <div
          role="row"
          aria-rowindex={1}
          className="grid-row header-row"
          style={{ width: totalWidth, height: headerHeight }}
        >
          <div className="pinned" style={{ width: pinnedWidth }}>
            <div
              id={cellId(-1, 0)}
              role="columnheader"
              aria-colindex={1}
              className={`grid-cell select-cell${active.row === -1 && active.col === 0 ? ' active' : ''}`}
              style={{ width: selectWidth }}
            >
              <input
                type="checkbox"
                tabIndex={-1}
                aria-label="Select all loaded runs"
                checked={table.getIsAllRowsSelected()}
                ref={(input) => {
                  if (input) input.indeterminate = table.getIsSomeRowsSelected();
                }}
                onChange={table.getToggleAllRowsSelectedHandler()}
              />
            </div>
            {headerCell(runNameColumn, 1, runNameColumn.width, false)}
          </div>
          <div style={{ width: leftPad, flex: 'none' }} />
          {virtualColumns.map((virtual) => {
            const column = columns[virtual.index]!;
            return headerCell(column, virtual.index + 2, virtual.size, true);
          })}
        </div>
        {virtualRows.map((virtual) => {
          const item = items[virtual.index]!;
          const rowIndex = virtual.index;
          const style = {
            width: totalWidth,
            height: rowHeight,
            transform: `translateY(${virtual.start + headerHeight}px)`,
          };
          const isActive = (col: number) => (active.row === rowIndex && active.col === col ? ' active' : '');
          if (item.kind === 'group') {
            return (
              <div
                key={`group:${item.value}`}
                role="row"
                aria-rowindex={rowIndex + 2}
                className="grid-row group-row"
                style={style}
              >
                <div
                  id={cellId(rowIndex, 0)}
                  role="gridcell"
                  aria-colindex={1}
                  aria-colspan={totalColumns}
                  aria-expanded={!item.collapsed}
                  className={`grid-cell group-cell${isActive(0) || isActive(1) ? ' active' : ''}`}
                  style={{ width: pinnedWidth + 400 }}
                  onClick={() => props.onToggleGroup(item.value)}
                >
                  <span aria-hidden="true">{item.collapsed ? '▸' : '▾'}</span> {item.value}{' '}
                  <span className="muted">({item.count} loaded)</span>
                </div>
              </div>
            );
          }
          return (
            <RunGridRow
              key={item.row.run.info.runId}
              gridId={gridId}
              row={item.row}
              rowIndex={rowIndex}
              top={virtual.start + headerHeight}
              totalWidth={totalWidth}
              leftPad={leftPad}
              columns={columns}
              virtualColumns={virtualColumns}
              selected={props.selection[item.row.run.info.runId] === true}
              activeCol={active.row === rowIndex ? active.col : undefined}
              actions={rowActions}
            />
          );
        })}
      </div>
    </div>
  );
}
