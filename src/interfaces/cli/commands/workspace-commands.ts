import type { Command } from 'commander';
import type { Role } from '../../../sdk/index.js';
import { action } from '../cli-context.js';
import type { CliHost } from '../cli-host.js';
import { principalOption } from '../option-parsers.js';
import { formatTime } from '../output.js';

/** `keel workspaces list|create|delete` and `keel roles list|grant|revoke`. */
export function registerWorkspaceCommands(program: Command, host: CliHost): void {
  const workspaces = program.command('workspaces').description('List and manage workspaces');

  workspaces
    .command('list')
    .description('List the workspaces you can use')
    .action(
      action(host, async (context) => {
        const found = await context.client().workspaces.list();
        if (context.json) context.output.printJson(found);
        else
          context.output.printTable(
            ['Name', 'Description', 'Created (UTC)'],
            found.map((w) => [w.name, w.description || '-', formatTime(w.createdTime)]),
            'No workspaces.',
          );
      }),
    );

  workspaces
    .command('create')
    .description('Create a workspace (site administrators)')
    .argument('<name>', 'lowercase letters, digits and inner -, like a DNS label')
    .option('--description <text>', 'what the workspace is for')
    .action(
      action(host, async (context, name: string, options: { description?: string }) => {
        const workspace = await context
          .client()
          .workspaces.create(name, { description: options.description });
        if (context.json) context.output.printJson(workspace);
        else context.output.line(`Created workspace '${workspace.name}'.`);
      }),
    );

  workspaces
    .command('delete')
    .description('Delete an empty workspace (site administrators)')
    .argument('<name>', 'workspace name')
    .action(
      action(host, async (context, name: string) => {
        await context.client().workspaces.delete(name);
        if (context.json) context.output.printJson({ workspace: name, deleted: true });
        else context.output.line(`Deleted workspace '${name}'.`);
      }),
    );

  const roles = program
    .command('roles')
    .description(
      'Roles in a workspace (reader, editor, manager, admin), for users and groups; the workspace is --workspace (default: default)',
    );

  roles
    .command('list')
    .description('List the role bindings of the workspace')
    .action(
      action(host, async (context) => {
        const workspace = context.workspace ?? 'default';
        const bindings = await context.client().roles.list(workspace);
        if (context.json) context.output.printJson(bindings);
        else
          context.output.printTable(
            ['Principal', 'Type', 'Role'],
            bindings.map((b) => [b.principalName, b.principal.type, b.role]),
            `No roles in workspace '${workspace}'.`,
          );
      }),
    );

  roles
    .command('grant')
    .description("Grant a role in the workspace, replacing the principal's role there")
    .argument('<role>', 'reader, editor, manager or admin')
    .option('--user <username>', 'grant to this user')
    .option('--group <name>', 'grant to this group')
    .action(
      action(host, async (context, role: string, options: { user?: string; group?: string }) => {
        const principal = principalOption(options);
        const workspace = context.workspace ?? 'default';
        await context.client().roles.grant(workspace, principal, role as Role);
        if (context.json) context.output.printJson({ workspace, ...principal, role });
        else context.output.line(`Granted ${role} in workspace '${workspace}' to ${describe(principal)}.`);
      }),
    );

  roles
    .command('revoke')
    .description("Remove a principal's role in the workspace")
    .option('--user <username>', 'the user')
    .option('--group <name>', 'the group')
    .action(
      action(host, async (context, options: { user?: string; group?: string }) => {
        const principal = principalOption(options);
        const workspace = context.workspace ?? 'default';
        await context.client().roles.revoke(workspace, principal);
        if (context.json) context.output.printJson({ workspace, ...principal, role: null });
        else context.output.line(`Removed the role of ${describe(principal)} in workspace '${workspace}'.`);
      }),
    );
}

export function describe(principal: { user: string } | { group: string }): string {
  return 'user' in principal ? `user '${principal.user}'` : `group '${principal.group}'`;
}
