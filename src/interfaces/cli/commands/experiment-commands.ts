import type { Command } from 'commander';
import type { Experiment, ViewType } from '../../../core/tracking/index.js';
import { action } from '../cli-context.js';
import type { CliHost } from '../cli-host.js';
import { collect, collectKeyValue, parseMaxResults, viewOption } from '../option-parsers.js';
import { formatTime, truncate } from '../output.js';

interface ListOptions {
  view: ViewType;
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
}

/** `keel experiments list|create|rename|delete|restore`. */
export function registerExperimentCommands(program: Command, host: CliHost): void {
  const experiments = program.command('experiments').description('List and manage experiments');

  experiments
    .command('list')
    .description('List experiments')
    .addOption(viewOption())
    .option('--filter <filter>', 'MLflow filter, e.g. "name LIKE \'keel-%\'"')
    .option('--order-by <clause>', "order, e.g. 'name ASC' (repeatable)", collect)
    .option('--max-results <n>', 'show at most n experiments (default: all)', parseMaxResults)
    .action(
      action(host, async (context, options: ListOptions) => {
        const client = context.client();
        const found: Experiment[] = [];
        const limit = options.maxResults ?? Number.POSITIVE_INFINITY;
        for await (const experiment of client.experiments.iterate({
          viewType: options.view,
          filter: options.filter,
          orderBy: options.orderBy,
          maxResults: Math.min(1000, limit),
        })) {
          found.push(experiment);
          if (found.length >= limit) break;
        }
        if (context.json) {
          context.output.printJson(found);
          return;
        }
        const withStage = options.view !== 'ACTIVE_ONLY';
        context.output.printTable(
          ['ID', 'Name', ...(withStage ? ['Stage'] : []), 'Created (UTC)', 'Artifact location'],
          found.map((e) => [
            e.experimentId,
            truncate(e.name, 60),
            ...(withStage ? [e.lifecycleStage] : []),
            formatTime(e.creationTime),
            truncate(e.artifactLocation, 50),
          ]),
          'No experiments.',
        );
      }),
    );

  experiments
    .command('create')
    .description('Create an experiment')
    .argument('<name>', 'experiment name')
    .option('--artifact-location <uri>', 'where its runs store artifacts (default: chosen by the server)')
    .option('--tag <key=value>', 'experiment tag (repeatable)', collectKeyValue)
    .action(
      action(
        host,
        async (
          context,
          name: string,
          options: { artifactLocation?: string; tag?: Record<string, string> },
        ) => {
          const experimentId = await context.client().experiments.create(name, {
            artifactLocation: options.artifactLocation,
            tags: options.tag,
          });
          if (context.json) context.output.printJson({ experimentId, name });
          else context.output.line(`Created experiment '${name}' with id ${experimentId}.`);
        },
      ),
    );

  experiments
    .command('rename')
    .description('Rename an experiment')
    .argument('<experiment-id>', 'experiment id')
    .argument('<new-name>', 'new name')
    .action(
      action(host, async (context, experimentId: string, newName: string) => {
        await context.client().experiments.rename(experimentId, newName);
        if (context.json) context.output.printJson({ experimentId, name: newName });
        else context.output.line(`Renamed experiment ${experimentId} to '${newName}'.`);
      }),
    );

  experiments
    .command('delete')
    .description('Delete an experiment and its runs (soft: `keel experiments restore` brings them back)')
    .argument('<experiment-id>', 'experiment id')
    .action(
      action(host, async (context, experimentId: string) => {
        await context.client().experiments.delete(experimentId);
        if (context.json) context.output.printJson({ experimentId, lifecycleStage: 'deleted' });
        else
          context.output.line(
            `Deleted experiment ${experimentId} (restore it with: keel experiments restore ${experimentId}).`,
          );
      }),
    );

  experiments
    .command('restore')
    .description('Restore a deleted experiment and the runs deleted with it')
    .argument('<experiment-id>', 'experiment id')
    .action(
      action(host, async (context, experimentId: string) => {
        await context.client().experiments.restore(experimentId);
        if (context.json) context.output.printJson({ experimentId, lifecycleStage: 'active' });
        else context.output.line(`Restored experiment ${experimentId}.`);
      }),
    );
}
