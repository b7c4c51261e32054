import type { Metric } from '../data/keel-sdk.js';

/** What the chart's x axis shows: the step, the wall-clock time, or the time since the run started. */
export type XAxisMode = 'step' | 'wall' | 'relative';

export const xAxisLabels: Record<XAxisMode, string> = {
  step: 'Step',
  wall: 'Wall time',
  relative: 'Relative time',
};

/** A step range (both ends included), as `get-history-bulk-interval` takes it. */
export interface StepRange {
  start: number;
  end: number;
}

/** One metric's points, ordered by x, ready to draw: x values, y values, and each point's step. */
export interface Series {
  key: string;
  x: number[];
  y: (number | null)[];
  steps: number[];
}

/** The x value of a point: step, epoch seconds (uPlot's time unit) or seconds since `startMs`. */
export function xOf(metric: Metric, mode: XAxisMode, startMs: number): number {
  if (mode === 'step') return metric.step;
  if (mode === 'wall') return metric.timestamp / 1000;
  return (metric.timestamp - startMs) / 1000;
}

/**
 * A metric's points as a series: sorted by x, with the last value kept where several points share an
 * x, and y values a log scale cannot draw (zero, negative) or nobody can (NaN, ±∞) left as gaps.
 */
export function toSeries(
  key: string,
  points: readonly Metric[],
  mode: XAxisMode,
  startMs: number,
  logScale: boolean,
): Series {
  const sorted = points
    .map((metric) => ({ x: xOf(metric, mode, startMs), metric }))
    .sort((a, b) => a.x - b.x || a.metric.step - b.metric.step);
  const series: Series = { key, x: [], y: [], steps: [] };
  for (const { x, metric } of sorted) {
    const value = metric.value;
    const drawable = Number.isFinite(value) && (!logScale || value > 0);
    const last = series.x.length - 1;
    if (last >= 0 && series.x[last] === x) {
      series.y[last] = drawable ? value : null;
      series.steps[last] = metric.step;
      continue;
    }
    series.x.push(x);
    series.y.push(drawable ? value : null);
    series.steps.push(metric.step);
  }
  return series;
}

/**
 * Exponential moving average with TensorBoard's debiasing (the first points are not pulled toward
 * zero). `weight` 0 leaves the values as they are; gaps stay gaps and do not reset the average.
 */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return [...values];
  let last = 0;
  let count = 0;
  return values.map((value) => {
    if (value === null) return null;
    last = last * weight + (1 - weight) * value;
    count += 1;
    const debias = 1 - weight ** count;
    return last / debias;
  });
}

/**
 * Several series on one shared x axis (what uPlot draws): the union of their x values, each series
 * with `null` where it has no point (the line spans those gaps).
 */
export function alignSeries(series: readonly Series[]): [number[], ...(number | null)[][]] {
  const xs = [...new Set(series.flatMap((item) => item.x))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = series.map((item) => {
    const column: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    item.x.forEach((x, i) => {
      column[index.get(x)!] = item.y[i] ?? null;
    });
    return column;
  });
  return [xs, ...columns];
}

/**
 * The steps drawn between two x values (a dragged selection), over every series: the range to read
 * again at full detail. `null` when no point falls inside.
 */
export function stepsBetween(series: readonly Series[], from: number, to: number): StepRange | null {
  const low = Math.min(from, to);
  const high = Math.max(from, to);
  let start = Infinity;
  let end = -Infinity;
  for (const item of series) {
    item.x.forEach((x, i) => {
      if (x < low || x > high) return;
      const step = item.steps[i]!;
      if (step < start) start = step;
      if (step > end) end = step;
    });
  }
  if (start === Infinity) return null;
  return { start: Math.floor(start), end: Math.ceil(end) };
}

/** The range moved by a fraction of its width (negative: left), kept within `bounds`. */
export function panRange(range: StepRange, fraction: number, bounds: StepRange): StepRange {
  const width = range.end - range.start;
  let shift = Math.round(width * fraction) || Math.sign(fraction);
  if (range.start + shift < bounds.start) shift = bounds.start - range.start;
  if (range.end + shift > bounds.end) shift = bounds.end - range.end;
  return { start: range.start + shift, end: range.end + shift };
}

/** The range scaled around its middle (`factor` < 1 zooms in), kept within `bounds`, at least 2 steps. */
export function scaleRange(range: StepRange, factor: number, bounds: StepRange): StepRange {
  const middle = (range.start + range.end) / 2;
  const half = Math.max(1, ((range.end - range.start) * factor) / 2);
  return {
    start: Math.max(bounds.start, Math.floor(middle - half)),
    end: Math.min(bounds.end, Math.ceil(middle + half)),
  };
}

/** A small line's SVG path over `width`×`height` (the sparkline), `''` with fewer than two values. */
export function sparkPath(values: readonly number[], width: number, height: number): string {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length < 2) return '';
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const stepX = width / (finite.length - 1);
  return finite
    .map((value, i) => {
      const x = (i * stepX).toFixed(1);
      const y = (height - 1 - ((value - min) / span) * (height - 2)).toFixed(1);
      return `${i === 0 ? 'M' : 'L'}${x} ${y}`;
    })
    .join(' ');
}
