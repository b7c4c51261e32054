import { useId, useState, type FormEvent } from 'react';
import type { Tag } from '../data/keel-sdk.js';

/**
 * Tags as a list with a remove button each and a form to add or change one. System tags
 * (`mlflow.*`) are shown but not offered for removal.
 */
export function TagEditor(props: {
  tags: readonly Tag[];
  onSet: (key: string, value: string) => void;
  onDelete: (key: string) => void;
  busy?: boolean;
  label: string;
}) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const keyId = useId();
  const valueId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim() === '') return;
    props.onSet(key.trim(), value);
    setKey('');
    setValue('');
  };
  const visible = props.tags.filter((tag) => !tag.key.startsWith('mlflow.'));
  return (
    <div className="tag-editor">
      {visible.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <ul className="tag-list" aria-label={props.label}>
          {visible.map((tag) => (
            <li key={tag.key} className="tag">
              <span className="tag-key">{tag.key}</span>
              {tag.value !== '' && <span className="tag-value">{tag.value}</span>}
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove tag ${tag.key}`}
                disabled={props.busy}
                onClick={() => props.onDelete(tag.key)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor={keyId}>Tag</label>
        <input id={keyId} value={key} onChange={(event) => setKey(event.target.value)} placeholder="key" />
        <label htmlFor={valueId}>Value</label>
        <input
          id={valueId}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          placeholder="value"
        />
        <button type="submit" disabled={props.busy || key.trim() === ''}>
          Set tag
        </button>
      </form>
    </div>
  );
}
