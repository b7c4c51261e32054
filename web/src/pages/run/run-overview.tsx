import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { paths } from '../../app/paths.js';
import { formatDuration, formatTime } from '../../components/format.js';
import { StatusBadge } from '../../components/status-badge.js';
import { parentRunIdTag, type Run } from '../../data/keel-sdk.js';
import { useChildRuns } from '../../data/runs.js';

/** What a run is: status, times, who and what ran it (source, git), and its parent and children. */
export function RunOverview(props: { run: Run }) {
  const { info, data } = props.run;
  const tags = new Map(data.tags.map((tag) => [tag.key, tag.value]));
  const children = useChildRuns(props.run);
  const parent = tags.get(parentRunIdTag);
  const commit = tags.get('mlflow.source.git.commit');
  const dirty = tags.get('keel.source.git.dirty');
  const end = info.endTime ?? (info.status === 'RUNNING' ? Date.now() : null);
  const fields: [string, ReactNode][] = [
    ['Status', <StatusBadge key="status" status={info.status} />],
    ['Run ID', <code key="id">{info.runId}</code>],
    [
      'Experiment',
      <Link key="exp" href={paths.runs([info.experimentId])}>
        {info.experimentId}
      </Link>,
    ],
    ['Started', formatTime(info.startTime)],
    ['Ended', info.endTime === null ? '—' : formatTime(info.endTime)],
    [
      'Duration',
      `${formatDuration(end === null ? null : end - info.startTime)}${info.endTime === null && info.status === 'RUNNING' ? ' so far' : ''}`,
    ],
    ['User', info.userId || '—'],
    ['Source', tags.get('mlflow.source.name') ?? '—'],
    [
      'Git commit',
      commit === undefined ? (
        '—'
      ) : (
        <span key="git">
          <code>{commit.slice(0, 12)}</code>
          {tags.has('mlflow.source.git.branch') && ` on ${tags.get('mlflow.source.git.branch')}`}
          {dirty === 'true' && <span className="badge">uncommitted changes</span>}
        </span>
      ),
    ],
    [
      'Parent run',
      parent ? (
        <Link key="parent" href={paths.run(parent)}>
          {parent}
        </Link>
      ) : (
        '—'
      ),
    ],
    ['Artifacts', <code key="art">{info.artifactUri || '—'}</code>],
  ];
  return (
    <div>
      <dl className="overview">
        {fields.map(([label, value]) => (
          <div key={label} className="overview-field">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h2>Child runs</h2>
      {children.isPending ? (
        <p className="muted">Loading…</p>
      ) : children.isError ? (
        <p className="muted">Child runs could not be loaded.</p>
      ) : children.data.length === 0 ? (
        <p className="muted">No child runs.</p>
      ) : (
        <ul>
          {children.data.map((child) => (
            <li key={child.info.runId}>
              <Link href={paths.run(child.info.runId)}>{child.info.runName || child.info.runId}</Link>{' '}
              <StatusBadge status={child.info.status} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
