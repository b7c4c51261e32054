import type { RunArtifactEntry } from '../data/keel-sdk.js';

/** One item of the tree as shown, with where it sits (aria-level, -setsize, -posinset; Left's target). */
export interface TreeRow {
  entry: RunArtifactEntry;
  /** 1 at the root. */
  level: number;
  setSize: number;
  posInSet: number;
  /** The folder holding it; undefined at the root. */
  parent: string | undefined;
}

/** What a key does to the tree: move focus, open or close a folder, or open a file (or toggle a folder). */
export type TreeAction =
  | { kind: 'focus'; path: string }
  | { kind: 'expand'; path: string }
  | { kind: 'collapse'; path: string }
  | { kind: 'activate'; path: string };

/** The last part of an artifact path (`eval/metrics.csv` -> `metrics.csv`). */
export function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** The folders holding a path, outermost first (`a/b/c` -> `a`, `a/b`). */
export function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

/**
 * The open folders whose contents are on show: those inside a closed folder keep their state but are
 * not read until their parent opens again.
 */
export function shownOpenFolders(open: ReadonlySet<string>): string[] {
  return [...open].filter((path) => ancestors(path).every((folder) => open.has(folder)));
}

/**
 * The items a person sees, top to bottom: the root's entries and, under each open folder whose
 * contents have been read, its entries (`childrenOf` answers undefined while a folder is being read).
 */
export function visibleRows(
  root: readonly RunArtifactEntry[],
  childrenOf: (path: string) => readonly RunArtifactEntry[] | undefined,
  open: ReadonlySet<string>,
): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (entries: readonly RunArtifactEntry[], level: number, parent: string | undefined) => {
    entries.forEach((entry, index) => {
      rows.push({ entry, level, setSize: entries.length, posInSet: index + 1, parent });
      if (!entry.isDir || !open.has(entry.path)) return;
      const children = childrenOf(entry.path);
      if (children !== undefined) walk(children, level + 1, entry.path);
    });
  };
  walk(root, 1, undefined);
  return rows;
}

/**
 * The WAI-ARIA treeview keys: Up/Down to the previous/next visible item, Home/End to the first/last,
 * Right opens a closed folder or moves into an open one, Left closes an open folder or moves to the
 * parent, Enter and Space activate. Undefined: the key is not the tree's. At an edge the focus stays
 * where it is (the key is still the tree's, so the page does not scroll).
 */
export function treeKey(
  key: string,
  rows: readonly TreeRow[],
  active: string,
  open: ReadonlySet<string>,
): TreeAction | undefined {
  const index = rows.findIndex((row) => row.entry.path === active);
  const row = rows[index];
  if (row === undefined) return rows[0] && { kind: 'focus', path: rows[0].entry.path };
  const focus = (target: TreeRow | undefined): TreeAction => ({
    kind: 'focus',
    path: (target ?? row).entry.path,
  });
  const isOpen = row.entry.isDir && open.has(active);
  switch (key) {
    case 'ArrowDown':
      return focus(rows[index + 1]);
    case 'ArrowUp':
      return focus(rows[index - 1]);
    case 'Home':
      return focus(rows[0]);
    case 'End':
      return focus(rows[rows.length - 1]);
    case 'ArrowRight': {
      if (!row.entry.isDir) return focus(row);
      if (!isOpen) return { kind: 'expand', path: active };
      const next = rows[index + 1];
      // Still being read (or empty): nothing to move into yet.
      return focus(next?.parent === active ? next : row);
    }
    case 'ArrowLeft':
      if (isOpen) return { kind: 'collapse', path: active };
      return focus(rows.find((candidate) => candidate.entry.path === row.parent));
    case 'Enter':
    case ' ':
      return { kind: 'activate', path: active };
    default:
      return undefined;
  }
}

/**
 * Type-ahead: the next item (after the active one, wrapping) whose name starts with what was typed.
 * While a longer prefix is typed the active item itself may still match, so the search starts there.
 */
export function typeAhead(typed: string, rows: readonly TreeRow[], active: string): string | undefined {
  const needle = typed.toLowerCase();
  const from = Math.max(
    0,
    rows.findIndex((row) => row.entry.path === active),
  );
  const offset = typed.length > 1 ? 0 : 1;
  for (let step = 0; step < rows.length; step++) {
    const row = rows[(from + offset + step) % rows.length]!;
    if (baseName(row.entry.path).toLowerCase().startsWith(needle)) return row.entry.path;
  }
  return undefined;
}
