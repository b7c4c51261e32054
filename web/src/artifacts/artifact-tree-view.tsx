import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ErrorPanel } from '../components/error-panel.js';
import type { RunArtifactEntry } from '../data/keel-sdk.js';
import { formatBytes } from './artifact-preview.js';
import {
  ancestors,
  baseName,
  shownOpenFolders,
  treeKey,
  typeAhead,
  visibleRows,
  type TreeAction,
} from './artifact-tree.js';
import { useArtifactFolders } from './use-artifacts.js';

/** How long typed letters add up to one type-ahead prefix. */
const typeAheadMs = 700;

/**
 * A run's artifacts as a WAI-ARIA tree: one item is tabbable (roving tabindex), arrows move and
 * open or close folders, Home/End jump, Enter or Space previews a file or toggles a folder, and
 * typing a name's first letters moves to it. Folders are read when opened (`artifacts/list`, one
 * folder at a time); a folder on the way to the chosen file starts open, so a shared link shows
 * where the file is.
 */
export function ArtifactTree(props: {
  runId: string;
  root: readonly RunArtifactEntry[];
  selected: string | undefined;
  onChoose: (entry: RunArtifactEntry) => void;
}) {
  const { runId, root, selected, onChoose } = props;
  const treeId = useId();
  const [open, setOpen] = useState<ReadonlySet<string>>(
    () => new Set(selected === undefined ? [] : ancestors(selected)),
  );
  const [active, setActive] = useState<string | undefined>(selected);
  const items = useRef(new Map<string, HTMLLIElement>());
  const typed = useRef({ text: '', at: 0 });
  const folders = useArtifactFolders(runId, shownOpenFolders(open));
  const rows = visibleRows(root, (path) => folders.get(path)?.data, open);
  // The one tabbable item: the active one while it is shown, else the first.
  const tabbable = rows.some((row) => row.entry.path === active) ? active : rows[0]?.entry.path;

  const focus = (path: string) => {
    setActive(path);
    items.current.get(path)?.focus();
  };
  const toggle = (path: string, on: boolean) => {
    setOpen((previous) => {
      const next = new Set(previous);
      if (on) next.add(path);
      else next.delete(path);
      return next;
    });
    // Closing a folder that holds the focus hands it to the folder.
    if (!on && active?.startsWith(`${path}/`)) focus(path);
  };
  const activate = (entry: RunArtifactEntry) => {
    if (entry.isDir) toggle(entry.path, !open.has(entry.path));
    else onChoose(entry);
  };
  const run = (action: TreeAction) => {
    const entry = rows.find((row) => row.entry.path === action.path)?.entry;
    if (entry === undefined) return;
    if (action.kind === 'focus') focus(action.path);
    else if (action.kind === 'expand') toggle(action.path, true);
    else if (action.kind === 'collapse') toggle(action.path, false);
    else activate(entry);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // Keys typed in a folder's error panel (its Retry button) are not the tree's.
    const item = event.target as HTMLElement;
    const current = item.getAttribute('role') === 'treeitem' ? item.dataset['path'] : undefined;
    if (current === undefined) return;
    const action = treeKey(event.key, rows, current, open);
    if (action !== undefined) {
      event.preventDefault();
      typed.current.text = '';
      return run(action);
    }
    if (event.key.length !== 1 || event.key === ' ') return;
    const now = Date.now();
    const text = now - typed.current.at < typeAheadMs ? typed.current.text + event.key : event.key;
    typed.current = { text, at: now };
    const found = typeAhead(text, rows, current);
    if (found !== undefined) {
      event.preventDefault();
      focus(found);
    }
  };

  const level = (entries: readonly RunArtifactEntry[], depth: number): ReactNode =>
    entries.map((entry, index) => {
      const { path } = entry;
      const labelId = `${treeId}-${encodeURIComponent(path)}`;
      const isOpen = entry.isDir && open.has(path);
      const folder = isOpen ? folders.get(path) : undefined;
      return (
        <li
          key={path}
          role="treeitem"
          data-path={path}
          aria-labelledby={labelId}
          aria-level={depth}
          aria-setsize={entries.length}
          aria-posinset={index + 1}
          aria-expanded={entry.isDir ? isOpen : undefined}
          aria-selected={!entry.isDir && selected === path ? true : undefined}
          aria-busy={folder?.isPending || undefined}
          tabIndex={path === tabbable ? 0 : -1}
          ref={(element) => {
            if (element) items.current.set(path, element);
            else items.current.delete(path);
          }}
          onFocus={(event) => {
            if (event.target === event.currentTarget) setActive(path);
          }}
        >
          {/* The pointer's target; the keyboard's is the item itself (one tab stop for the tree). */}
          <button
            type="button"
            id={labelId}
            tabIndex={-1}
            className={entry.isDir ? 'artifact-folder' : 'artifact-file'}
            onClick={() => {
              focus(path);
              activate(entry);
            }}
          >
            {entry.isDir ? (
              <>
                <span aria-hidden="true">{isOpen ? '▾' : '▸'}</span> {baseName(path)}/
              </>
            ) : (
              <>
                {baseName(path)}
                {entry.fileSize !== undefined && (
                  <span className="muted"> {formatBytes(entry.fileSize)}</span>
                )}
              </>
            )}
          </button>
          {folder?.isPending && (
            <p className="muted artifact-nested" role="status">
              Reading…
            </p>
          )}
          {folder?.isError && (
            <div className="artifact-nested">
              <ErrorPanel
                error={folder.error}
                context="This folder could not be listed"
                onRetry={() => void folder.refetch()}
              />
            </div>
          )}
          {folder?.data?.length === 0 && <p className="muted artifact-nested">Empty folder.</p>}
          {folder?.data !== undefined && folder.data.length > 0 && (
            <ul role="group" className="artifact-list artifact-nested">
              {level(folder.data, depth + 1)}
            </ul>
          )}
        </li>
      );
    });

  return (
    <ul role="tree" aria-label="Artifacts" className="artifact-list" onKeyDown={onKeyDown}>
      {level(root, 1)}
    </ul>
  );
}
