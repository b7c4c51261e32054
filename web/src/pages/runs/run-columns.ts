import type { RunRow } from '../../data/run-rows.js';

export type { RunRow };

export type ColumnKind = 'attribute' | 'metric' | 'param' | 'tag';

/**
 * A column of the runs table. Its id is MLflow's name for what it shows (`metrics.loss`,
 * `params.lr`, `tags.team`, `attributes.start_time`): the URL, the sort and the filter grammar all
 * use the same names.
 */
export interface RunColumn {
  id: string;
  kind: ColumnKind;
  /** The metric, param or tag key; the attribute's name. */
  key: string;
  label: string;
  /** The server can order by it. */
  sortable: boolean;
  numeric: boolean;
  width: number;
  value(row: RunRow): string | number | undefined;
}

const prefixes: Record<Exclude<ColumnKind, 'attribute'>, string> = {
  metric: 'metrics',
  param: 'params',
  tag: 'tags',
};

export function columnId(kind: Exclude<ColumnKind, 'attribute'>, key: string): string {
  return `${prefixes[kind]}.${key}`;
}

/** Room for a heading: its kind label and key, within bounds. */
function widthFor(kind: string, key: string): number {
  return Math.min(280, Math.max(100, (kind.length + key.length) * 8.5 + 44));
}

/** The column for an id of the form `metrics.<key>`, `params.<key>` or `tags.<key>`. */
export function keyColumn(id: string): RunColumn | undefined {
  const dot = id.indexOf('.');
  const prefix = id.slice(0, dot);
  const key = id.slice(dot + 1);
  if (dot < 0 || key === '') return undefined;
  const base = { id, key, label: key, sortable: true };
  if (prefix === 'metrics')
    return {
      ...base,
      kind: 'metric',
      numeric: true,
      width: widthFor('metric', key),
      value: (row) => row.metrics.get(key),
    };
  if (prefix === 'params')
    return {
      ...base,
      kind: 'param',
      numeric: false,
      width: widthFor('param', key),
      value: (row) => row.params.get(key),
    };
  if (prefix === 'tags')
    return {
      ...base,
      kind: 'tag',
      numeric: false,
      width: widthFor('tag', key),
      value: (row) => row.tags.get(key),
    };
  return undefined;
}

const attribute = (
  key: string,
  label: string,
  width: number,
  value: RunColumn['value'],
  options: { sortable?: boolean; numeric?: boolean } = {},
): RunColumn => ({
  id: `attributes.${key}`,
  kind: 'attribute',
  key,
  label,
  width,
  value,
  sortable: options.sortable ?? true,
  numeric: options.numeric ?? false,
});

export const runNameColumn = attribute(
  'run_name',
  'Run',
  220,
  (row) => row.run.info.runName || row.run.info.runId,
);

/** The attribute columns after the pinned run name; the experiment column only for several experiments. */
export function attributeColumns(severalExperiments: boolean): RunColumn[] {
  const columns = [
    attribute('status', 'Status', 100, (row) => row.run.info.status),
    attribute('start_time', 'Started', 200, (row) => row.run.info.startTime),
    attribute(
      'duration',
      'Duration',
      90,
      (row) => (row.run.info.endTime === null ? undefined : row.run.info.endTime - row.run.info.startTime),
      { sortable: false, numeric: true },
    ),
    attribute('user_id', 'User', 110, (row) => row.run.info.userId),
  ];
  if (severalExperiments)
    columns.splice(
      1,
      0,
      attribute('experiment_id', 'Experiment', 110, (row) => row.run.info.experimentId, { sortable: false }),
    );
  return columns;
}

/** An order_by clause for MLflow: keys with anything but letters, digits and `_` go in backquotes. */
export function orderByClause(columnIdValue: string, descending: boolean): string {
  const dot = columnIdValue.indexOf('.');
  const prefix = columnIdValue.slice(0, dot);
  const key = columnIdValue.slice(dot + 1);
  const quoted = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `\`${key.replace(/`/g, '')}\``;
  return `${prefix}.${quoted} ${descending ? 'DESC' : 'ASC'}`;
}

/** The metric, param and tag keys of a set of runs, each sorted. */
export interface RunKeys {
  metrics: string[];
  params: string[];
  tags: string[];
}

const keysOfPage = new WeakMap<
  readonly RunRow[],
  { metrics: Set<string>; params: Set<string>; tags: Set<string> }
>();

/** The keys seen in the loaded pages; each page's keys are computed once (pages do not change). */
export function collectKeys(pages: readonly (readonly RunRow[])[]): RunKeys {
  const metrics = new Set<string>();
  const params = new Set<string>();
  const tags = new Set<string>();
  for (const page of pages) {
    let keys = keysOfPage.get(page);
    if (keys === undefined) {
      keys = { metrics: new Set(), params: new Set(), tags: new Set() };
      for (const row of page) {
        for (const key of row.metrics.keys()) keys.metrics.add(key);
        for (const key of row.params.keys()) keys.params.add(key);
        for (const key of row.tags.keys()) keys.tags.add(key);
      }
      keysOfPage.set(page, keys);
    }
    for (const key of keys.metrics) metrics.add(key);
    for (const key of keys.params) params.add(key);
    for (const key of keys.tags) tags.add(key);
  }
  const sorted = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b));
  return { metrics: sorted(metrics), params: sorted(params), tags: sorted(tags) };
}
