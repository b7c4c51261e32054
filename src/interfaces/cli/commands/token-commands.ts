import { Option, type Command } from 'commander';
import type { ApiToken } from '../../../sdk/index.js';
import { action, usageError } from '../cli-context.js';
import type { CliHost } from '../cli-host.js';
import { parseExpiryDays } from '../option-parsers.js';
import { formatTime } from '../output.js';

interface CreateOptions {
  name: string;
  expiresInDays?: number;
  expires: boolean;
  onlyWorkspace?: string;
  user?: string;
}

/** `keel tokens create|list|revoke`. */
export function registerTokenCommands(program: Command, host: CliHost): void {
  const tokens = program
    .command('tokens')
    .description('Manage API tokens (Authorization: Bearer, KEEL_TOKEN, MLFLOW_TRACKING_TOKEN)');

  tokens
    .command('create')
    .description('Create an API token and print it (it is shown this once)')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--expires-in-days <days>', 'lifetime, 1 to 365 days (default: 90)', parseExpiryDays)
    .addOption(new Option('--no-expires', 'never expire (site administrators only)'))
    .option('--only-workspace <name>', 'limit the token to one workspace')
    .option('--user <username>', "another user's or a service account's token (site administrators)")
    .action(
      action(host, async (context, options: CreateOptions) => {
        if (!options.expires && options.expiresInDays !== undefined)
          usageError('pass --expires-in-days or --no-expires, not both.');
        const created = await context.client().tokens.create(options.name, {
          ...(options.expires ? { expiresInDays: options.expiresInDays } : { expiresInDays: null }),
          workspace: options.onlyWorkspace,
          username: options.user,
        });
        if (context.json) {
          context.output.printJson({ token: created.token, ...created.info });
          return;
        }
        const info = created.info;
        host.stderr.write(
          `Created token '${info.name}' (${info.tokenId})` +
            (info.workspace ? ` limited to workspace '${info.workspace}'` : '') +
            (info.expiresTime === null
              ? ', never expiring'
              : `, expiring ${formatTime(info.expiresTime)} UTC`) +
            '. Store it now: it is not shown again.\n',
        );
        context.output.line(created.token);
      }),
    );

  tokens
    .command('list')
    .description("List your tokens (or, for site administrators, another user's)")
    .option('--user <username>', "another user's tokens")
    .action(
      action(host, async (context, options: { user?: string }) => {
        const found = await context.client().tokens.list(options.user);
        if (context.json) {
          context.output.printJson(found);
          return;
        }
        const now = Date.now();
        context.output.printTable(
          ['ID', 'Name', 'Workspace', 'Created (UTC)', 'Expires (UTC)', 'Last used (UTC)', 'State'],
          found.map((token) => [
            token.tokenId,
            token.name,
            token.workspace ?? '(any)',
            formatTime(token.createdTime),
            token.expiresTime === null ? 'never' : formatTime(token.expiresTime),
            formatTime(token.lastUsedTime),
            stateOf(token, now),
          ]),
          'No tokens.',
        );
      }),
    );

  tokens
    .command('revoke')
    .description('Revoke a token: it stops working at once on this server, within a second on others')
    .argument('<token-id>', 'the id `keel tokens list` shows')
    .action(
      action(host, async (context, tokenId: string) => {
        await context.client().tokens.revoke(tokenId);
        if (context.json) context.output.printJson({ tokenId, revoked: true });
        else context.output.line(`Revoked token ${tokenId}.`);
      }),
    );
}

function stateOf(token: ApiToken, now: number): string {
  if (token.revokedTime !== null) return 'revoked';
  if (token.expiresTime !== null && token.expiresTime <= now) return 'expired';
  return 'active';
}
