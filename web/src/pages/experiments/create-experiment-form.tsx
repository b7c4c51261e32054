import { useId, useState, type FormEvent } from 'react';
import type { ExperimentMutation } from '../../data/experiments.js';

/** "New experiment": a button that opens a one-field form; on success, the new experiment's runs open. */
export function CreateExperimentForm(props: { change: ExperimentMutation; onCreated: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const nameId = useId();
  if (!open) {
    return (
      <button type="button" className="primary" onClick={() => setOpen(true)}>
        New experiment
      </button>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.change.mutate(
      { kind: 'create', name: name.trim() },
      {
        onSuccess: (experimentId) => {
          setOpen(false);
          setName('');
          if (experimentId) props.onCreated(experimentId);
        },
      },
    );
  };
  return (
    <form className="inline-form create-form" onSubmit={submit} aria-label="New experiment">
      <label htmlFor={nameId}>Name</label>
      <input
        id={nameId}
        value={name}
        required
        autoFocus
        maxLength={500}
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="primary" disabled={props.change.isPending || name.trim() === ''}>
        Create
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
