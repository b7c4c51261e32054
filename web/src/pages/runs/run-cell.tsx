import { Link } from 'wouter';
import { formatDuration, formatNumber, formatTime } from '../../components/format.js';
import { StatusBadge } from '../../components/status-badge.js';
import type { RunRow } from '../../data/run-rows.js';
import type { RunColumn } from './run-columns.js';

/** One cell of the runs table, formatted for its column (links are outside the Tab order: the grid moves focus). */
export function RunCell(props: { column: RunColumn; row: RunRow; href?: string }) {
  const { column, row } = props;
  const value = column.value(row);
  if (props.href !== undefined) {
    return (
      <Link href={props.href} tabIndex={-1} className="run-link" title={row.run.info.runId}>
        {String(value)}
      </Link>
    );
  }
  if (value === undefined || value === '') return null;
  if (column.id === 'attributes.status') return <StatusBadge status={row.run.info.status} />;
  if (column.id === 'attributes.start_time') return <>{formatTime(value as number)}</>;
  if (column.id === 'attributes.duration') return <>{formatDuration(value as number)}</>;
  if (column.kind === 'metric') return <>{formatNumber(value as number)}</>;
  return <span title={String(value)}>{String(value)}</span>;
}
