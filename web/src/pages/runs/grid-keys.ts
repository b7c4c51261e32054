/** The active cell of the runs grid: `row` -1 is the heading row; `col` 0 the selection, 1 the run name. */
export interface ActiveCell {
  row: number;
  col: number;
}

export type GridKeyResult =
  | { kind: 'move'; to: ActiveCell }
  /** Enter: open the run, sort by the heading, or fold the group (the grid knows which). */
  | { kind: 'activate' }
  /** Space: select the run, or fold the group. */
  | { kind: 'toggle' };

/**
 * What a key does in the grid (WAI-ARIA grid pattern): arrows move one cell, Page Up/Down a screen,
 * Home/End to the row's ends (with Ctrl, the table's corners). Undefined: the key is not the grid's.
 * Moves are clamped to the grid.
 */
export function gridKey(
  key: string,
  ctrl: boolean,
  active: ActiveCell,
  size: { rows: number; cols: number; page: number },
): GridKeyResult | undefined {
  const move = (row: number, col: number): GridKeyResult => ({
    kind: 'move',
    to: {
      row: Math.max(-1, Math.min(size.rows - 1, row)),
      col: Math.max(0, Math.min(size.cols - 1, col)),
    },
  });
  switch (key) {
    case 'ArrowDown':
      return move(active.row + 1, active.col);
    case 'ArrowUp':
      return move(active.row - 1, active.col);
    case 'ArrowRight':
      return move(active.row, active.col + 1);
    case 'ArrowLeft':
      return move(active.row, active.col - 1);
    case 'PageDown':
      return move(active.row + size.page, active.col);
    case 'PageUp':
      return move(active.row - size.page, active.col);
    case 'Home':
      return move(ctrl ? 0 : active.row, 0);
    case 'End':
      return move(ctrl ? size.rows - 1 : active.row, size.cols - 1);
    case 'Enter':
      return { kind: 'activate' };
    case ' ':
      return { kind: 'toggle' };
    default:
      return undefined;
  }
}
