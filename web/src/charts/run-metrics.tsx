import { formatNumber } from '../components/format.js';
import type { Metric, Run } from '../data/keel-sdk.js';
import { VirtualKeyTable, type KeyTableColumn } from '../components/virtual-key-table.js';
import { MetricCharts } from './metric-charts.js';
import { Sparkline } from './sparkline.js';

const metricKey = (metric: Metric) => metric.key;

/**
 * The run page's Metrics tab: the charts, then every metric's latest value with a sparkline. The
 * list is virtualised and searchable, and a sparkline is read only for a row that is drawn and on
 * screen, so a run with thousands of metrics asks for the few that are seen.
 */
export function RunMetrics(props: { run: Run }) {
  const { run } = props;
  const metrics = run.data.metrics;
  const columns: KeyTableColumn<Metric>[] = [
    {
      heading: 'Latest value',
      width: 'minmax(6rem, 1fr)',
      numeric: true,
      cell: (m) => formatNumber(m.value),
    },
    { heading: 'Step', width: '5rem', numeric: true, cell: (m) => m.step },
    {
      heading: 'History',
      width: '136px',
      cell: (m) => <Sparkline runId={run.info.runId} metricKey={m.key} />,
    },
  ];
  return (
    <>
      <MetricCharts
        runId={run.info.runId}
        metricKeys={metrics.map(metricKey).sort((a, b) => a.localeCompare(b))}
        startTime={run.info.startTime}
        live={run.info.status === 'RUNNING'}
      />
      <VirtualKeyTable
        caption="Metrics (latest value)"
        rows={metrics}
        keyOf={metricKey}
        keyHeading="Metric"
        columns={columns}
        empty="This run logged no metrics."
        searchLabel="Search metrics"
        searchFrom={0}
        // A sparkline (24 px) with the cell's padding and the row's border.
        rowHeight={37}
      />
    </>
  );
}
