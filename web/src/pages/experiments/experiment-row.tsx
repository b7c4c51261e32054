import { Fragment, useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { paths } from '../../app/paths.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { formatTime } from '../../components/format.js';
import { TagEditor } from '../../components/tag-editor.js';
import type { Experiment, ExperimentMutation } from '../../data/experiments.js';

/** One experiment in the list, with rename, delete or restore, and its tags in an expandable row. */
export function ExperimentRow(props: {
  experiment: Experiment;
  selected: boolean;
  onToggle: () => void;
  change: ExperimentMutation;
}) {
  const { experiment, change } = props;
  const id = experiment.experimentId;
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(experiment.name);
  const [confirming, setConfirming] = useState(false);
  const [showTags, setShowTags] = useState(false);
  const nameId = useId();
  const tagsId = useId();
  const deleted = experiment.lifecycleStage === 'deleted';
  const tags = experiment.tags.filter((tag) => !tag.key.startsWith('mlflow.'));

  const rename = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(
      { kind: 'rename', experimentId: id, name: name.trim() },
      { onSuccess: () => setRenaming(false) },
    );
  };
  return (
    <Fragment>
      <tr className={deleted ? 'deleted' : undefined}>
        <td>
          <input
            type="checkbox"
            checked={props.selected}
            onChange={props.onToggle}
            aria-label={`Select experiment ${experiment.name}`}
          />
        </td>
        <td>
          {renaming ? (
            <form className="inline-form" onSubmit={rename}>
              <label htmlFor={nameId} className="visually-hidden">
                New name for {experiment.name}
              </label>
              <input
                id={nameId}
                value={name}
                autoFocus
                required
                onChange={(event) => setName(event.target.value)}
              />
              <button type="submit" disabled={change.isPending}>
                Save
              </button>
              <button type="button" onClick={() => setRenaming(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <Link href={paths.runs([id])} className="experiment-link">
              {experiment.name}
            </Link>
          )}
          {deleted && <span className="badge">deleted</span>}
        </td>
        <td className="numeric">{id}</td>
        <td>{formatTime(experiment.lastUpdateTime)}</td>
        <td>
          <button
            type="button"
            className="link-button"
            aria-expanded={showTags}
            aria-controls={tagsId}
            onClick={() => setShowTags(!showTags)}
          >
            {tags.length === 0 ? 'Add tags' : tags.map((tag) => `${tag.key}=${tag.value}`).join(', ')}
          </button>
        </td>
        <td>
          <div className="row-actions">
            {deleted ? (
              <button type="button" onClick={() => change.mutate({ kind: 'restore', experimentId: id })}>
                Restore
              </button>
            ) : (
              <>
                <button
                  type="button"
                  aria-label={`Rename ${experiment.name}`}
                  onClick={() => {
                    setName(experiment.name);
                    setRenaming(true);
                  }}
                >
                  Rename
                </button>
                <button
                  type="button"
                  aria-label={`Delete ${experiment.name}`}
                  onClick={() => setConfirming(true)}
                >
                  Delete
                </button>
              </>
            )}
            <ConfirmDialog
              open={confirming}
              title={`Delete experiment “${experiment.name}”?`}
              confirmLabel="Delete"
              onCancel={() => setConfirming(false)}
              onConfirm={() => {
                setConfirming(false);
                change.mutate({ kind: 'delete', experimentId: id });
              }}
            >
              <p>
                Its runs are deleted with it. You can restore both from the “Deleted” view until an
                administrator runs <code>keel gc</code>.
              </p>
            </ConfirmDialog>
          </div>
        </td>
      </tr>
      {showTags && (
        <tr id={tagsId} className="details-row">
          <td />
          <td colSpan={5}>
            <TagEditor
              label={`Tags of ${experiment.name}`}
              tags={experiment.tags}
              busy={change.isPending}
              onSet={(key, value) => change.mutate({ kind: 'set-tag', experimentId: id, key, value })}
              onDelete={(key) => change.mutate({ kind: 'delete-tag', experimentId: id, key })}
            />
          </td>
        </tr>
      )}
    </Fragment>
  );
}
