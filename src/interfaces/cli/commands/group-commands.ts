import type { Command } from 'commander';
import { action } from '../cli-context.js';
import type { CliHost } from '../cli-host.js';
import { formatTime } from '../output.js';

/** `keel groups list|create|delete|members|add-member|remove-member` (site administrators). */
export function registerGroupCommands(program: Command, host: CliHost): void {
  const groups = program.command('groups').description('Manage groups of users (site administrators)');

  groups
    .command('list')
    .description('List groups')
    .action(
      action(host, async (context) => {
        const found = await context.client().groups.list();
        if (context.json) context.output.printJson(found);
        else
          context.output.printTable(
            ['Name', 'Description', 'Created (UTC)'],
            found.map((group) => [group.name, group.description || '-', formatTime(group.createdTime)]),
            'No groups.',
          );
      }),
    );

  groups
    .command('create')
    .description('Create a group')
    .argument('<name>', 'letters, digits and . _ -')
    .option('--description <text>', 'what the group is for')
    .action(
      action(host, async (context, name: string, options: { description?: string }) => {
        const group = await context.client().groups.create(name, { description: options.description });
        if (context.json) context.output.printJson(group);
        else context.output.line(`Created group '${group.name}'.`);
      }),
    );

  groups
    .command('delete')
    .description('Delete a group with its memberships, roles and permissions')
    .argument('<name>', 'group name')
    .action(
      action(host, async (context, name: string) => {
        await context.client().groups.delete(name);
        if (context.json) context.output.printJson({ group: name, deleted: true });
        else context.output.line(`Deleted group '${name}'.`);
      }),
    );

  groups
    .command('members')
    .description("List a group's members")
    .argument('<name>', 'group name')
    .action(
      action(host, async (context, name: string) => {
        const members = await context.client().groups.members(name);
        if (context.json) context.output.printJson(members);
        else
          context.output.printTable(
            ['Username', 'Display name', 'Kind'],
            members.map((user) => [user.username, user.displayName || '-', user.kind]),
            'No members.',
          );
      }),
    );

  groups
    .command('add-member')
    .description('Add a user to a group')
    .argument('<group>', 'group name')
    .argument('<username>', 'username')
    .action(
      action(host, async (context, group: string, username: string) => {
        await context.client().groups.addMember(group, username);
        if (context.json) context.output.printJson({ group, username, member: true });
        else context.output.line(`Added '${username}' to group '${group}'.`);
      }),
    );

  groups
    .command('remove-member')
    .description('Remove a user from a group')
    .argument('<group>', 'group name')
    .argument('<username>', 'username')
    .action(
      action(host, async (context, group: string, username: string) => {
        await context.client().groups.removeMember(group, username);
        if (context.json) context.output.printJson({ group, username, member: false });
        else context.output.line(`Removed '${username}' from group '${group}'.`);
      }),
    );
}
