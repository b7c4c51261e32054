import type { Command } from 'commander';
import type { AuditEvent } from '../../../sdk/index.js';
import { action } from '../cli-context.js';
import type { CliHost } from '../cli-host.js';
import { integerIn, parseTimePoint } from '../option-parsers.js';
import { formatTime, truncate } from '../output.js';

interface AuditOptions {
  actor?: string;
  objectType?: string;
  objectId?: string;
  action?: string;
  since?: number;
  until?: number;
  limit: number;
}

const timePoint = (value: string) => parseTimePoint(value);

/** `keel audit`: the audit trail, newest first. */
export function registerAuditCommand(program: Command, host: CliHost): void {
  program
    .command('audit')
    .description(
      'Show the audit trail, newest first (site administrators; workspace admins with --workspace)',
    )
    .option('--actor <username>', 'who made the change (anonymous without auth, system for maintenance)')
    .option('--object-type <type>', 'experiment, run, logged_model, user, group, workspace, token, session')
    .option('--object-id <id>', 'the object')
    .option('--action <action>', 'an action (run.delete) or a prefix ending in . (run.)')
    .option('--since <time>', 'from: 2026-01-31, 2026-01-31T12:00:00Z, epoch ms, or ago: 7d, 12h', timePoint)
    .option('--until <time>', 'before: same forms as --since', timePoint)
    .option('--limit <n>', 'show at most n events (default: 100)', integerIn(1, 100_000), 100)
    .action(
      action(host, async (context, options: AuditOptions) => {
        const client = context.client();
        const found: AuditEvent[] = [];
        for await (const event of client.audit.iterate({
          actor: options.actor,
          objectType: options.objectType,
          objectId: options.objectId,
          action: options.action,
          workspace: context.workspace,
          since: options.since,
          until: options.until,
          maxResults: Math.min(1000, options.limit),
        })) {
          found.push(event);
          if (found.length >= options.limit) break;
        }
        if (context.json) {
          context.output.printJson(found);
          return;
        }
        context.output.printTable(
          ['Time (UTC)', 'Actor', 'Action', 'Object', 'Workspace', 'Change'],
          found.map((event) => [
            formatTime(event.time),
            event.actorName,
            event.action,
            `${event.objectType} ${truncate(event.objectId, 34)}`,
            event.workspace ?? '-',
            truncate(change(event), 60),
          ]),
          'No events.',
        );
      }),
    );
}

/** `before -> after` in short JSON, or the one that exists. */
function change(event: AuditEvent): string {
  const text = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));
  const [before, after] = [text(event.before), text(event.after)];
  if (before && after) return `${before} -> ${after}`;
  return before || after || '-';
}
