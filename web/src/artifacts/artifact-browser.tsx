import { useState } from 'react';
import { useSearchParams } from 'wouter';
import { ErrorPanel } from '../components/error-panel.js';
import type { RunArtifactEntry } from '../data/keel-sdk.js';
import { ArtifactPreview } from './artifact-preview.js';
import { ArtifactTree } from './artifact-tree-view.js';
import { useArtifactFolder } from './use-artifacts.js';
import './artifacts.css';

/**
 * A run's artifacts: a tree whose folders are read when opened (`artifacts/list`, one folder at a
 * time; keyboard as a WAI-ARIA tree), and a preview of the chosen file. The chosen file is in the URL
 * (`path`), so a preview can be shared.
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
        <ArtifactTree runId={props.runId} root={root.data} selected={selected} onChoose={choose} />
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
