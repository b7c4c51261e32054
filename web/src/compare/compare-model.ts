import type { Run } from '../data/keel-sdk.js';

/** Most runs the compare view takes (the URL holds their ids). */
export const maxCompareRuns = 200;

/** `"a,b,,a"` from the `runs` query parameter as run ids, without empties or duplicates. */
export function parseRunIds(param: string | null | undefined): string[] {
  const ids = (param ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return [...new Set(ids)];
}

export type DiffKind = 'param' | 'metric';

/** One key of the diff: its value in each run (in the runs' order; undefined where not logged). */
export interface DiffRow {
  kind: DiffKind;
  key: string;
  /** `params.lr` / `metrics.loss`: the same names as the runs table and the filter grammar. */
  id: string;
  values: (string | number | undefined)[];
  /** True when every run has the key with the same value. */
  equal: boolean;
}

/** Params then metrics, each sorted by key, with which differ across the runs. */
export function diffRows(runs: readonly Run[]): DiffRow[] {
  const build = (kind: DiffKind, valueMaps: Map<string, string | number>[]): DiffRow[] => {
    const keys = new Set<string>();
    for (const map of valueMaps) for (const key of map.keys()) keys.add(key);
    return [...keys]
      .sort((a, b) => a.localeCompare(b))
      .map((key) => {
        const values = valueMaps.map((map) => map.get(key));
        const first = values[0];
        const equal = values.every((value) => value !== undefined && Object.is(value, first));
        return { kind, key, id: `${kind}s.${key}`, values, equal };
      });
  };
  return [
    ...build(
      'param',
      runs.map((run) => new Map(run.data.params.map((param) => [param.key, param.value]))),
    ),
    ...build(
      'metric',
      runs.map((run) => new Map(run.data.metrics.map((metric) => [metric.key, metric.value]))),
    ),
  ];
}

/** A param or metric of a run as a number (`undefined` when absent or not numeric). */
export function numericValue(run: Run, id: string): number | undefined {
  if (id.startsWith('metrics.')) {
    const key = id.slice('metrics.'.length);
    const value = run.data.metrics.find((metric) => metric.key === key)?.value;
    return value !== undefined && Number.isFinite(value) ? value : undefined;
  }
  if (id.startsWith('params.')) {
    const key = id.slice('params.'.length);
    const text = run.data.params.find((param) => param.key === key)?.value;
    if (text === undefined || text.trim() === '') return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

/** A param or metric of a run as text (params as logged; metrics as numbers). */
export function rawValue(run: Run, id: string): string | number | undefined {
  if (id.startsWith('metrics.')) {
    const key = id.slice('metrics.'.length);
    return run.data.metrics.find((metric) => metric.key === key)?.value;
  }
  const key = id.slice('params.'.length);
  return run.data.params.find((param) => param.key === key)?.value;
}

/**
 * An axis over values: linear, or log when asked and every value is positive (otherwise log falls
 * back to linear and says so). Categorical when the values are not numbers (params like `tree`).
 */
export interface Axis {
  kind: 'linear' | 'log' | 'category';
  /** 0..1 along the axis, or undefined for a value the axis cannot place. */
  position(value: string | number | undefined): number | undefined;
  ticks: { at: number; label: string }[];
  /** Why log was not used, when it was asked for. */
  note?: string;
}

export function makeAxis(values: readonly (string | number | undefined)[], log: boolean): Axis {
  const present = values.filter((value): value is string | number => value !== undefined);
  const numbers = present.map((value) => (typeof value === 'number' ? value : Number(value)));
  const numeric = present.length > 0 && numbers.every((value) => Number.isFinite(value));
  if (!numeric) {
    const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b));
    const step = categories.length <= 1 ? 0 : 1 / (categories.length - 1);
    const at = new Map(
      categories.map((category, index) => [category, categories.length <= 1 ? 0.5 : index * step]),
    );
    return {
      kind: 'category',
      position: (value) => (value === undefined ? undefined : at.get(String(value))),
      ticks: categories.slice(0, 30).map((category) => ({ at: at.get(category)!, label: category })),
    };
  }
  const useLog = log && numbers.every((value) => value > 0);
  const transform = useLog ? Math.log10 : (value: number) => value;
  const mapped = numbers.map(transform);
  let min = Math.min(...mapped);
  let max = Math.max(...mapped);
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const position = (value: string | number | undefined) => {
    if (value === undefined) return undefined;
    const number = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(number) || (useLog && number <= 0)) return undefined;
    return (transform(number) - min) / (max - min);
  };
  const ticks = Array.from({ length: 5 }, (_, index) => {
    const at = index / 4;
    const raw = min + at * (max - min);
    const value = useLog ? 10 ** raw : raw;
    return { at, label: formatTick(value) };
  });
  return {
    kind: useLog ? 'log' : 'linear',
    position,
    ticks,
    note: log && !useLog ? 'Log scale needs values above 0; drawn linear.' : undefined,
  };
}

