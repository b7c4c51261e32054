import type { Command } from 'commander';
import type { Run, ViewType } from '../../../core/tracking/index.js';
import type { KeelClient } from '../../../sdk/index.js';
import { action } from '../cli-context.js';
import type { CliContext } from '../cli-context.js';
import type { CliHost } from '../cli-host.js';
import { collect, parseMaxResults, viewOption } from '../option-parsers.js';
import { formatDuration, formatNumber, formatTime, truncate } from '../output.js';
import { registerRunCompareCommand } from './run-compare-command.js';

interface ListOptions {
  experimentId?: string[];
  filter?: string;
  orderBy?: string[];
  maxResults: number;
  view: ViewType;
}

/** `keel runs list|show|compare|delete|restore`. */
export function registerRunCommands(program: Command, host: CliHost): void {
  const runs = program.command('runs').description('List, inspect and compare runs');

  runs
    .command('list')
    .description('List runs of one or more experiments (default: every active experiment)')
    .option('-e, --experiment-id <id>', 'experiment to list (repeatable)', collect)
    .option('--filter <filter>', 'MLflow filter, e.g. "metrics.val_f1 > 0.8 AND params.lr = \'0.1\'"')
    .option('--order-by <clause>', "order, e.g. 'metrics.val_f1 DESC' (repeatable)", collect)
    .option('--max-results <n>', 'show at most n runs', parseMaxResults, 100)
    .addOption(viewOption())
    .action(
      action(host, async (context, options: ListOptions) => {
        const client = context.client();
        const experimentIds = options.experimentId ?? (await activeExperimentIds(client));
        const found = await searchRuns(client, experimentIds, options);
        if (context.json) {
          context.output.printJson(found.runs);
          return;
        }
        context.output.printTable(
          ['Run ID', 'Name', 'Experiment', 'Status', 'Started (UTC)', 'Duration'],
          found.runs.map((r) => [
            r.info.runId,
            truncate(r.info.runName, 40),
            r.info.experimentId,
            r.info.status,
            formatTime(r.info.startTime),
            r.info.endTime === null ? '-' : formatDuration(r.info.endTime - r.info.startTime),
          ]),
          'No runs.',
        );
        if (found.more) {
          context.output.line(
            context.output.colors.dim(
              `Showing the first ${found.runs.length} runs; raise --max-results to see more.`,
            ),
          );
        }
      }),
    );

  runs
    .command('show')
    .description('Show a run: its info, params, latest metrics, tags and dataset inputs')
    .argument('<run-id>', 'run id')
    .action(
      action(host, async (context, runId: string) => {
        const run = await context.client().runs.get(runId);
        if (context.json) context.output.printJson(run);
        else printRun(context, run);
      }),
    );

  registerRunCompareCommand(runs, host);

  runs
    .command('delete')
    .description('Delete a run (soft: `keel runs restore` brings it back)')
    .argument('<run-id>', 'run id')
    .action(
      action(host, async (context, runId: string) => {
        await context.client().runs.delete(runId);
        if (context.json) context.output.printJson({ runId, lifecycleStage: 'deleted' });
        else context.output.line(`Deleted run ${runId} (restore it with: keel runs restore ${runId}).`);
      }),
    );

  runs
    .command('restore')
    .description('Restore a deleted run')
    .argument('<run-id>', 'run id')
    .action(
      action(host, async (context, runId: string) => {
        await context.client().runs.restore(runId);
        if (context.json) context.output.printJson({ runId, lifecycleStage: 'active' });
        else context.output.line(`Restored run ${runId}.`);
      }),
    );
}

async function activeExperimentIds(client: KeelClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const experiment of client.experiments.iterate()) ids.push(experiment.experimentId);
  return ids;
}

async function searchRuns(
  client: KeelClient,
  experimentIds: string[],
  options: ListOptions,
): Promise<{ runs: Run[]; more: boolean }> {
  const runs: Run[] = [];
  let pageToken: string | undefined;
  if (experimentIds.length === 0) return { runs, more: false };
  do {
    const page = await client.runs.search({
      experimentIds,
      filter: options.filter,
      orderBy: options.orderBy,
      viewType: options.view,
      maxResults: Math.min(1000, options.maxResults - runs.length),
      pageToken,
    });
    runs.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken && runs.length < options.maxResults);
  return { runs, more: pageToken !== undefined };
}

function printRun(context: CliContext, run: Run): void {
  const { output } = context;
  const info = run.info;
  const parent = run.data.tags.find((t) => t.key === 'mlflow.parentRunId')?.value;
  output.printFields([
    ['Run ID', info.runId],
    ['Name', info.runName],
    ['Experiment', info.experimentId],
    ['Status', info.status],
    ['Stage', info.lifecycleStage],
    ['User', info.userId || '-'],
    ['Started (UTC)', formatTime(info.startTime)],
    ['Ended (UTC)', formatTime(info.endTime)],
    ['Duration', info.endTime === null ? '-' : formatDuration(info.endTime - info.startTime)],
    ['Artifact URI', info.artifactUri],
    ...(parent ? ([['Parent run', parent]] as [string, string][]) : []),
  ]);

  output.heading('Params');
  output.printTable(
    ['Key', 'Value'],
    sortByKey(run.data.params).map((p) => [p.key, truncate(p.value)]),
  );
  output.heading('Metrics (latest)');
  output.printTable(
    ['Key', 'Value', 'Step', 'Logged (UTC)'],
    sortByKey(run.data.metrics).map((m) => [
      m.key,
      formatNumber(m.value),
      String(m.step),
      formatTime(m.timestamp),
    ]),
  );
  output.heading('Tags');
  output.printTable(
    ['Key', 'Value'],
    sortByKey(run.data.tags).map((t) => [t.key, truncate(t.value)]),
  );
  if (run.inputs.datasetInputs.length > 0) {
    output.heading('Dataset inputs');
    output.printTable(
      ['Name', 'Digest', 'Source type', 'Context'],
      run.inputs.datasetInputs.map((d) => [
        d.dataset.name,
        d.dataset.digest,
        d.dataset.sourceType,
        d.tags.find((t) => t.key === 'mlflow.data.context')?.value ?? '-',
      ]),
    );
  }
}

function sortByKey<T extends { key: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
