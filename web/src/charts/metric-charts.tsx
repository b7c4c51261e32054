import { useId, useMemo } from 'react';
import { ErrorPanel } from '../components/error-panel.js';
import { useChartView } from './chart-view-state.js';
import { MetricChart } from './metric-chart.js';
import { MetricPicker } from './metric-picker.js';
import {
  panRange,
  scaleRange,
  stepsBetween,
  toSeries,
  xAxisLabels,
  type Series,
  type StepRange,
  type XAxisMode,
} from './series.js';
import { chartPoints, useMetricHistories } from './use-metric-history.js';
import './charts.css';

/** How many metrics the chooser lists at once (a run may have thousands; the search narrows them). */

const numberText = new Intl.NumberFormat();

/** A number per answer (array) seen, so a memo can tell a new answer from the same one. */
const identities = new WeakMap<object, number>();
let nextIdentity = 1;
function identity(value: object | undefined): number {
  if (value === undefined) return 0;
  let known = identities.get(value);
  if (known === undefined) {
    known = nextIdentity++;
    identities.set(value, known);
  }
  return known;
}

/**
 * The run page's metric charts: choose metrics, one chart each or all on one chart, by step, wall
 * time or time since the start; EMA smoothing, log scale, zoom (drag, buttons or keys) and pan. The
 * server samples each history to at most `chartPoints` points; a zoom reads the chosen steps again.
 */
