import { keepPreviousData, useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSearchParams } from 'wouter';
import { MetricChart } from '../charts/metric-chart.js';
import { MetricPicker } from '../charts/metric-picker.js';
import { toSeries, xAxisLabels, type Series, type XAxisMode } from '../charts/series.js';
import { ErrorPanel } from '../components/error-panel.js';
import { useKeel, useScopedKey } from '../data/keel-context.js';
import type { Metric, Run } from '../data/keel-sdk.js';
import {
  chartBatches,
  chartPointsPerRun,
  parseCompareChartView,
  writeCompareChartView,
} from './compare-model.js';
import { runColour } from './palette.js';
import '../charts/charts.css';

type RunMetric = Metric & { runId: string };

/** How many metric keys the chooser lists at once (the search narrows them). */

/**
 * Overlaid metric histories of the compared runs: one chart per chosen metric, one line per run (in
 * the run's compare colour), by step, wall time or time since each run's start, with log scale and
 * smoothing. The view lives in the URL (`charts`, `cx`, `clog`, `csmooth`).
 */
export function CompareCharts(props: {
  runs: Run[];
  names: readonly string[];
  metricKeys: readonly string[];
}) {
  const { runs, names, metricKeys } = props;
  const [search, setSearch] = useSearchParams();
  const view = parseCompareChartView(search);
  const selected = useMemo(
    () => view.metrics.filter((key) => metricKeys.includes(key)),
    [view.metrics.join(','), metricKeys],
  );
  const update = (change: Parameters<typeof writeCompareChartView>[1]) =>
    setSearch((previous) => writeCompareChartView(previous, change), {
      replace: Object.keys(change).every((key) => key === 'smooth'),
    });

  const runIds = useMemo(() => runs.map((run) => run.info.runId), [runs]);
  const perRun = chartPointsPerRun(runIds.length, selected.length);
  const { client } = useKeel();
  const scoped = useScopedKey();
  const results = useQueries({
    queries: selected.map((key) => ({
      queryKey: scoped('compare-metric-history', runIds, key, perRun),
      queryFn: async (): Promise<RunMetric[]> => {
        const answers = await Promise.all(
          chartBatches(runIds).map((batch) =>
            client.runs.getMetricHistorySampled({ runIds: batch, key, maxResults: perRun }),
          ),
        );
        return answers.flat();
      },
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    })),
  });

  const dataKey = results.map((result) => result.dataUpdatedAt).join(',');
  const charts = useMemo(
    () =>
      selected.map((key, index) => {
        const byRun = new Map<string, RunMetric[]>();
        for (const point of results[index]?.data ?? []) {
          const list = byRun.get(point.runId);
          if (list) list.push(point);
          else byRun.set(point.runId, [point]);
        }
        const series: Series[] = [];
        const colours: string[] = [];
        runs.forEach((run, runIndex) => {
          const points = byRun.get(run.info.runId);
          if (!points || points.length === 0) return;
          const first = points.reduce((min, point) => Math.min(min, point.timestamp), Infinity);
          const start = run.info.startTime > 0 ? run.info.startTime : first;
          series.push(toSeries(names[runIndex] ?? run.info.runId, points, view.x, start, view.log));
          colours.push(runColour(runIndex));
        });
        return { key, series, colours };
      }),
    // `results` is a new array each render; `dataKey` names the answers it holds.
    [selected, dataKey, runs, names, view.x, view.log],
  );

  if (metricKeys.length === 0) return <p className="muted">The compared runs have no metrics to chart.</p>;
  const loading = results.some((result) => result.isFetching);
  const error = results.find((result) => result.isError)?.error;

  return (
    <div className="chart-layout compare-charts">
      <MetricPicker
        legend="Metrics to chart"
        metricKeys={metricKeys}
        selected={selected}
        onChange={(metrics) => update({ metrics })}
      />
      <div className="chart-main">
        <div className="chart-controls" role="group" aria-label="Chart options">
          <label>
            Chart by{' '}
            <select value={view.x} onChange={(event) => update({ x: event.target.value as XAxisMode })}>
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
              value={view.smooth}
              onChange={(event) => update({ smooth: Number(event.target.value) })}
              aria-valuetext={view.smooth === 0 ? 'off' : view.smooth.toFixed(2)}
            />{' '}
            <output>{view.smooth === 0 ? 'off' : view.smooth.toFixed(2)}</output>
          </label>
          <label>
            <input
              type="checkbox"
              checked={view.log}
              onChange={(event) => update({ log: event.target.checked })}
            />{' '}
            Log scale
          </label>
          {loading && <span className="muted">Loading…</span>}
        </div>
        {error !== undefined && <ErrorPanel error={error} context="The metric histories could not be read" />}
        {selected.length === 0 ? (
          <p className="muted">Choose a metric to draw one line per run.</p>
        ) : (
          charts.map((chart) => (
            <MetricChart
              key={chart.key}
              title={chart.key}
              series={chart.series}
              colourIndex={chart.colours.map((_, index) => index)}
              colours={chart.colours}
              mode={view.x}
              logScale={view.log}
              smoothing={view.smooth}
              onSelectX={() => undefined}
              onKey={() => false}
            />
          ))
        )}
      </div>
    </div>
  );
}
