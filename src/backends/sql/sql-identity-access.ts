import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { AuditStamp } from '../../core/audit/index.js';
import type {
  ObjectPermission,
  ObjectType,
  Permission,
  PrincipalRef,
  PrincipalType,
  Role,
  RoleBinding,
} from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import { lockRows, type SqlCapabilities } from './dialect.js';
import { appendAuditEvent } from './sql-audit.js';
import { requireGroup } from './sql-identity-groups.js';
import { requireUser } from './sql-identity-users.js';
import { requireWorkspace } from './sql-identity-workspaces.js';
import type { KeelDatabase } from './schema.js';
import { inTransaction, type Db, type SqlSource } from './sql-transaction.js';
import { chunked, rowsPerStatement } from './statement-chunks.js';

/**
 * Role bindings on workspaces and grants on objects. A principal is a user or a group; these tables
 * have no foreign key to either, so every write checks (and, where the engine needs it, locks) the
 * principal, and deleting a user or group removes their rows in its own transaction.
 */

/** The two tables whose rows name a principal. */
type PrincipalTable = 'role_bindings' | 'object_permissions';

/** The principal's name (username or group name), its row locked for share until commit. */
async function requirePrincipal(trx: Db, caps: SqlCapabilities, principal: PrincipalRef): Promise<string> {
  if (principal.type === 'user') return (await requireUser(trx, caps, principal.id, 'share')).username;
  return (await requireGroup(trx, caps, principal.id, 'share')).name;
}

function describePrincipal(principal: PrincipalRef, name: string): string {
  return `${principal.type === 'user' ? 'User' : 'Group'} '${name}'`;
}

function principalFields(principal: PrincipalRef, name: string): Record<string, unknown> {
  return { principalType: principal.type, principalId: principal.id, principalName: name };
}

/** The principal's name, for a row `p` left-joined to its user `pu` or its group `pg`. */
const principalName = sql<string>`coalesce(pu.username, pg.name, p.principal_id)`;

// Role bindings

export async function setRole(
  source: SqlSource,
  workspace: string,
  principal: PrincipalRef,
  role: Role,
  stamp: AuditStamp,
  now: number,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    await requireWorkspace(trx, source.caps, workspace, 'share');
    const name = await requirePrincipal(trx, source.caps, principal);
    const existing = await lockRows(
      trx
        .selectFrom('role_bindings')
        .select('role')
        .where('workspace', '=', workspace)
        .where('principal_type', '=', principal.type)
        .where('principal_id', '=', principal.id),
      source.caps,
      'update',
    ).executeTakeFirst();
    if (existing?.role === role) return;
    await trx
      .insertInto('role_bindings')
      .values({ workspace, principal_type: principal.type, principal_id: principal.id, role })
      .onConflict((oc) => oc.columns(['workspace', 'principal_type', 'principal_id']).doUpdateSet({ role }))
      .execute();
    await appendAuditEvent(
      trx,
      {
        action: 'role.grant',
        objectType: 'workspace',
        objectId: workspace,
        workspace,
        before: existing ? { ...principalFields(principal, name), role: existing.role } : null,
        after: { ...principalFields(principal, name), role },
      },
      stamp,
      now,
      source.caps,
    );
  });
}

export async function removeRole(
  source: SqlSource,
  workspace: string,
  principal: PrincipalRef,
  stamp: AuditStamp,
  now: number,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const name = await requirePrincipal(trx, source.caps, principal);
    const removed = await trx
      .deleteFrom('role_bindings')
      .where('workspace', '=', workspace)
      .where('principal_type', '=', principal.type)
      .where('principal_id', '=', principal.id)
      .returning('role')
      .executeTakeFirst();
    if (!removed) {
      throw new KeelError(
        'RESOURCE_DOES_NOT_EXIST',
        `${describePrincipal(principal, name)} holds no role in workspace '${workspace}'.`,
      );
    }
    await appendAuditEvent(
      trx,
      {
        action: 'role.revoke',
        objectType: 'workspace',
        objectId: workspace,
        workspace,
        before: { ...principalFields(principal, name), role: removed.role },
        after: null,
      },
      stamp,
      now,
      source.caps,
    );
  });
}

