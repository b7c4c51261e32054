import type { Command } from 'commander';
import type { Run } from '../../../core/tracking/index.js';
import { action, usageError } from '../cli-context.js';
import type { CliHost } from '../cli-host.js';
import { formatNumber, truncate } from '../output.js';

/** One compared field across the runs; `null` where a run lacks it. */
export interface ComparisonRow {
  key: string;
  values: (string | number | null)[];
  differs: boolean;
}

/** `keel runs compare RUN_ID...`: runs side by side, differences marked. */
export function registerRunCompareCommand(runs: Command, host: CliHost): void {
  runs
    .command('compare')
    .description('Compare runs side by side: status, params and latest metrics, differences marked with *')
    .argument('<run-ids...>', 'two or more run ids')
    .option('--diff-only', 'show only the rows that differ', false)
    .action(
      action(host, async (context, runIds: string[], options: { diffOnly: boolean }) => {
        if (runIds.length < 2) usageError('compare needs at least two run ids.');
        const client = context.client();
        const fetched = await Promise.all(runIds.map((id) => client.runs.get(id)));
        const rows = compareRuns(fetched).filter((row) => row.differs || !options.diffOnly);
        if (context.json) {
          context.output.printJson({
            runs: fetched.map((r) => ({ runId: r.info.runId, runName: r.info.runName })),
            rows,
          });
          return;
        }
        const { colors } = context.output;
        context.output.printTable(
          ['', ...fetched.map((r) => `${truncate(r.info.runName, 24)}\n${r.info.runId.slice(0, 8)}`)],
          rows.map((row) => {
            const cells = [`${row.differs ? '*' : ' '} ${row.key}`, ...row.values.map(display)];
            return row.differs ? cells.map((c) => colors.yellow(c)) : cells;
          }),
          'Nothing to compare.',
        );
        const differing = rows.filter((r) => r.differs).length;
        context.output.line(colors.dim(`* differs between the runs (${differing} of ${rows.length} rows)`));
      }),
    );
}

/** The rows of a comparison: status, then every param, then every latest metric, by key. */
export function compareRuns(runs: Run[]): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const add = (key: string, values: (string | number | null)[]): void => {
    const first = values[0];
    rows.push({ key, values, differs: values.some((v) => !Object.is(v, first)) });
  };
  add(
    'status',
    runs.map((r) => r.info.status),
  );
  const paramKeys = [...new Set(runs.flatMap((r) => r.data.params.map((p) => p.key)))].sort();
  for (const key of paramKeys) {
    add(
      `params.${key}`,
      runs.map((r) => r.data.params.find((p) => p.key === key)?.value ?? null),
    );
  }
  const metricKeys = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
  for (const key of metricKeys) {
    add(
      `metrics.${key}`,
      runs.map((r) => r.data.metrics.find((m) => m.key === key)?.value ?? null),
    );
  }
  return rows;
}

function display(value: string | number | null): string {
  if (value === null) return '-';
  return typeof value === 'number' ? formatNumber(value) : truncate(value, 40);
}
