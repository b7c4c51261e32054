import { useSearchParams } from 'wouter';
import type { StepRange, XAxisMode } from './series.js';

/** What the charts show, kept in the run page's URL so a chart view can be shared and reopened. */
export interface ChartView {
  /** Metrics drawn; `null` when the URL names none (the first metric is drawn). */
  metrics: string[] | null;
  x: XAxisMode;
  log: boolean;
  /** EMA weight, 0 to 0.99. */
  smooth: number;
  /** All metrics on one chart. */
  combine: boolean;
  steps: StepRange | null;
}

const modes: readonly XAxisMode[] = ['step', 'wall', 'relative'];

/** Reads the chart view from the query string; anything malformed reads as the default. */
export function parseChartView(search: URLSearchParams): ChartView {
  const metrics = search.get('metrics');
  const x = search.get('x') as XAxisMode | null;
  const smooth = Number(search.get('smooth') ?? 0);
  const steps = /^(\d+)-(\d+)$/.exec(search.get('steps') ?? '');
  const start = Number(steps?.[1]);
  const end = Number(steps?.[2]);
  return {
    metrics: metrics === null ? null : metrics.split(',').filter((key) => key !== ''),
    x: x !== null && modes.includes(x) ? x : 'step',
    log: search.get('log') === '1',
    smooth: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0,
    combine: search.get('one') === '1',
    steps: steps && start < end ? { start, end } : null,
  };
}

/** Writes the parts of a chart view that differ from the defaults into `search` (a copy). */
export function writeChartView(search: URLSearchParams, change: Partial<ChartView>): URLSearchParams {
  const next = new URLSearchParams(search);
  const set = (name: string, value: string | null) =>
    value === null ? next.delete(name) : next.set(name, value);
  if ('metrics' in change) set('metrics', change.metrics ? change.metrics.join(',') : null);
  if ('x' in change) set('x', change.x && change.x !== 'step' ? change.x : null);
  if ('log' in change) set('log', change.log ? '1' : null);
  if ('smooth' in change) set('smooth', change.smooth ? change.smooth.toFixed(2) : null);
  if ('combine' in change) set('one', change.combine ? '1' : null);
  if ('steps' in change) set('steps', change.steps ? `${change.steps.start}-${change.steps.end}` : null);
  return next;
}

/**
 * The chart view of the page's URL and a setter: each change is a history entry (back undoes a
 * zoom), except smoothing, which a slider changes many times a second.
 */
export function useChartView(): [ChartView, (change: Partial<ChartView>) => void] {
  const [search, setSearch] = useSearchParams();
  const view = parseChartView(search);
  const update = (change: Partial<ChartView>) =>
    setSearch((previous) => writeChartView(previous, change), {
      replace: Object.keys(change).every((key) => key === 'smooth'),
    });
  return [view, update];
}
