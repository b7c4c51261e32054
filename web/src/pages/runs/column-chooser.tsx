import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useMemo, useRef, useState } from 'react';
import { columnId, type RunKeys } from './run-columns.js';

interface Choice {
  id: string;
  kind: 'metric' | 'param' | 'tag';
  key: string;
}

const kindLabels = { metric: 'metric', param: 'param', tag: 'tag' } as const;

/**
 * Which metric, param and tag columns the table shows. Thousands of keys stay quick: the list is
 * searchable and virtualised. `selected` undefined means the default (every metric and param).
 */
export function ColumnChooser(props: {
  keys: RunKeys;
  selected: readonly string[];
  isDefault: boolean;
  onChange: (columns: string[] | undefined) => void;
}) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const panelId = useId();
  const searchId = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const selected = useMemo(() => new Set(props.selected), [props.selected]);

  const choices = useMemo(() => {
    const all: Choice[] = [
      ...props.keys.metrics.map((key) => ({ id: columnId('metric', key), kind: 'metric' as const, key })),
      ...props.keys.params.map((key) => ({ id: columnId('param', key), kind: 'param' as const, key })),
      ...props.keys.tags.map((key) => ({ id: columnId('tag', key), kind: 'tag' as const, key })),
    ];
    // Chosen columns that no loaded run has (yet) stay listed, so they can be removed.
    for (const id of props.selected) {
      if (all.some((choice) => choice.id === id)) continue;
      const [prefix, ...rest] = id.split('.');
      const kind = prefix === 'metrics' ? 'metric' : prefix === 'params' ? 'param' : 'tag';
      all.push({ id, kind, key: rest.join('.') });
    }
    const text = search.trim().toLowerCase();
    return text === '' ? all : all.filter((choice) => choice.key.toLowerCase().includes(text));
  }, [props.keys, props.selected, search]);

  const virtualizer = useVirtualizer({
    count: choices.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => 30,
    overscan: 10,
  });

  const toggle = (id: string) => {
    const next = props.selected.filter((item) => item !== id);
    if (!selected.has(id)) next.push(id);
    props.onChange(next);
  };
  const showMatching = () => {
    const next = [...props.selected];
    for (const choice of choices) if (!selected.has(choice.id)) next.push(choice.id);
    props.onChange(next);
  };
  const hideMatching = () => {
    const matching = new Set(choices.map((choice) => choice.id));
    props.onChange(props.selected.filter((id) => !matching.has(id)));
  };

  return (
    <div className="column-chooser">
      <button type="button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        Columns ({props.selected.length})
      </button>
      {open && (
        <div
          id={panelId}
          className="popover"
          role="group"
          aria-label="Choose columns"
          onKeyDown={(event) => {
            if (event.key === 'Escape') setOpen(false);
          }}
        >
          <label htmlFor={searchId}>Find a metric, param or tag</label>
          <input
            id={searchId}
            type="search"
            value={search}
            autoFocus
            placeholder="key contains…"
            onChange={(event) => setSearch(event.target.value)}
          />
          <p className="muted" role="status">
            {choices.length} {search ? 'matching' : ''} keys, {props.selected.length} shown
            {props.isDefault ? ' (default: every metric and param)' : ''}
          </p>
          <div className="chooser-actions">
            <button type="button" onClick={showMatching}>
              Show {search ? 'matching' : 'all'}
            </button>
            <button type="button" onClick={hideMatching}>
              Hide {search ? 'matching' : 'all'}
            </button>
            <button type="button" onClick={() => props.onChange(undefined)} disabled={props.isDefault}>
              Default
            </button>
          </div>
          <div ref={listRef} className="chooser-list">
            <ul style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((virtual) => {
                const choice = choices[virtual.index]!;
                return (
                  <li
                    key={choice.id}
                    style={{
                      position: 'absolute',
                      top: 0,
                      left: 0,
                      right: 0,
                      transform: `translateY(${virtual.start}px)`,
                    }}
                  >
                    <label className="choice">
                      <input
                        type="checkbox"
                        checked={selected.has(choice.id)}
                        onChange={() => toggle(choice.id)}
                      />
                      <span className={`column-kind kind-${choice.kind}`}>{kindLabels[choice.kind]}</span>{' '}
                      {choice.key}
                    </label>
                  </li>
                );
              })}
            </ul>
          </div>
          <button type="button" onClick={() => setOpen(false)}>
            Done
          </button>
        </div>
      )}
    </div>
  );
}
