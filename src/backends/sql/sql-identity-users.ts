import type { Selectable } from 'kysely';
import type { AuditStamp } from '../../core/audit/index.js';
import type { User, UserCredentials, UserKind } from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import { decodePageToken, encodePageToken } from '../../core/tracking/index.js';
import { lockRows, type SqlCapabilities } from './dialect.js';
import { translateDriverError } from './driver-errors.js';
import { newUlid } from './entity-ids.js';
import type { UsersTable } from './schema.js';
import { appendAuditEvent } from './sql-audit.js';
import { inTransaction, type Db, type SqlSource } from './sql-transaction.js';

type UserRow = Selectable<UsersTable>;

/** The most users one page of `listUsers` holds. */
export const MAX_USERS_PAGE = 1000;

/** Usernames are unique regardless of case: `Alice` and `alice` are one user. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function userNotFound(userId: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `No user with id=${userId} exists.`);
}

export function userFromRow(row: UserRow): User {
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    kind: row.kind as UserKind,
    isAdmin: row.is_admin === 1,
    disabled: row.disabled === 1,
    createdTime: Number(row.created_time),
    lastUpdateTime: Number(row.last_update_time),
    credentialsChangedTime: Number(row.credentials_changed_time),
  };
}

function credentialsFromRow(row: UserRow): UserCredentials {
  return { ...userFromRow(row), passwordHash: row.password_hash };
}

/** What the audit trail keeps of a user: never the password hash. */
export function userSnapshot(user: User): Record<string, unknown> {
  return {
    userId: user.userId,
    username: user.username,
    displayName: user.displayName,
    kind: user.kind,
    isAdmin: user.isAdmin,
    disabled: user.disabled,
  };
}

/**
 * The user's row inside a write transaction, locked (where the engine needs row locks) so it
 * cannot change or vanish before commit: `share` to refer to it, `update` to change it.
 */
export async function requireUser(
  trx: Db,
  caps: SqlCapabilities,
  userId: string,
  mode: 'share' | 'update',
): Promise<User> {
  const query = trx.selectFrom('users').selectAll().where('user_id', '=', userId);
  const row = await lockRows(query, caps, mode).executeTakeFirst();
  if (!row) throw userNotFound(userId);
  return userFromRow(row);
}

export async function createUser(
  source: SqlSource,
  input: {
    username: string;
    displayName: string;
    kind: UserKind;
    isAdmin: boolean;
    passwordHash: string | null;
    now: number;
  },
  stamp: AuditStamp,
): Promise<User> {
  const user: User = {
    userId: newUlid(input.now),
    username: input.username,
    displayName: input.displayName,
    kind: input.kind,
    isAdmin: input.isAdmin,
    disabled: false,
    createdTime: input.now,
    lastUpdateTime: input.now,
    credentialsChangedTime: input.now,
  };
  try {
    await inTransaction(source, async (trx) => {
      await trx
        .insertInto('users')
        .values({
          user_id: user.userId,
          username: user.username,
          username_key: usernameKey(user.username),
          display_name: user.displayName,
          kind: user.kind,
          is_admin: user.isAdmin ? 1 : 0,
          disabled: 0,
          password_hash: input.passwordHash,
          created_time: input.now,
          last_update_time: input.now,
          credentials_changed_time: input.now,
        })
        .execute();
      await appendAuditEvent(
        trx,
        {
          action: 'user.create',
          objectType: 'user',
          objectId: user.userId,
          workspace: null,
          before: null,
          after: userSnapshot(user),
        },
        stamp,
        input.now,
        source.caps,
      );
    });
  } catch (error) {
    throw translateDriverError(error, { alreadyExists: `User '${input.username}' already exists.` });
  }
  return user;
}

export async function findUserById({ db }: SqlSource, userId: string): Promise<UserCredentials | undefined> {
  const row = await db.selectFrom('users').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row && credentialsFromRow(row);
}

export async function findUserByName(
  { db }: SqlSource,
  username: string,
): Promise<UserCredentials | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('username_key', '=', usernameKey(username))
    .executeTakeFirst();
  return row && credentialsFromRow(row);
}

const usersScope = 'users';

function isUsersPosition(payload: unknown): payload is { after: string } {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof (payload as { after?: unknown }).after === 'string'
  );
}

