import { useEffect, useId, useState, type FormEvent } from 'react';

/**
 * MLflow's run filter, applied on Enter. The server parses it; its syntax error (which says where
 * and what it expected) is shown right under the input, tied to it for screen readers.
 */
export function FilterInput(props: {
  value: string;
  error: string | undefined;
  onApply: (filter: string) => void;
}) {
  const [draft, setDraft] = useState(props.value);
  const inputId = useId();
  const errorId = useId();
  const helpId = useId();
  useEffect(() => setDraft(props.value), [props.value]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onApply(draft.trim());
  };
  return (
    <form className="filter-form" onSubmit={submit} role="search">
      <label htmlFor={inputId}>Filter runs</label>
      <div className="filter-row">
        <input
          id={inputId}
          className="filter-input"
          value={draft}
          spellCheck={false}
          placeholder="metrics.loss < 0.5 AND params.model = 'tree'"
          aria-invalid={props.error !== undefined}
          aria-describedby={props.error !== undefined ? `${errorId} ${helpId}` : helpId}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit">Apply</button>
        {props.value !== '' && (
          <button
            type="button"
            onClick={() => {
              setDraft('');
              props.onApply('');
            }}
          >
            Clear
          </button>
        )}
      </div>
      {props.error !== undefined && (
        <p id={errorId} className="field-error" role="alert">
          {props.error}
        </p>
      )}
      <p id={helpId} className="hint">
        MLflow&apos;s grammar: <code>metrics.</code>, <code>params.</code>, <code>tags.</code> or{' '}
        <code>attributes.</code> + key, an operator (<code>= != &lt; &gt; LIKE ILIKE IN</code>), a value; join
        clauses with <code>AND</code>. Quote strings: <code>params.model = &apos;tree&apos;</code>.
      </p>
    </form>
  );
}