/** Bindings of one workspace and/or one principal (all when neither), by workspace then name. */
export async function listRoles(
  { db }: SqlSource,
  filter: { workspace?: string; principal?: PrincipalRef },
): Promise<RoleBinding[]> {
  let query = db
    .selectFrom('role_bindings as p')
    .leftJoin('users as pu', (join) =>
      join.onRef('pu.user_id', '=', 'p.principal_id').on('p.principal_type', '=', 'user'),
    )
    .leftJoin('groups as pg', (join) =>
      join.onRef('pg.group_id', '=', 'p.principal_id').on('p.principal_type', '=', 'group'),
    )
    .select([
      'p.workspace',
      'p.principal_type',
      'p.principal_id',
      'p.role',
      principalName.as('principal_name'),
    ])
    .orderBy('p.workspace')
    .orderBy(principalName)
    .orderBy('p.principal_type');
  if (filter.workspace !== undefined) query = query.where('p.workspace', '=', filter.workspace);
  if (filter.principal) {
    query = query
      .where('p.principal_type', '=', filter.principal.type)
      .where('p.principal_id', '=', filter.principal.id);
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    workspace: row.workspace,
    principal: { type: row.principal_type as PrincipalType, id: row.principal_id },
    principalName: row.principal_name,
    role: row.role as Role,
  }));
}

/**
 * Reads the rows granted to the user or to any of `groupIds`: one query, or one per chunk of group
 * ids when there are more than a statement can bind (only the first chunk's query takes the user's own).
 */
async function principalRows<T>(
  { caps }: SqlSource,
  groupIds: readonly string[],
  read: (where: (eb: ExpressionBuilder<KeelDatabase, PrincipalTable>) => Expression<SqlBool>) => Promise<T[]>,
  userId: string,
): Promise<T[]> {
  const chunks = chunked([...new Set(groupIds)], rowsPerStatement(caps, 1));
  const conditions = (chunks.length === 0 ? [[]] : chunks).map(
    (ids, i) => (eb: ExpressionBuilder<KeelDatabase, PrincipalTable>) => {
      const ofGroups = eb.and([eb('principal_type', '=', 'group'), eb('principal_id', 'in', ids)]);
      if (i > 0) return ofGroups;
      const ofUser = eb.and([eb('principal_type', '=', 'user'), eb('principal_id', '=', userId)]);
      return ids.length === 0 ? ofUser : eb.or([ofUser, ofGroups]);
    },
  );
  return (await Promise.all(conditions.map(read))).flat();
}

export async function rolesOf(
  source: SqlSource,
  userId: string,
  groupIds: readonly string[],
): Promise<{ workspace: string; role: Role }[]> {
  const rows = await principalRows(
    source,
    groupIds,
    (where) => source.db.selectFrom('role_bindings').select(['workspace', 'role']).where(where).execute(),
    userId,
  );
  return rows.map((row) => ({ workspace: row.workspace, role: row.role as Role }));
}

// Object permissions

interface ObjectRef {
  type: ObjectType;
  id: string;
  workspace: string;
}

function objectPermissionNotFound(object: ObjectRef, principal: PrincipalRef, name: string): KeelError {
  return new KeelError(
    'RESOURCE_DOES_NOT_EXIST',
    `${describePrincipal(principal, name)} holds no permission on ${object.type} ${object.id}.`,
  );
}

