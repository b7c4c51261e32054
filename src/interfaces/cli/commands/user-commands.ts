import type { Command } from 'commander';
import type { UserInfo } from '../../../sdk/index.js';
import { action, usageError, type CliContext } from '../cli-context.js';
import type { CliHost } from '../cli-host.js';
import { parseMaxResults } from '../option-parsers.js';
import { formatTime } from '../output.js';
import { PasswordInput } from '../password-input.js';

/** `keel users ...` and `keel service-accounts ...`. */
export function registerUserCommands(program: Command, host: CliHost): void {
  const users = program.command('users').description('Manage users (site administrators)');

  users
    .command('create-admin')
    .description(
      'Create the first site administrator directly in the metadata database (run it where the server runs)',
    )
    .requiredOption('-u, --username <name>', 'the administrator to create')
    .option('--password-stdin', 'read the password from standard input instead of asking', false)
    .option('--backend-store-uri <uri>', 'metadata database (default: as for keel server)')
    .action(
      action(
        host,
        async (context, options: { username: string; passwordStdin: boolean; backendStoreUri?: string }) => {
          const password = await new PasswordInput(host, options.passwordStdin).next('password', {
            confirm: true,
          });
          const result = await host.createAdmin({
            username: options.username,
            password,
            ...(options.backendStoreUri === undefined ? {} : { backendStoreUri: options.backendStoreUri }),
          });
          if (context.json) context.output.printJson(result);
          else if (result.created) context.output.line(`Created site administrator '${result.username}'.`);
          else context.output.line(`'${result.username}' is already a site administrator; nothing changed.`);
        },
      ),
    );

  users
    .command('list')
    .description('List users and service accounts')
    .option('--max-results <n>', 'show at most n (default: all)', parseMaxResults)
    .action(
      action(host, async (context, options: { maxResults?: number }) => {
        const found: UserInfo[] = [];
        const limit = options.maxResults ?? Number.POSITIVE_INFINITY;
        for await (const user of context.client().users.iterate(Math.min(1000, limit))) {
          found.push(user);
          if (found.length >= limit) break;
        }
        printUsers(context, found, 'No users.');
      }),
    );

  users
    .command('create')
    .description('Create a user with a password (at least 12 characters)')
    .argument('<username>', 'letters, digits and . _ @ + - (an email address works)')
    .option('--password-stdin', 'read the password from standard input instead of asking', false)
    .option('--display-name <name>', 'a name to show')
    .option('--admin', 'make the user a site administrator', false)
    .action(
      action(
        host,
        async (
          context,
          username: string,
          options: { passwordStdin: boolean; displayName?: string; admin: boolean },
        ) => {
          const password = await new PasswordInput(host, options.passwordStdin).next('password', {
            confirm: true,
          });
          const user = await context.client().users.create(username, password, {
            displayName: options.displayName,
            isAdmin: options.admin,
          });
          if (context.json) context.output.printJson(user);
          else
            context.output.line(
              `Created user '${user.username}'${user.isAdmin ? ' (site administrator)' : ''}.`,
            );
        },
      ),
    );

  users
    .command('show')
    .description('Show one user')
    .argument('<username>', 'username')
    .action(
      action(host, async (context, username: string) => {
        const user = await context.client().users.get(username);
        if (context.json) context.output.printJson(user);
        else printUser(context, user);
      }),
    );

  users
    .command('update')
    .description("Change a user's display name, admin flag or disabled flag")
    .argument('<username>', 'username')
    .option('--display-name <name>', 'new display name')
    .option('--admin', 'make the user a site administrator')
    .option('--no-admin', 'take site administration away')
    .option('--disable', 'disable the user: no sign-in, tokens and sessions stop working')
    .option('--enable', 'enable a disabled user')
    .action(
      action(
        host,
        async (
          context,
          username: string,
          options: { displayName?: string; admin?: boolean; disable?: boolean; enable?: boolean },
        ) => {
          if (options.disable && options.enable) usageError('pass --disable or --enable, not both.');
          const disabled = options.disable ? true : options.enable ? false : undefined;
          if (options.displayName === undefined && options.admin === undefined && disabled === undefined)
            usageError('nothing to change: pass --display-name, --admin/--no-admin or --disable/--enable.');
          const user = await context.client().users.update(username, {
            displayName: options.displayName,
            isAdmin: options.admin,
            disabled,
          });
          if (context.json) context.output.printJson(user);
          else printUser(context, user);
        },
      ),
    );

  users
    .command('set-password')
    .description(
      "Set a user's password. Your own needs your current one too; site administrators set anyone's without it",
    )
    .argument('<username>', 'username')
    .option(
      '--password-stdin',
      'read the new password from the first line of standard input (and your current one from the second)',
      false,
    )
    .action(
      action(host, async (context, username: string, options: { passwordStdin: boolean }) => {
        const client = context.client();
        const input = new PasswordInput(host, options.passwordStdin);
        const newPassword = await input.next('new password', { confirm: true });
        const who = await client.auth.whoami();
        const own = who.user !== null && who.user.username.toLowerCase() === username.toLowerCase();
        const currentPassword = own && !who.user?.isAdmin ? await input.next('current password') : undefined;
        await client.users.setPassword(username, newPassword, currentPassword);
        if (context.json) context.output.printJson({ username, passwordChanged: true });
        else context.output.line(`Changed the password of '${username}'. Their sessions have ended.`);
      }),
    );

  users
    .command('delete')
    .description('Delete a user with their tokens, sessions, memberships, roles and permissions')
    .argument('<username>', 'username')
    .action(
      action(host, async (context, username: string) => {
        await context.client().users.delete(username);
        if (context.json) context.output.printJson({ username, deleted: true });
        else context.output.line(`Deleted user '${username}'.`);
      }),
    );

  const accounts = program
    .command('service-accounts')
    .description('Manage service accounts: users without a password that sign in with API tokens');

  accounts
    .command('create')
    .description('Create a service account (then: keel tokens create --user <name>)')
    .argument('<name>', 'its username')
    .option('--display-name <name>', 'a name to show')
    .action(
      action(host, async (context, name: string, options: { displayName?: string }) => {
        const account = await context
          .client()
          .serviceAccounts.create(name, { displayName: options.displayName });
        if (context.json) context.output.printJson(account);
        else
          context.output.line(
            `Created service account '${account.username}'. Give it a token: keel tokens create --user ${account.username}`,
          );
      }),
    );

  accounts
    .command('list')
    .description('List service accounts')
    .action(
      action(host, async (context) => {
        printUsers(context, await context.client().serviceAccounts.list(), 'No service accounts.');
      }),
    );
}

function printUsers(context: CliContext, users: UserInfo[], empty: string): void {
  if (context.json) {
    context.output.printJson(users);
    return;
  }
  context.output.printTable(
    ['Username', 'Display name', 'Kind', 'Admin', 'Disabled', 'Created (UTC)'],
    users.map((user) => [
      user.username,
      user.displayName || '-',
      user.kind,
      user.isAdmin ? 'yes' : '',
      user.disabled ? 'yes' : '',
      formatTime(user.createdTime),
    ]),
    empty,
  );
}

function printUser(context: CliContext, user: UserInfo): void {
  context.output.printFields([
    ['Username', user.username],
    ['User id', user.userId],
    ['Display name', user.displayName || '-'],
    ['Kind', user.kind],
    ['Site admin', user.isAdmin ? 'yes' : 'no'],
    ['Disabled', user.disabled ? 'yes' : 'no'],
    ['Created (UTC)', formatTime(user.createdTime)],
    ['Updated (UTC)', formatTime(user.lastUpdateTime)],
  ]);
}
