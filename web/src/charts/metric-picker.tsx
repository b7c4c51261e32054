import { useState } from 'react';

/** How many matching keys the picker lists at once; typing narrows the rest. */
const listedKeys = 50;

export interface MetricPickerProps {
  legend: string;
  metricKeys: readonly string[];
  selected: readonly string[];
  onChange(selected: string[]): void;
  /** Show the search box only past this many keys (0: always). */
  searchFrom?: number;
}

/** A searchable checkbox list of metric keys, shared by the run page's and the compare view's charts. */
export function MetricPicker({ legend, metricKeys, selected, onChange, searchFrom = 0 }: MetricPickerProps) {
  const [find, setFind] = useState('');
  const needle = find.trim().toLowerCase();
  const matching = metricKeys.filter((key) => key.toLowerCase().includes(needle));
  const toggle = (key: string, on: boolean) =>
    onChange(on ? [...selected, key] : selected.filter((item) => item !== key));
  return (
    <fieldset className="chart-metrics">
      <legend>{legend}</legend>
      {metricKeys.length > searchFrom && (
        <input
          type="search"
          aria-label="Find a metric to chart"
          placeholder="Find a metric"
          value={find}
          onChange={(event) => setFind(event.target.value)}
        />
      )}
      <ul>
        {matching.slice(0, listedKeys).map((key) => (
          <li key={key}>
            <label>
              <input
                type="checkbox"
                checked={selected.includes(key)}
                onChange={(event) => toggle(key, event.target.checked)}
              />{' '}
              {key}
            </label>
          </li>
        ))}
      </ul>
      {matching.length > listedKeys && (
        <p className="muted">{matching.length - listedKeys} more; type to narrow the list.</p>
      )}
      {matching.length === 0 && <p className="muted">No metric matches.</p>}
    </fieldset>
  );
}
