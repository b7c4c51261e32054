import { useEffect, useMemo, useState } from 'react';
import { ErrorPanel } from '../components/error-panel.js';
import type { ArtifactHead } from '../data/keel-sdk.js';
import { parseDelimited } from './csv.js';
import { previewKind, type PreviewKind } from './preview-kind.js';
import { useArtifactDownloadUrl, useArtifactHead } from './use-artifacts.js';

/** Rows of a CSV/TSV preview. */
const maxTableRows = 500;

/**
 * The preview of one artifact (text, JSON pretty-printed, YAML, images, CSV/TSV as a table) from
 * its first bytes only, and a download link for any file.
 */
export function ArtifactPreview(props: { runId: string; path: string; size?: number }) {
  const kind = previewKind(props.path);
  const head = useArtifactHead(props.runId, props.path);
  const downloadUrl = useArtifactDownloadUrl(props.runId, props.path);
  const name = props.path.split('/').pop() ?? props.path;
  const size = props.size ?? head.data?.size;
  return (
    <section className="artifact-preview" aria-label={`Preview of ${name}`}>
      <header className="artifact-preview-head">
        <h3>{props.path}</h3>
        {size !== undefined && <span className="muted">{formatBytes(size)}</span>}
        <a href={downloadUrl} download={name} className="button">
          Download {name}
        </a>
      </header>
      {kind === 'none' ? (
        <p className="muted">No preview for this kind of file; download it to open it.</p>
      ) : head.isPending ? (
        <p className="muted" role="status">
          Reading {name}…
        </p>
      ) : head.isError ? (
        <ErrorPanel
          error={head.error}
          context="The preview could not be read"
          onRetry={() => void head.refetch()}
        />
      ) : (
        <PreviewBody kind={kind} head={head.data} name={name} />
      )}
    </section>
  );
}

function PreviewBody(props: { kind: PreviewKind; head: ArtifactHead; name: string }) {
  const { kind, head } = props;
  const cut = head.truncated ? (
    <p className="muted">
      Showing the first {formatBytes(head.bytes.byteLength)} of{' '}
      {head.size === undefined ? 'more' : formatBytes(head.size)}; download the file for all of it.
    </p>
  ) : null;
  if (kind === 'image') return <ImagePreview head={head} name={props.name} />;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.bytes);
  if (kind === 'csv' || kind === 'tsv') {
    return <TablePreview text={text} delimiter={kind === 'tsv' ? '\t' : ','} truncated={head.truncated} />;
  }
  if (kind === 'json' && !head.truncated) {
    try {
      return (
        <pre className="artifact-text" data-kind="json" tabIndex={0}>
          {JSON.stringify(JSON.parse(text), null, 2)}
        </pre>
      );
    } catch {
      // Not valid JSON: shown as it is.
    }
  }
  return (
    <>
      {cut}
      <pre className="artifact-text" data-kind={kind} tabIndex={0}>
        {text}
      </pre>
    </>
  );
}

function ImagePreview(props: { head: ArtifactHead; name: string }) {
  const { head } = props;
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (head.truncated) return undefined;
    const type = head.contentType.startsWith('image/') ? head.contentType : 'application/octet-stream';
    const objectUrl = URL.createObjectURL(new Blob([head.bytes as BlobPart], { type }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [head]);
  if (head.truncated) {
    return (
      <p className="muted">
        This image is {head.size === undefined ? 'large' : formatBytes(head.size)}, too large to preview;
        download it.
      </p>
    );
  }
  return url ? <img src={url} alt={props.name} className="artifact-image" /> : null;
}

function TablePreview(props: { text: string; delimiter: string; truncated: boolean }) {
  const { rows, more } = useMemo(
    () =>
      parseDelimited(props.text, {
        delimiter: props.delimiter,
        maxRows: maxTableRows + 1,
        truncated: props.truncated,
      }),
    [props.text, props.delimiter, props.truncated],
  );
  if (rows.length === 0) return <p className="muted">This file is empty.</p>;
  const [header = [], ...body] = rows;
  return (
    <div className="artifact-table-scroll" tabIndex={0} role="region" aria-label="Table preview">
      <table className="artifact-table">
        <caption className="muted">
          {body.length} row{body.length === 1 ? '' : 's'}
          {more ? ' shown (the file has more; download it for all)' : ''}
        </caption>
        <thead>
          <tr>
            {header.map((cell, index) => (
              <th key={index} scope="col">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {body.map((row, rowIndex) => (
            <tr key={rowIndex}>
              {row.map((cell, index) => (
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toPrecision(3))} ${units[unit]}`;
}
