import type { AuditStamp } from '../../core/audit/index.js';
import { defaultWorkspace, type Workspace } from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import { lockRows, type SqlCapabilities } from './dialect.js';
import { translateDriverError } from './driver-errors.js';
import { appendAuditEvent } from './sql-audit.js';
import { inTransaction, type Db, type SqlSource } from './sql-transaction.js';

export function workspaceNotFound(name: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `Workspace '${name}' not found.`);
}

function workspaceFromRow(row: { name: string; description: string; created_time: number }): Workspace {
  return { name: row.name, description: row.description, createdTime: Number(row.created_time) };
}

/** The workspace's row inside a write transaction, locked like `requireUser` does. */
export async function requireWorkspace(
  trx: Db,
  caps: SqlCapabilities,
  name: string,
  mode: 'share' | 'update',
): Promise<Workspace> {
  const query = trx.selectFrom('workspaces').selectAll().where('name', '=', name);
  const row = await lockRows(query, caps, mode).executeTakeFirst();
  if (!row) throw workspaceNotFound(name);
  return workspaceFromRow(row);
}

export async function createWorkspace(
  source: SqlSource,
  input: { name: string; description: string; now: number },
  stamp: AuditStamp,
): Promise<Workspace> {
  const workspace: Workspace = { name: input.name, description: input.description, createdTime: input.now };
  try {
    await inTransaction(source, async (trx) => {
      await trx
        .insertInto('workspaces')
        .values({ name: workspace.name, description: workspace.description, created_time: input.now })
        .execute();
      await appendAuditEvent(
        trx,
        {
          action: 'workspace.create',
          objectType: 'workspace',
          objectId: workspace.name,
          workspace: workspace.name,
          before: null,
          after: workspace,
        },
        stamp,
        input.now,
        source.caps,
      );
    });
  } catch (error) {
    throw translateDriverError(error, { alreadyExists: `Workspace '${input.name}' already exists.` });
  }
  return workspace;
}

export async function findWorkspace({ db }: SqlSource, name: string): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('name', '=', name).executeTakeFirst();
  return row && workspaceFromRow(row);
}

export async function listWorkspaces({ db }: SqlSource): Promise<Workspace[]> {
  const rows = await db.selectFrom('workspaces').selectAll().orderBy('name').execute();
  return rows.map(workspaceFromRow);
}

/**
 * Removes an empty workspace with its role bindings and the grants on its objects. The row is
 * locked for update before experiments are counted, so an experiment being created in it either
 * commits first (and is counted) or waits and then fails its foreign key.
 */
export async function deleteWorkspace(
  source: SqlSource,
  name: string,
  stamp: AuditStamp,
  now: number,
): Promise<void> {
  if (name === defaultWorkspace) {
    throw new KeelError(
      'INVALID_STATE',
      `The '${defaultWorkspace}' workspace cannot be deleted: it always exists and holds experiment 0.`,
    );
  }
  await inTransaction(source, async (trx) => {
    const workspace = await requireWorkspace(trx, source.caps, name, 'update');
    const { n } = await trx
      .selectFrom('experiments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace', '=', name)
      .executeTakeFirstOrThrow();
    const experiments = Number(n);
    if (experiments > 0) {
      throw new KeelError(
        'INVALID_STATE',
        `Workspace '${name}' still holds ${experiments} experiment${experiments === 1 ? '' : 's'} ` +
          '(deleted ones count until they are purged): purge them (`keel gc`) before deleting the workspace.',
      );
    }
    await trx.deleteFrom('object_permissions').where('workspace', '=', name).execute();
    await trx.deleteFrom('role_bindings').where('workspace', '=', name).execute();
    await trx.deleteFrom('workspaces').where('name', '=', name).execute();
    await appendAuditEvent(
      trx,
      {
        action: 'workspace.delete',
        objectType: 'workspace',
        objectId: name,
        workspace: name,
        before: workspace,
        after: null,
      },
      stamp,
      now,
      source.caps,
    );
  });
}