function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

/** Most runs one `get-history-bulk-interval` call reads. */
export const runsPerHistoryCall = 100;
/** About how many points the compare charts read in all (every run of every chosen metric). */
export const compareChartPoints = 20_000;

/** The run ids in batches of at most `runsPerHistoryCall`, one history call each. */
export function chartBatches(runIds: readonly string[]): string[][] {
  const batches: string[][] = [];
  for (let start = 0; start < runIds.length; start += runsPerHistoryCall) {
    batches.push(runIds.slice(start, start + runsPerHistoryCall));
  }
  return batches;
}

/**
 * Points asked per run and metric (`max_results`), so that all the charts together read about
 * `compareChartPoints` points: at least 10 (a line), at most 2000 (more than a screen can show).
 */
export function chartPointsPerRun(runCount: number, metricCount: number): number {
  const lines = Math.max(1, runCount) * Math.max(1, metricCount);
  return Math.min(2000, Math.max(10, Math.floor(compareChartPoints / lines)));
}

/** The compare charts' view, kept in the URL apart from the run page's chart parameters. */
export interface CompareChartView {
  /** The metric keys charted (`charts`), in the order chosen. */
  metrics: string[];
  /** `cx`: step (the default), wall or relative. */
  x: 'step' | 'wall' | 'relative';
  /** `clog=1`. */
  log: boolean;
  /** `csmooth`: EMA weight, 0 to 0.99. */
  smooth: number;
}

const chartModes: readonly CompareChartView['x'][] = ['step', 'wall', 'relative'];

/** Reads the compare charts' view; anything malformed reads as the default. */
export function parseCompareChartView(search: URLSearchParams): CompareChartView {
  const x = search.get('cx') as CompareChartView['x'] | null;
  const smooth = Number(search.get('csmooth') ?? 0);
  return {
    metrics: [...new Set((search.get('charts') ?? '').split(',').filter((key) => key !== ''))],
    x: x !== null && chartModes.includes(x) ? x : 'step',
    log: search.get('clog') === '1',
    smooth: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0,
  };
}

/** Writes a change of the compare charts' view into a copy of `search`, defaults left out. */
export function writeCompareChartView(
  search: URLSearchParams,
  change: Partial<CompareChartView>,
): URLSearchParams {
  const next = new URLSearchParams(search);
  const set = (name: string, value: string | null) =>
    value === null ? next.delete(name) : next.set(name, value);
  if (change.metrics !== undefined) set('charts', change.metrics.length ? change.metrics.join(',') : null);
  if (change.x !== undefined) set('cx', change.x === 'step' ? null : change.x);
  if (change.log !== undefined) set('clog', change.log ? '1' : null);
  if (change.smooth !== undefined) set('csmooth', change.smooth ? change.smooth.toFixed(2) : null);
  return next;
}