export function MetricCharts(props: {
  runId: string;
  metricKeys: readonly string[];
  startTime: number;
  /** The run is running: its histories are read again every few seconds. */
  live?: boolean;
}) {
  const { runId, metricKeys } = props;
  const id = useId();
  const [view, setView] = useChartView();
  const { x: mode, log: logScale, smooth: smoothing, combine, steps: range } = view;
  const selected = useMemo(
    () => (view.metrics ?? metricKeys.slice(0, 1)).filter((key) => metricKeys.includes(key)),
    // The URL's list as text: a new array each render means the same choice.
    [view.metrics?.join(','), metricKeys],
  );
  const setSelected = (keys: string[]) => setView({ metrics: keys });
  const setMode = (x: XAxisMode) => setView({ x });
  const setLogScale = (log: boolean) => setView({ log });
  const setSmoothing = (smooth: number) => setView({ smooth });
  const setCombine = (on: boolean) => setView({ combine: on });
  const setRange = (steps: StepRange | null) => setView({ steps });

  const whole = useMetricHistories(runId, selected, null, props.live);
  const zoomed = useMetricHistories(runId, range ? selected : [], range);
  const results = range ? zoomed : whole;

  /** The steps of the whole history (every selected metric): where pan and zoom stop. */
  const bounds = useMemo<StepRange | null>(() => {
    let start = Infinity;
    let end = -Infinity;
    for (const result of whole) {
      for (const point of result.data ?? []) {
        if (point.step < start) start = point.step;
        if (point.step > end) end = point.step;
      }
    }
    return start === Infinity ? null : { start, end };
  }, [whole]);

  const startMs = props.startTime > 0 ? props.startTime : 0;
  const dataKey = [...results, ...whole].map((result) => identity(result.data)).join(',');
  const seriesList = useMemo<Series[]>(
    () =>
      selected.map((key, index) => {
        // Until a zoomed range arrives, the whole history's points inside it are drawn.
        const points =
          results[index]?.data ??
          (range
            ? (whole[index]?.data ?? []).filter((p) => p.step >= range.start && p.step <= range.end)
            : []);
        const first = points.reduce((min, point) => Math.min(min, point.timestamp), Infinity);
        return toSeries(key, points, mode, startMs || (Number.isFinite(first) ? first : 0), logScale);
      }),
    // `results` is a new array each render; `dataKey` names the answers it holds.
    [selected, mode, logScale, startMs, dataKey, range?.start, range?.end],
  );
  const singles = useMemo(() => seriesList.map((item) => [item]), [seriesList]);

  const zoomTo = (next: StepRange | null) => {
    if (next === null || bounds === null) return setRange(null);
    const clamped = { start: Math.max(bounds.start, next.start), end: Math.min(bounds.end, next.end) };
    if (clamped.start <= bounds.start && clamped.end >= bounds.end) return setRange(null);
    if (clamped.end <= clamped.start) clamped.end = clamped.start + 1;
    setRange(clamped);
  };
  const current = range ?? bounds;
  const zoomIn = () => current && bounds && zoomTo(scaleRange(current, 0.5, bounds));
  const zoomOut = () => current && bounds && zoomTo(scaleRange(current, 2, bounds));
  const pan = (fraction: number) => range && bounds && zoomTo(panRange(range, fraction, bounds));
  const onKey = (key: string): boolean => {
    if (key === 'ArrowLeft') pan(-0.25);
    else if (key === 'ArrowRight') pan(0.25);
    else if (key === '+' || key === '=') zoomIn();
    else if (key === '-') zoomOut();
    else if (key === '0' || key === 'Escape') zoomTo(null);
    else return false;
    return true;
  };
  const selectX = (chartSeries: readonly Series[]) => (from: number, to: number) => {
    const steps = stepsBetween(chartSeries, from, to);
    if (steps) zoomTo(steps);
  };

  if (metricKeys.length === 0) return null;
  const loading = results.some((result) => result.isFetching);
  const error = results.find((result) => result.isError)?.error;
  const drawn = Math.max(0, ...seriesList.map((item) => item.x.length));
  const colourIndex = selected.map((key) => metricKeys.indexOf(key));
  // Fewer points than steps in view (a history logs each step at most once): the server sampled it.
  const sampled =
    current !== null && drawn > 0 && drawn < current.end - current.start + 1 && drawn >= chartPoints - 2;

  return (
    <section className="metric-charts" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Charts</h2>
      <div className="chart-layout">
        <MetricPicker
          legend="Metrics to draw"
          metricKeys={metricKeys}
          selected={selected}
          onChange={setSelected}
          searchFrom={8}
        />
        <div className="chart-main">
          <div className="chart-controls" role="group" aria-label="Chart options">
            <label>
              X axis{' '}
              <select value={mode} onChange={(event) => setMode(event.target.value as XAxisMode)}>
                {(Object.keys(xAxisLabels) as XAxisMode[]).map((value) => (
                  <option key={value} value={value}>
                    {xAxisLabels[value]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Smoothing{' '}
              <input
                type="range"
                min={0}
                max={0.99}
                step={0.01}
                value={smoothing}
                onChange={(event) => setSmoothing(Number(event.target.value))}
                aria-valuetext={smoothing === 0 ? 'off' : smoothing.toFixed(2)}
              />{' '}
              <output>{smoothing === 0 ? 'off' : smoothing.toFixed(2)}</output>
            </label>
            <label>
              <input
                type="checkbox"
                checked={logScale}
                onChange={(event) => setLogScale(event.target.checked)}
              />{' '}
              Log scale
            </label>
            <label>
              <input
                type="checkbox"
                checked={combine}
                onChange={(event) => setCombine(event.target.checked)}
              />{' '}
              One chart for all
            </label>
            <span className="chart-zoom" role="group" aria-label="Zoom and pan">
              <button type="button" onClick={zoomIn} disabled={current === null}>
                Zoom in
              </button>
              <button type="button" onClick={zoomOut} disabled={range === null}>
                Zoom out
              </button>
              <button
                type="button"
                onClick={() => pan(-0.25)}
                disabled={range === null}
                aria-label="Pan left"
              >
                ←
              </button>
              <button
                type="button"
                onClick={() => pan(0.25)}
                disabled={range === null}
                aria-label="Pan right"
              >
                →
              </button>
              <button type="button" onClick={() => zoomTo(null)} disabled={range === null}>
                Reset zoom
              </button>
            </span>
          </div>
          <p role="status" className="muted chart-status">
            {range
              ? `Steps ${numberText.format(range.start)}–${numberText.format(range.end)}`
              : bounds
                ? `All steps (${numberText.format(bounds.start)}–${numberText.format(bounds.end)})`
                : 'No points yet'}
            {drawn > 0 &&
              ` · ${numberText.format(drawn)} points drawn${sampled ? ' (sampled by the server)' : ''}`}
            {loading && ' · loading…'}
          </p>
          {error !== undefined && <ErrorPanel error={error} context="The metric history could not be read" />}
          {selected.length === 0 ? (
            <p className="muted">Choose a metric to draw it.</p>
          ) : combine ? (
            <MetricChart
              title={selected.join(', ')}
              series={seriesList}
              colourIndex={colourIndex}
              mode={mode}
              logScale={logScale}
              smoothing={smoothing}
              onSelectX={selectX(seriesList)}
              onKey={onKey}
            />
          ) : (
            seriesList.map((item, index) => (
              <MetricChart
                key={item.key}
                title={item.key}
                series={singles[index]!}
                colourIndex={[colourIndex[index] ?? index]}
                mode={mode}
                logScale={logScale}
                smoothing={smoothing}
                onSelectX={selectX([item])}
                onKey={onKey}
              />
            ))
          )}
        </div>
      </div>
    </section>
  );
}