export async function setPermission(
  source: SqlSource,
  object: ObjectRef,
  principal: PrincipalRef,
  permission: Permission,
  stamp: AuditStamp,
  now: number,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const name = await requirePrincipal(trx, source.caps, principal);
    const existing = await lockRows(
      trx
        .selectFrom('object_permissions')
        .select(['permission', 'workspace'])
        .where('object_type', '=', object.type)
        .where('object_id', '=', object.id)
        .where('principal_type', '=', principal.type)
        .where('principal_id', '=', principal.id),
      source.caps,
      'update',
    ).executeTakeFirst();
    if (existing?.permission === permission && existing.workspace === object.workspace) return;
    await trx
      .insertInto('object_permissions')
      .values({
        object_type: object.type,
        object_id: object.id,
        workspace: object.workspace,
        principal_type: principal.type,
        principal_id: principal.id,
        permission,
      })
      .onConflict((oc) =>
        oc
          .columns(['object_type', 'object_id', 'principal_type', 'principal_id'])
          .doUpdateSet({ permission, workspace: object.workspace }),
      )
      .execute();
    await appendAuditEvent(
      trx,
      {
        action: 'permission.grant',
        objectType: object.type,
        objectId: object.id,
        workspace: object.workspace,
        before: existing ? { ...principalFields(principal, name), permission: existing.permission } : null,
        after: { ...principalFields(principal, name), permission },
      },
      stamp,
      now,
      source.caps,
    );
  });
}

export async function removePermission(
  source: SqlSource,
  object: ObjectRef,
  principal: PrincipalRef,
  stamp: AuditStamp,
  now: number,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const name = await requirePrincipal(trx, source.caps, principal);
    const removed = await trx
      .deleteFrom('object_permissions')
      .where('object_type', '=', object.type)
      .where('object_id', '=', object.id)
      .where('principal_type', '=', principal.type)
      .where('principal_id', '=', principal.id)
      .returning('permission')
      .executeTakeFirst();
    if (!removed) throw objectPermissionNotFound(object, principal, name);
    await appendAuditEvent(
      trx,
      {
        action: 'permission.revoke',
        objectType: object.type,
        objectId: object.id,
        workspace: object.workspace,
        before: { ...principalFields(principal, name), permission: removed.permission },
        after: null,
      },
      stamp,
      now,
      source.caps,
    );
  });
}

/** The grants on one object, by principal name. */
export async function listPermissions(
  { db }: SqlSource,
  object: { type: ObjectType; id: string },
): Promise<ObjectPermission[]> {
  const rows = await db
    .selectFrom('object_permissions as p')
    .leftJoin('users as pu', (join) =>
      join.onRef('pu.user_id', '=', 'p.principal_id').on('p.principal_type', '=', 'user'),
    )
    .leftJoin('groups as pg', (join) =>
      join.onRef('pg.group_id', '=', 'p.principal_id').on('p.principal_type', '=', 'group'),
    )
    .select([
      'p.object_type',
      'p.object_id',
      'p.principal_type',
      'p.principal_id',
      'p.permission',
      principalName.as('principal_name'),
    ])
    .where('p.object_type', '=', object.type)
    .where('p.object_id', '=', object.id)
    .orderBy(principalName)
    .orderBy('p.principal_type')
    .execute();
  return rows.map((row) => ({
    objectType: row.object_type as ObjectType,
    objectId: row.object_id,
    principal: { type: row.principal_type as PrincipalType, id: row.principal_id },
    principalName: row.principal_name,
    permission: row.permission as Permission,
  }));
}

export async function permissionsOf(
  source: SqlSource,
  userId: string,
  groupIds: readonly string[],
): Promise<{ objectType: ObjectType; objectId: string; principal: PrincipalRef; permission: Permission }[]> {
  const rows = await principalRows(
    source,
    groupIds,
    (where) =>
      source.db
        .selectFrom('object_permissions')
        .select(['object_type', 'object_id', 'principal_type', 'principal_id', 'permission'])
        .where(where)
        .execute(),
    userId,
  );
  return rows.map((row) => ({
    objectType: row.object_type as ObjectType,
    objectId: row.object_id,
    principal: { type: row.principal_type as PrincipalType, id: row.principal_id },
    permission: row.permission as Permission,
  }));
}
