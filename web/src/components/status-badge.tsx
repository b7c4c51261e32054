import type { RunStatus } from '../data/keel-sdk.js';

/** A run's status as a word with a colour that is never the only cue. */
export function StatusBadge(props: { status: RunStatus }) {
  return <span className={`status status-${props.status.toLowerCase()}`}>{props.status.toLowerCase()}</span>;
}
