import { describe, expect, it } from 'vitest';
import { gridKey } from './grid-keys.js';

const size = { rows: 100, cols: 8, page: 10 };

describe('keys in the runs grid', () => {
  it('moves one cell with the arrows, staying inside the grid (row -1 is the headings)', () => {
    expect(gridKey('ArrowDown', false, { row: 0, col: 1 }, size)).toEqual({
      kind: 'move',
      to: { row: 1, col: 1 },
    });
    expect(gridKey('ArrowUp', false, { row: 0, col: 1 }, size)).toEqual({
      kind: 'move',
      to: { row: -1, col: 1 },
    });
    expect(gridKey('ArrowUp', false, { row: -1, col: 1 }, size)).toEqual({
      kind: 'move',
      to: { row: -1, col: 1 },
    });
    expect(gridKey('ArrowLeft', false, { row: 3, col: 0 }, size)).toEqual({
      kind: 'move',
      to: { row: 3, col: 0 },
    });
    expect(gridKey('ArrowRight', false, { row: 3, col: 7 }, size)).toEqual({
      kind: 'move',
      to: { row: 3, col: 7 },
    });
  });

  it('pages by a screen and jumps to the ends', () => {
    expect(gridKey('PageDown', false, { row: 95, col: 2 }, size)).toEqual({
      kind: 'move',
      to: { row: 99, col: 2 },
    });
    expect(gridKey('PageUp', false, { row: 5, col: 2 }, size)).toEqual({
      kind: 'move',
      to: { row: -1, col: 2 },
    });
    expect(gridKey('End', false, { row: 5, col: 2 }, size)).toEqual({ kind: 'move', to: { row: 5, col: 7 } });
    expect(gridKey('Home', true, { row: 5, col: 2 }, size)).toEqual({ kind: 'move', to: { row: 0, col: 0 } });
    expect(gridKey('End', true, { row: 5, col: 2 }, size)).toEqual({ kind: 'move', to: { row: 99, col: 7 } });
  });

  it('activates with Enter, toggles with Space, and leaves other keys alone', () => {
    expect(gridKey('Enter', false, { row: 0, col: 1 }, size)).toEqual({ kind: 'activate' });
    expect(gridKey(' ', false, { row: 0, col: 1 }, size)).toEqual({ kind: 'toggle' });
    expect(gridKey('Tab', false, { row: 0, col: 1 }, size)).toBeUndefined();
    expect(gridKey('a', false, { row: 0, col: 1 }, size)).toBeUndefined();
  });

  it('keeps an empty grid on its headings', () => {
    expect(gridKey('ArrowDown', false, { row: -1, col: 1 }, { rows: 0, cols: 3, page: 10 })).toEqual({
      kind: 'move',
      to: { row: -1, col: 1 },
    });
  });
});
