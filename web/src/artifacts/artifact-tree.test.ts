import { describe, expect, test } from 'vitest';
import type { RunArtifactEntry } from '../data/keel-sdk.js';
import { ancestors, shownOpenFolders, treeKey, typeAhead, visibleRows } from './artifact-tree.js';

const file = (path: string): RunArtifactEntry => ({ path, isDir: false, fileSize: 1 });
const dir = (path: string): RunArtifactEntry => ({ path, isDir: true });
const root = [dir('config'), dir('eval'), file('notes.txt')];
const folders: Record<string, RunArtifactEntry[]> = {
  config: [file('config/params.json')],
  eval: [dir('eval/deep'), file('eval/metrics.csv')],
  'eval/deep': [file('eval/deep/x.txt')],
};
const rowsWith = (...open: string[]) => visibleRows(root, (path) => folders[path], new Set(open));
const paths = (...open: string[]) => rowsWith(...open).map((row) => row.entry.path);

describe('the artifact tree model', () => {
  test('shows an open folder’s entries under it, with level, set size and position', () => {
    expect(paths()).toEqual(['config', 'eval', 'notes.txt']);
    const rows = rowsWith('eval', 'eval/deep');
    expect(rows.map((row) => row.entry.path)).toEqual([
      'config',
      'eval',
      'eval/deep',
      'eval/deep/x.txt',
      'eval/metrics.csv',
      'notes.txt',
    ]);
    expect(rows[3]).toMatchObject({ level: 3, setSize: 1, posInSet: 1, parent: 'eval/deep' });
    expect(rows[4]).toMatchObject({ level: 2, setSize: 2, posInSet: 2, parent: 'eval' });
    expect(rows[5]).toMatchObject({ level: 1, setSize: 3, posInSet: 3, parent: undefined });
  });

  test('a folder still being read shows no entries; one inside a closed folder is not read', () => {
    expect(visibleRows(root, () => undefined, new Set(['eval'])).length).toBe(3);
    expect(ancestors('a/b/c')).toEqual(['a', 'a/b']);
    expect(shownOpenFolders(new Set(['eval/deep', 'config']))).toEqual(['config']);
    expect(shownOpenFolders(new Set(['eval/deep', 'eval']))).toEqual(['eval/deep', 'eval']);
  });

  test('Up, Down, Home and End move among the visible items and stop at the ends', () => {
    const rows = rowsWith('eval');
    const open = new Set(['eval']);
    expect(treeKey('ArrowDown', rows, 'eval', open)).toEqual({ kind: 'focus', path: 'eval/deep' });
    expect(treeKey('ArrowUp', rows, 'eval/deep', open)).toEqual({ kind: 'focus', path: 'eval' });
    expect(treeKey('ArrowUp', rows, 'config', open)).toEqual({ kind: 'focus', path: 'config' });
    expect(treeKey('ArrowDown', rows, 'notes.txt', open)).toEqual({ kind: 'focus', path: 'notes.txt' });
    expect(treeKey('End', rows, 'config', open)).toEqual({ kind: 'focus', path: 'notes.txt' });
    expect(treeKey('Home', rows, 'eval/metrics.csv', open)).toEqual({ kind: 'focus', path: 'config' });
    expect(treeKey('x', rows, 'config', open)).toBeUndefined();
  });

  test('Right opens a closed folder, then moves to its first entry once it is read', () => {
    expect(treeKey('ArrowRight', rowsWith(), 'eval', new Set())).toEqual({ kind: 'expand', path: 'eval' });
    const reading = visibleRows(root, () => undefined, new Set(['eval']));
    expect(treeKey('ArrowRight', reading, 'eval', new Set(['eval']))).toEqual({
      kind: 'focus',
      path: 'eval',
    });
    expect(treeKey('ArrowRight', rowsWith('eval'), 'eval', new Set(['eval']))).toEqual({
      kind: 'focus',
      path: 'eval/deep',
    });
    expect(treeKey('ArrowRight', rowsWith(), 'notes.txt', new Set())).toEqual({
      kind: 'focus',
      path: 'notes.txt',
    });
  });

  test('Left closes an open folder, otherwise moves to the parent; Enter and Space activate', () => {
    const open = new Set(['eval']);
    const rows = rowsWith('eval');
    expect(treeKey('ArrowLeft', rows, 'eval', open)).toEqual({ kind: 'collapse', path: 'eval' });
    expect(treeKey('ArrowLeft', rows, 'eval/metrics.csv', open)).toEqual({ kind: 'focus', path: 'eval' });
    expect(treeKey('ArrowLeft', rows, 'notes.txt', open)).toEqual({ kind: 'focus', path: 'notes.txt' });
    expect(treeKey('Enter', rows, 'eval/metrics.csv', open)).toEqual({
      kind: 'activate',
      path: 'eval/metrics.csv',
    });
    expect(treeKey(' ', rows, 'eval', open)).toEqual({ kind: 'activate', path: 'eval' });
  });

  test('type-ahead finds the next item by the start of its name, wrapping', () => {
    const rows = rowsWith('eval');
    expect(typeAhead('n', rows, 'config')).toBe('notes.txt');
    expect(typeAhead('d', rows, 'config')).toBe('eval/deep');
    expect(typeAhead('e', rows, 'eval')).toBe('eval');
    expect(typeAhead('c', rows, 'notes.txt')).toBe('config');
    expect(typeAhead('me', rows, 'eval/metrics.csv')).toBe('eval/metrics.csv');
    expect(typeAhead('zz', rows, 'config')).toBeUndefined();
  });
});
