import type { Command } from 'commander';
import type { ObjectType, Permission } from '../../../sdk/index.js';
import { action } from '../cli-context.js';
import type { CliHost } from '../cli-host.js';
import { principalOption } from '../option-parsers.js';
import { describe } from './workspace-commands.js';

/** `keel permissions list|grant|revoke <object-type> <object-id>`. */
export function registerPermissionCommands(program: Command, host: CliHost): void {
  const permissions = program
    .command('permissions')
    .description(
      'Permissions on one object (experiment, registered_model, dataset): READ, EDIT, MANAGE or NO_PERMISSIONS; they narrow or widen workspace roles',
    );

  permissions
    .command('list')
    .description('List the grants on an object (needs MANAGE on it)')
    .argument('<object-type>', 'experiment, registered_model or dataset')
    .argument('<object-id>', 'its id (an experiment id, ...)')
    .action(
      action(host, async (context, objectType: string, objectId: string) => {
        const grants = await context.client().permissions.list(objectType as ObjectType, objectId);
        if (context.json) context.output.printJson(grants);
        else
          context.output.printTable(
            ['Principal', 'Type', 'Permission'],
            grants.map((g) => [g.principalName, g.principal.type, g.permission]),
            `No permissions on ${objectType} ${objectId}: its workspace roles apply.`,
          );
      }),
    );

  permissions
    .command('grant')
    .description("Grant a permission on an object, replacing the principal's grant there")
    .argument('<object-type>', 'experiment, registered_model or dataset')
    .argument('<object-id>', 'its id')
    .argument('<permission>', 'READ, EDIT, MANAGE or NO_PERMISSIONS')
    .option('--user <username>', 'grant to this user')
    .option('--group <name>', 'grant to this group')
    .action(
      action(
        host,
        async (
          context,
          objectType: string,
          objectId: string,
          permission: string,
          options: { user?: string; group?: string },
        ) => {
          const principal = principalOption(options);
          const name = permission.toUpperCase();
          await context
            .client()
            .permissions.grant(objectType as ObjectType, objectId, principal, name as Permission);
          if (context.json)
            context.output.printJson({ objectType, objectId, ...principal, permission: name });
          else context.output.line(`Granted ${name} on ${objectType} ${objectId} to ${describe(principal)}.`);
        },
      ),
    );

  permissions
    .command('revoke')
    .description("Remove a principal's grant on an object (its workspace role applies again)")
    .argument('<object-type>', 'experiment, registered_model or dataset')
    .argument('<object-id>', 'its id')
    .option('--user <username>', 'the user')
    .option('--group <name>', 'the group')
    .action(
      action(
        host,
        async (context, objectType: string, objectId: string, options: { user?: string; group?: string }) => {
          const principal = principalOption(options);
          await context.client().permissions.revoke(objectType as ObjectType, objectId, principal);
          if (context.json)
            context.output.printJson({ objectType, objectId, ...principal, permission: null });
          else
            context.output.line(`Removed the grant of ${describe(principal)} on ${objectType} ${objectId}.`);
        },
      ),
    );
}
