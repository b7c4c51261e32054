import { useState } from 'react';
import { useSearchParams } from 'wouter';
import { ErrorPanel } from '../components/error-panel.js';
import type { RunArtifactEntry } from '../data/keel-sdk.js';
import { ArtifactPreview, formatBytes } from './artifact-preview.js';
import { useArtifactFolder } from './use-artifacts.js';
import './artifacts.css';

/**
 * A run's artifacts: a tree whose folders are read when opened (`artifacts/list`, one folder at a
 * time), and a preview of the chosen file. The chosen file is in the URL (`path`), so a preview can
 * be shared.
 */
export function ArtifactBrowser(props: { runId: string }) {
  const [search, setSearch] = useSearchParams();
  const selected = search.get('path') ?? undefined;
  const [sizes, setSizes] = useState<Record<string, number | undefined>>({});
  const root = useArtifactFolder(props.runId, '');
  const choose = (entry: RunArtifactEntry) => {
    setSizes((previous) => ({ ...previous, [entry.path]: entry.fileSize }));
    setSearch((previous) => {
      const next = new URLSearchParams(previous);
      next.set('path', entry.path);
      return next;
    });
  };
  if (root.isPending) return <p role="status">Reading the artifacts…</p>;
  if (root.isError) {
    return (
      <ErrorPanel
        error={root.error}
        context="The artifacts could not be listed"
        onRetry={() => void root.refetch()}
      />
    );
  }
  if (root.data.length === 0) {
    return (
      <div className="muted">
        <p>This run has no artifacts yet. Log one from Python:</p>
        <pre>mlflow.log_artifact(&quot;report.csv&quot;)</pre>
      </div>
    );
  }
  return (
    <div className="artifact-browser">
      <nav aria-label="Artifact files" className="artifact-tree">
        <FolderList runId={props.runId} entries={root.data} selected={selected} onChoose={choose} level={1} />
      </nav>
      <div className="artifact-pane">
        {selected === undefined ? (
          <p className="muted">Choose a file to preview it.</p>
        ) : (
          <ArtifactPreview key={selected} runId={props.runId} path={selected} size={sizes[selected]} />
        )}
      </div>
    </div>
  );
}

function FolderList(props: {
  runId: string;
  entries: readonly RunArtifactEntry[];
  selected: string | undefined;
  onChoose: (entry: RunArtifactEntry) => void;
  level: number;
}) {
  return (
    <ul className="artifact-list">
      {props.entries.map((entry) =>
        entry.isDir ? (
          <Folder key={entry.path} {...props} entry={entry} />
        ) : (
          <li key={entry.path}>
            <button
              type="button"
              className="artifact-file"
              aria-current={props.selected === entry.path ? 'true' : undefined}
              onClick={() => props.onChoose(entry)}
            >
              {baseName(entry.path)}
              {entry.fileSize !== undefined && <span className="muted"> {formatBytes(entry.fileSize)}</span>}
            </button>
          </li>
        ),
      )}
    </ul>
  );
}

function Folder(props: {
  runId: string;
  entry: RunArtifactEntry;
  selected: string | undefined;
  onChoose: (entry: RunArtifactEntry) => void;
  level: number;
}) {
  const { entry } = props;
  // A folder on the way to the chosen file starts open (a shared link shows where the file is).
  const [open, setOpen] = useState(() => props.selected?.startsWith(`${entry.path}/`) ?? false);
  const children = useArtifactFolder(props.runId, entry.path, open);
  return (
    <li>
      <button
        type="button"
        className="artifact-folder"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {baseName(entry.path)}/
      </button>
      {open &&
        (children.isPending ? (
          <p className="muted artifact-nested" role="status">
            Reading…
          </p>
        ) : children.isError ? (
          <ErrorPanel error={children.error} context="This folder could not be listed" />
        ) : children.data.length === 0 ? (
          <p className="muted artifact-nested">Empty folder.</p>
        ) : (
          <div className="artifact-nested">
            <FolderList
              runId={props.runId}
              entries={children.data}
              selected={props.selected}
              onChoose={props.onChoose}
              level={props.level + 1}
            />
          </div>
        ))}
    </li>
  );
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}
