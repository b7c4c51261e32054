import { hostname } from 'node:os';
import type { Command } from 'commander';
import { isKeelError } from '../../../core/errors.js';
import { action, usageError } from '../cli-context.js';
import type { CliHost } from '../cli-host.js';
import { parseExpiryDays } from '../option-parsers.js';
import { formatTime } from '../output.js';
import { PasswordInput } from '../password-input.js';

interface LoginOptions {
  username?: string;
  passwordStdin: boolean;
  tokenName?: string;
  expiresInDays?: number;
}

/** `keel login`, `keel logout`, `keel whoami`. */
export function registerAuthCommands(program: Command, host: CliHost): void {
  program
    .command('login')
    .description(
      'Sign in with a username and password and store an API token for this server in the credentials file',
    )
    .option('-u, --username <name>', 'who to sign in as (default: $MLFLOW_TRACKING_USERNAME, else asked)')
    .option('--password-stdin', 'read the password from standard input instead of asking', false)
    .option('--token-name <name>', 'what to call the token (default: keel-cli@<this host>)')
    .option('--expires-in-days <days>', 'token lifetime, 1 to 365 days (default: 90)', parseExpiryDays)
    .action(
      action(host, async (context, options: LoginOptions) => {
        const trackingUri = context.trackingUri();
        const username =
          options.username ||
          host.env.MLFLOW_TRACKING_USERNAME ||
          (await host.prompt('Username: ', { secret: false })) ||
          usageError('no username given: pass --username, or run in a terminal to be asked.');
        const password = await new PasswordInput(host, options.passwordStdin).next('password');
        const client = context.client({ username, password });
        // Checks the password first, and that there is something to sign in to.
        if (!(await client.auth.whoami()).authEnabled) {
          throw new Error(`${trackingUri} does not require authentication: there is nothing to log in to.`);
        }
        const created = await client.tokens.create(options.tokenName ?? `keel-cli@${hostname()}`, {
          ...(options.expiresInDays === undefined ? {} : { expiresInDays: options.expiresInDays }),
        });
        const credentials = context.credentials();
        const previous = credentials.read(trackingUri);
        credentials.save(trackingUri, {
          token: created.token,
          tokenId: created.info.tokenId,
          username,
          expiresTime: created.info.expiresTime,
        });
        // The token this login replaces is of no more use: revoke it (best effort: it may have expired).
        if (previous !== undefined && previous.tokenId !== created.info.tokenId) {
          await context
            .client({ token: created.token })
            .tokens.revoke(previous.tokenId)
            .catch(() => undefined);
        }
        if (context.json) {
          context.output.printJson({
            trackingUri,
            username,
            tokenId: created.info.tokenId,
            expiresTime: created.info.expiresTime,
            credentialsFile: credentials.path,
          });
          return;
        }
        context.output.line(
          `Logged in to ${trackingUri} as ${username}. Token ${created.info.tokenId} stored in ${credentials.path}` +
            (created.info.expiresTime === null
              ? '.'
              : `; it expires ${formatTime(created.info.expiresTime)} UTC.`),
        );
      }),
    );

  program
    .command('logout')
    .description('Revoke the token `keel login` stored for this server and forget it')
    .action(
      action(host, async (context) => {
        const trackingUri = context.trackingUri();
        const credentials = context.credentials();
        const stored = credentials.read(trackingUri);
        if (stored === undefined) {
          if (context.json) context.output.printJson({ trackingUri, loggedOut: false });
          else context.output.line(`Not logged in to ${trackingUri}.`);
          return;
        }
        let revoked = true;
        try {
          await context.client({ token: stored.token }).tokens.revoke(stored.tokenId);
        } catch (error) {
          // Expired or already revoked: it is useless anyway. Anything else: keep it, say why.
          if (!isKeelError(error) || error.code !== 'UNAUTHENTICATED') throw error;
          revoked = false;
        }
        credentials.remove(trackingUri);
        if (context.json) context.output.printJson({ trackingUri, loggedOut: true, tokenId: stored.tokenId });
        else
          context.output.line(
            `Logged out of ${trackingUri}: token ${stored.tokenId} ${revoked ? 'revoked and ' : ''}removed from ${credentials.path}.`,
          );
      }),
    );

  program
    .command('whoami')
    .description('Show who the server takes you for, your workspace and your roles')
    .action(
      action(host, async (context) => {
        const client = context.client();
        const who = await client.auth.whoami();
        if (context.json) {
          context.output.printJson({ trackingUri: client.trackingUri, ...who });
          return;
        }
        const user = who.user;
        context.output.printFields([
          ['Server', client.trackingUri],
          ['User', user === null ? '(authentication is off: everyone may do everything)' : user.username],
          ...(user === null
            ? []
            : ([
                ['Display name', user.displayName || '-'],
                ['Kind', user.kind],
                ['Site admin', user.isAdmin ? 'yes' : 'no'],
                ['Signed in with', who.via],
              ] as [string, string][])),
          ['Workspace', who.workspace],
          ['Roles', who.roles.map((r) => `${r.role} in ${r.workspace}`).join(', ') || '-'],
          ['Workspaces', who.workspaces.map((w) => w.name).join(', ') || '-'],
        ]);
      }),
    );
}