/** Users by lowercased username, keyset-paged (the token holds the last username's key). */
export async function listUsers(
  { db }: SqlSource,
  page: { maxResults: number; pageToken?: string },
): Promise<{ items: User[]; nextPageToken?: string }> {
  const { maxResults } = page;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_USERS_PAGE) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Invalid max_results ${maxResults}: ask for 1 to ${MAX_USERS_PAGE} users per page.`,
    );
  }
  const start = page.pageToken ? decodePageToken(page.pageToken, usersScope, isUsersPosition) : undefined;
  let query = db
    .selectFrom('users')
    .selectAll()
    .orderBy('username_key')
    .limit(maxResults + 1);
  if (start) query = query.where('username_key', '>', start.after);
  const rows = await query.execute();
  const items = rows.slice(0, maxResults).map(userFromRow);
  if (rows.length <= maxResults) return { items };
  const last = rows[maxResults - 1]!;
  return { items, nextPageToken: encodePageToken({ after: last.username_key }, usersScope) };
}

/**
 * Changes the fields given that differ from the stored ones; nothing changes (and no event is
 * written) when none do. A new password, or a change of the admin or disabled flag, moves
 * `credentials_changed_time` to `now`; a new password or disabling also ends the user's sessions.
 * The event is `user.password_change` when the password is among the changes, else `user.update`.
 * Demoting or disabling the last active site administrator is `INVALID_STATE` (see `keepAnAdmin`).
 */
export async function updateUser(
  source: SqlSource,
  userId: string,
  changes: { displayName?: string; isAdmin?: boolean; disabled?: boolean; passwordHash?: string },
  now: number,
  stamp: AuditStamp,
): Promise<User> {
  return inTransaction(source, async (trx) => {
    const mayRemoveAdmin = changes.isAdmin === false || changes.disabled === true;
    const admins = mayRemoveAdmin ? await lockActiveAdmins(trx, source.caps) : [];
    const before = await requireUser(trx, source.caps, userId, 'update');
    const passwordChanged = changes.passwordHash !== undefined;
    const after: User = {
      ...before,
      displayName: changes.displayName ?? before.displayName,
      isAdmin: changes.isAdmin ?? before.isAdmin,
      disabled: changes.disabled ?? before.disabled,
    };
    const credentialsChanged =
      passwordChanged || after.isAdmin !== before.isAdmin || after.disabled !== before.disabled;
    if (!credentialsChanged && after.displayName === before.displayName) return before;
    if (isActiveAdmin(before) && !isActiveAdmin(after))
      keepAnAdmin(before, admins, after.isAdmin ? 'disabling' : 'demoting');
    after.lastUpdateTime = now;
    if (credentialsChanged) after.credentialsChangedTime = now;

    await trx
      .updateTable('users')
      .set({
        display_name: after.displayName,
        is_admin: after.isAdmin ? 1 : 0,
        disabled: after.disabled ? 1 : 0,
        last_update_time: after.lastUpdateTime,
        credentials_changed_time: after.credentialsChangedTime,
        ...(passwordChanged ? { password_hash: changes.passwordHash } : {}),
      })
      .where('user_id', '=', userId)
      .execute();
    if (passwordChanged || (after.disabled && !before.disabled)) {
      await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    }
    await appendAuditEvent(
      trx,
      {
        action: passwordChanged ? 'user.password_change' : 'user.update',
        objectType: 'user',
        objectId: userId,
        workspace: null,
        before: userSnapshot(before),
        after: userSnapshot(after),
      },
      stamp,
      now,
      source.caps,
    );
    return after;
  });
}

/**
 * Removes the user. Tokens, sessions and group memberships go by foreign-key cascade; role
 * bindings and object grants name principals of two kinds, so they have no foreign key and are
 * removed here, in the same transaction. Deleting the last active site administrator is
 * `INVALID_STATE`.
 */
export async function deleteUser(
  source: SqlSource,
  userId: string,
  stamp: AuditStamp,
  now: number,
): Promise<void> {
  await inTransaction(source, async (trx) => {
    const admins = await lockActiveAdmins(trx, source.caps);
    const user = await requireUser(trx, source.caps, userId, 'update');
    if (isActiveAdmin(user)) keepAnAdmin(user, admins, 'deleting');
    await trx
      .deleteFrom('role_bindings')
      .where('principal_type', '=', 'user')
      .where('principal_id', '=', userId)
      .execute();
    await trx
      .deleteFrom('object_permissions')
      .where('principal_type', '=', 'user')
      .where('principal_id', '=', userId)
      .execute();
    await trx.deleteFrom('users').where('user_id', '=', userId).execute();
    await appendAuditEvent(
      trx,
      {
        action: 'user.delete',
        objectType: 'user',
        objectId: userId,
        workspace: null,
        before: userSnapshot(user),
        after: null,
      },
      stamp,
      now,
      source.caps,
    );
  });
}

export async function countActiveAdmins({ db }: SqlSource): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_admin', '=', 1)
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function isActiveAdmin(user: User): boolean {
  return user.isAdmin && !user.disabled;
}

/**
 * The ids of the active site administrators, their rows locked for update in id order (where the
 * engine needs row locks; SQLite's write transactions are serial anyway). Two transactions that
 * each remove a different administrator therefore run one after the other, and the second sees
 * the first one's change: a check outside the transaction would let both pass and leave none.
 */
async function lockActiveAdmins(trx: Db, caps: SqlCapabilities): Promise<string[]> {
  const query = trx
    .selectFrom('users')
    .select('user_id')
    .where('is_admin', '=', 1)
    .where('disabled', '=', 0)
    .orderBy('user_id');
  return (await lockRows(query, caps, 'update').execute()).map((row) => row.user_id);
}

/** Refuses to demote, disable or delete `user` when no other active site administrator remains. */
function keepAnAdmin(user: User, activeAdmins: readonly string[], doing: string): void {
  if (activeAdmins.some((id) => id !== user.userId)) return;
  throw new KeelError(
    'INVALID_STATE',
    `'${user.username}' is the last active site administrator: make another user an administrator before ${doing} them.`,
  );
}
