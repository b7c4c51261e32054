import type { Selectable } from 'kysely';
import type { AuditStamp } from '../../core/audit/index.js';
import type { Group, User } from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import { lockRows, type SqlCapabilities } from './dialect.js';
import { translateDriverError } from './driver-errors.js';
import { newUlid } from './entity-ids.js';
import type { KeelDatabase } from './schema.js';
import { appendAuditEvent } from './sql-audit.js';
import { requireUser, userFromRow } from './sql-identity-users.js';
import { inTransaction, type Db, type SqlSource } from './sql-transaction.js';

type GroupRow = Selectable<KeelDatabase['groups']>;

export function groupNotFound(groupId: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `No group with id=${groupId} exists.`);
}

function groupFromRow(row: GroupRow): Group {
  return {
    groupId: row.group_id,
    name: row.name,
    description: row.description,
    createdTime: Number(row.created_time),
  };
}

/** The group's row inside a write transaction, locked like `requireUser` does. */
export async function requireGroup(
  trx: Db,
  caps: SqlCapabilities,
  groupId: string,
  mode: 'share' | 'update',
): Promise<Group> {
  const query = trx.selectFrom('groups').selectAll().where('group_id', '=', groupId);
  const row = await lockRows(query, caps, mode).executeTakeFirst();
  if (!row) throw groupNotFound(groupId);
  return groupFromRow(row);
}

export async function createGroup(
  source: SqlSource,
  input: { name: string; description: string; now: number },
  stamp: AuditStamp,
): Promise<Group> {
  const group: Group = {
    groupId: newUlid(input.now),
    name: input.name,
    description: input.description,
    createdTime: input.now,
  };
  try {
    await inTransaction(source, async (trx) => {
      await trx
        .insertInto('groups')
        .values({
          group_id: group.groupId,
          name: group.name,
          // Group names, like usernames, are unique regardless of case.
          name_key: group.name.toLowerCase(),
          description: group.description,
          created_time: group.createdTime,
        })
        .execute();
      await appendAuditEvent(
        trx,
        {
          action: 'group.create',
          objectType: 'group',
          objectId: group.groupId,
          workspace: null,
          before: null,
          after: group,
        },
        stamp,
        input.now,
        source.caps,
      );
    });
  } catch (error) {
    throw translateDriverError(error, { alreadyExists: `Group '${input.name}' already exists.` });
  }
  return group;
}

export async function findGroupByName({ db }: SqlSource, name: string): Promise<Group | undefined> {
  const row = await db
    .selectFrom('groups')
    .selectAll()
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst();
  return row && groupFromRow(row);
}

export async function listGroups({ db }: SqlSource): Promise<Group[]> {
  const rows = await db.selectFrom('groups').selectAll().orderBy('name_key').execute();
  return rows.map(groupFromRow);
}

/** Removes the group; memberships go by cascade, its role bindings and grants explicitly. */
export async function deleteGroup(
  source: SqlSource,
  groupId: string,
  stamp: AuditStamp,
  now: number,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const group = await requireGroup(trx, source.caps, groupId, 'update');
    await trx
      .deleteFrom('role_bindings')
      .where('principal_type', '=', 'group')
      .where('principal_id', '=', groupId)
      .execute();
    await trx
      .deleteFrom('object_permissions')
      .where('principal_type', '=', 'group')
      .where('principal_id', '=', groupId)
      .execute();
    await trx.deleteFrom('groups').where('group_id', '=', groupId).execute();
    await appendAuditEvent(
      trx,
      {
        action: 'group.delete',
        objectType: 'group',
        objectId: groupId,
        workspace: null,
        before: group,
        after: null,
      },
      stamp,
      now,
      source.caps,
    );
  });
}

function membership(group: Group, user: User): Record<string, unknown> {
  return { groupId: group.groupId, groupName: group.name, userId: user.userId, username: user.username };
}

/** Adds the user to the group; a member already is left alone, without an event. */
export async function addGroupMember(
  source: SqlSource,
  groupId: string,
  userId: string,
  stamp: AuditStamp,
  now: number,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const group = await requireGroup(trx, source.caps, groupId, 'share');
    const user = await requireUser(trx, source.caps, userId, 'share');
    const result = await trx
      .insertInto('group_members')
      .values({ group_id: groupId, user_id: userId })
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return;
    await appendAuditEvent(
      trx,
      {
        action: 'group.member_add',
        objectType: 'group',
        objectId: groupId,
        workspace: null,
        before: null,
        after: membership(group, user),
      },
      stamp,
      now,
      source.caps,
    );
  });
}

export async function removeGroupMember(
  source: SqlSource,
  groupId: string,
  userId: string,
  stamp: AuditStamp,
  now: number,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const group = await requireGroup(trx, source.caps, groupId, 'share');
    const user = await requireUser(trx, source.caps, userId, 'share');
    const result = await trx
      .deleteFrom('group_members')
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new KeelError(
        'RESOURCE_DOES_NOT_EXIST',
        `User '${user.username}' is not a member of group '${group.name}'.`,
      );
    }
    await appendAuditEvent(
      trx,
      {
        action: 'group.member_remove',
        objectType: 'group',
        objectId: groupId,
        workspace: null,
        before: membership(group, user),
        after: null,
      },
      stamp,
      now,
      source.caps,
    );
  });
}

/** The group's members by username; `RESOURCE_DOES_NOT_EXIST` for an unknown group. */
export async function listGroupMembers({ db }: SqlSource, groupId: string): Promise<User[]> {
  const [group, rows] = await Promise.all([
    db.selectFrom('groups').select('group_id').where('group_id', '=', groupId).executeTakeFirst(),
    db
      .selectFrom('group_members as m')
      .innerJoin('users as u', 'u.user_id', 'm.user_id')
      .selectAll('u')
      .where('m.group_id', '=', groupId)
      .orderBy('u.username_key')
      .execute(),
  ]);
  if (!group) throw groupNotFound(groupId);
  return rows.map(userFromRow);
}

export async function groupIdsOf({ db }: SqlSource, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('group_id')
    .where('user_id', '=', userId)
    .orderBy('group_id')
    .execute();
  return rows.map((row) => row.group_id);
}
