import { formatNumber } from '../components/format.js';
import type { Run } from '../data/keel-sdk.js';
import { MetricCharts } from './metric-charts.js';
import { Sparkline } from './sparkline.js';

/** The run page's Metrics tab: the charts, then every metric's latest value with a sparkline. */
export function RunMetrics(props: { run: Run }) {
  const { run } = props;
  const metrics = [...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key));
  if (metrics.length === 0) return <p className="muted">This run logged no metrics.</p>;
  return (
    <>
      <MetricCharts
        runId={run.info.runId}
        metricKeys={metrics.map((metric) => metric.key)}
        startTime={run.info.startTime}
        live={run.info.status === 'RUNNING'}
      />
      <table className="kv-table metrics-table">
        <caption>Metrics (latest value)</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Latest value</th>
            <th scope="col">Step</th>
            <th scope="col">History</th>
          </tr>
        </thead>
        <tbody>
          {metrics.map((metric) => (
            <tr key={metric.key}>
              <th scope="row">{metric.key}</th>
              <td>{formatNumber(metric.value)}</td>
              <td>{metric.step}</td>
              <td>
                <Sparkline runId={run.info.runId} metricKey={metric.key} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
