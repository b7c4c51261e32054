import { useId, useState } from 'react';
import { useLocation } from 'wouter';
import { paths } from '../../app/paths.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import type { RunQuery } from '../../data/runs.js';
import { ColumnChooser } from './column-chooser.js';
import { columnId, type RunKeys } from './run-columns.js';
import type { RunsView } from './runs-view-state.js';

const viewChoices = [
  { value: 'ACTIVE_ONLY', label: 'Active runs' },
  { value: 'DELETED_ONLY', label: 'Deleted runs' },
  { value: 'ALL', label: 'All runs' },
] as const;

/** The runs table's controls: which runs, which columns, grouping, refresh, and bulk delete/restore. */
export function RunsToolbar(props: {
  view: RunsView;
  updateView: (change: Partial<RunsView>) => void;
  keys: RunKeys;
  chosenColumns: readonly string[];
  selectedIds: readonly string[];
  busy: boolean;
  onRefresh: () => void;
  onChange: (kind: 'delete' | 'restore') => void;
}) {
  const { view, updateView, keys, selectedIds } = props;
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [, navigate] = useLocation();
  const viewId = useId();
  const groupId = useId();
  const count = selectedIds.length;
  return (
    <div className="toolbar">
      <label htmlFor={viewId}>Show</label>
      <select
        id={viewId}
        value={view.viewType}
        onChange={(event) => updateView({ viewType: event.target.value as RunQuery['viewType'] })}
      >
        {viewChoices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      <ColumnChooser
        keys={keys}
        selected={props.chosenColumns}
        isDefault={view.columns === undefined}
        onChange={(next) => updateView({ columns: next })}
      />
      <label htmlFor={groupId}>Group by</label>
      <select
        id={groupId}
        value={view.groupBy ?? ''}
        onChange={(event) => updateView({ groupBy: event.target.value || undefined })}
      >
        <option value="">Nothing</option>
        {keys.params.map((item) => (
          <option key={`p:${item}`} value={columnId('param', item)}>
            param {item}
          </option>
        ))}
        {keys.tags
          .filter((item) => !item.startsWith('mlflow.'))
          .map((item) => (
            <option key={`t:${item}`} value={columnId('tag', item)}>
              tag {item}
            </option>
          ))}
      </select>
      <button type="button" onClick={props.onRefresh}>
        Refresh
      </button>
      <button
        type="button"
        disabled={count < 2 || count > 200}
        title={count > 200 ? 'At most 200 runs can be compared' : 'Select two or more runs to compare them'}
        onClick={() => navigate(paths.compare(selectedIds))}
      >
        Compare ({count})
      </button>
      {view.viewType !== 'DELETED_ONLY' && (
        <button
          type="button"
          className="danger"
          disabled={count === 0 || props.busy}
          onClick={() => setConfirmDelete(true)}
        >
          Delete selected ({count})
        </button>
      )}
      {view.viewType !== 'ACTIVE_ONLY' && (
        <button type="button" disabled={count === 0 || props.busy} onClick={() => props.onChange('restore')}>
          Restore selected ({count})
        </button>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${count} run${count === 1 ? '' : 's'}?`}
        confirmLabel="Delete"
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          props.onChange('delete');
        }}
      >
        <p>
          Deleted runs can be restored from the “Deleted runs” view until an administrator runs{' '}
          <code>keel gc</code>.
        </p>
      </ConfirmDialog>
    </div>
  );
}
