import type { AuditStamp } from '../../core/audit/index.js';
import type {
  ApiToken,
  ApiTokenSecret,
  Group,
  IdentityStore,
  ObjectPermission,
  ObjectType,
  Permission,
  PrincipalRef,
  Role,
  RoleBinding,
  Session,
  User,
  UserCredentials,
  Workspace,
} from '../../core/auth/index.js';
import { translateDriverError } from './driver-errors.js';
import type { SqlDatabase } from './open-database.js';
import * as access from './sql-identity-access.js';
import * as credentials from './sql-identity-credentials.js';
import * as groups from './sql-identity-groups.js';
import * as throttle from './sql-identity-throttle.js';
import * as users from './sql-identity-users.js';
import * as workspaces from './sql-identity-workspaces.js';

export interface SqlIdentityStoreOptions {
  /**
   * The clock for the audit events of methods that take no time of their own (deletes, grants,
   * memberships, logout). Default `Date.now`.
   */
  now?: () => number;
}

/**
 * The identity store on SQLite or PostgreSQL, one code path for both. Each mutating method is one
 * transaction that also appends its audit event; driver failures leave it as `KeelError`s. The
 * constructor only remembers the database: open and migrate it first.
 *
 * @example
 * const sqlDatabase = openDatabase('sqlite:///./keel-data/keel.db');
 * await migrate(sqlDatabase.db, sqlDatabase.caps);
 * const identity = new SqlIdentityStore(sqlDatabase);
 * const admin = await identity.createUser(
 *   { username: 'ada', displayName: 'Ada', kind: 'user', isAdmin: true, passwordHash, now: Date.now() },
 *   systemStamp,
 * );
 */
export class SqlIdentityStore implements IdentityStore {
  private readonly now: () => number;

  constructor(
    private readonly sqlDatabase: SqlDatabase,
    options: SqlIdentityStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  // Users and service accounts

  createUser(input: Parameters<IdentityStore['createUser']>[0], stamp: AuditStamp): Promise<User> {
    return guard(() => users.createUser(this.sqlDatabase, input, stamp));
  }

  findUserById(userId: string): Promise<UserCredentials | undefined> {
    return guard(() => users.findUserById(this.sqlDatabase, userId));
  }

  findUserByName(username: string): Promise<UserCredentials | undefined> {
    return guard(() => users.findUserByName(this.sqlDatabase, username));
  }

  listUsers(page: {
    maxResults: number;
    pageToken?: string;
  }): Promise<{ items: User[]; nextPageToken?: string }> {
    return guard(() => users.listUsers(this.sqlDatabase, page));
  }

  updateUser(
    userId: string,
    changes: Parameters<IdentityStore['updateUser']>[1],
    now: number,
    stamp: AuditStamp,
  ): Promise<User> {
    return guard(() => users.updateUser(this.sqlDatabase, userId, changes, now, stamp));
  }

  deleteUser(userId: string, stamp: AuditStamp): Promise<void> {
    return guard(() => users.deleteUser(this.sqlDatabase, userId, stamp, this.now()));
  }

  countActiveAdmins(): Promise<number> {
    return guard(() => users.countActiveAdmins(this.sqlDatabase));
  }

  // Groups

  createGroup(input: { name: string; description: string; now: number }, stamp: AuditStamp): Promise<Group> {
    return guard(() => groups.createGroup(this.sqlDatabase, input, stamp));
  }

  findGroupByName(name: string): Promise<Group | undefined> {
    return guard(() => groups.findGroupByName(this.sqlDatabase, name));
  }

  listGroups(): Promise<Group[]> {
    return guard(() => groups.listGroups(this.sqlDatabase));
  }

  deleteGroup(groupId: string, stamp: AuditStamp): Promise<void> {
    return guard(() => groups.deleteGroup(this.sqlDatabase, groupId, stamp, this.now()));
  }

  addGroupMember(groupId: string, userId: string, stamp: AuditStamp): Promise<void> {
    return guard(() => groups.addGroupMember(this.sqlDatabase, groupId, userId, stamp, this.now()));
  }

  removeGroupMember(groupId: string, userId: string, stamp: AuditStamp): Promise<void> {
    return guard(() => groups.removeGroupMember(this.sqlDatabase, groupId, userId, stamp, this.now()));
  }

  listGroupMembers(groupId: string): Promise<User[]> {
    return guard(() => groups.listGroupMembers(this.sqlDatabase, groupId));
  }

  groupIdsOf(userId: string): Promise<string[]> {
    return guard(() => groups.groupIdsOf(this.sqlDatabase, userId));
  }

  // Workspaces and roles

  createWorkspace(
    input: { name: string; description: string; now: number },
    stamp: AuditStamp,
  ): Promise<Workspace> {
    return guard(() => workspaces.createWorkspace(this.sqlDatabase, input, stamp));
  }

  findWorkspace(name: string): Promise<Workspace | undefined> {
    return guard(() => workspaces.findWorkspace(this.sqlDatabase, name));
  }

  listWorkspaces(): Promise<Workspace[]> {
    return guard(() => workspaces.listWorkspaces(this.sqlDatabase));
  }

  deleteWorkspace(name: string, stamp: AuditStamp): Promise<void> {
    return guard(() => workspaces.deleteWorkspace(this.sqlDatabase, name, stamp, this.now()));
  }

  setRole(workspace: string, principal: PrincipalRef, role: Role, stamp: AuditStamp): Promise<void> {
    return guard(() => access.setRole(this.sqlDatabase, workspace, principal, role, stamp, this.now()));
  }

  removeRole(workspace: string, principal: PrincipalRef, stamp: AuditStamp): Promise<void> {
    return guard(() => access.removeRole(this.sqlDatabase, workspace, principal, stamp, this.now()));
  }

  listRoles(filter: { workspace?: string; principal?: PrincipalRef }): Promise<RoleBinding[]> {
    return guard(() => access.listRoles(this.sqlDatabase, filter));
  }

  rolesOf(userId: string, groupIds: readonly string[]): Promise<{ workspace: string; role: Role }[]> {
    return guard(() => access.rolesOf(this.sqlDatabase, userId, groupIds));
  }

  // Object permissions

  setPermission(
    object: { type: ObjectType; id: string; workspace: string },
    principal: PrincipalRef,
    permission: Permission,
    stamp: AuditStamp,
  ): Promise<void> {
    return guard(() =>
      access.setPermission(this.sqlDatabase, object, principal, permission, stamp, this.now()),
    );
  }

  removePermission(
    object: { type: ObjectType; id: string; workspace: string },
    principal: PrincipalRef,
    stamp: AuditStamp,
  ): Promise<void> {
    return guard(() => access.removePermission(this.sqlDatabase, object, principal, stamp, this.now()));
  }

  listPermissions(object: { type: ObjectType; id: string }): Promise<ObjectPermission[]> {
    return guard(() => access.listPermissions(this.sqlDatabase, object));
  }

  permissionsOf(
    userId: string,
    groupIds: readonly string[],
  ): Promise<
    { objectType: ObjectType; objectId: string; principal: PrincipalRef; permission: Permission }[]
  > {
    return guard(() => access.permissionsOf(this.sqlDatabase, userId, groupIds));
  }

  // API tokens

  createToken(input: Parameters<IdentityStore['createToken']>[0], stamp: AuditStamp): Promise<ApiToken> {
    return guard(() => credentials.createToken(this.sqlDatabase, input, stamp));
  }

  findToken(tokenId: string): Promise<ApiTokenSecret | undefined> {
    return guard(() => credentials.findToken(this.sqlDatabase, tokenId));
  }

  listTokens(userId: string): Promise<ApiToken[]> {
    return guard(() => credentials.listTokens(this.sqlDatabase, userId));
  }

  revokeToken(tokenId: string, now: number, stamp: AuditStamp): Promise<void> {
    return guard(() => credentials.revokeToken(this.sqlDatabase, tokenId, now, stamp));
  }

  touchToken(tokenId: string, now: number): Promise<void> {
    return guard(() => credentials.touchToken(this.sqlDatabase, tokenId, now));
  }

  // Sessions

  createSession(
    input: { userId: string; secretHash: string; now: number; expiresTime: number },
    stamp: AuditStamp,
  ): Promise<Session> {
    return guard(() => credentials.createSession(this.sqlDatabase, input, stamp));
  }

  findSession(sessionId: string): Promise<Session | undefined> {
    return guard(() => credentials.findSession(this.sqlDatabase, sessionId));
  }

  touchSession(sessionId: string, now: number, expiresTime: number): Promise<void> {
    return guard(() => credentials.touchSession(this.sqlDatabase, sessionId, now, expiresTime));
  }

  deleteSession(sessionId: string, stamp: AuditStamp): Promise<void> {
    return guard(() => credentials.deleteSession(this.sqlDatabase, sessionId, stamp, this.now()));
  }

  deleteExpiredSessions(now: number): Promise<number> {
    return guard(() => credentials.deleteExpiredSessions(this.sqlDatabase, now));
  }

  // Login throttle

  recordAuthFailure(keys: readonly string[], now: number, windowMs: number): Promise<number[]> {
    return guard(() => throttle.recordAuthFailure(this.sqlDatabase, keys, now, windowMs));
  }

  authFailures(key: string, now: number, windowMs: number): Promise<number> {
    return guard(() => throttle.authFailures(this.sqlDatabase, key, now, windowMs));
  }

  clearAuthFailures(key: string): Promise<void> {
    return guard(() => throttle.clearAuthFailures(this.sqlDatabase, key));
  }

  forgiveAuthFailure(key: string, now: number, windowMs: number): Promise<void> {
    return guard(() => throttle.forgiveAuthFailure(this.sqlDatabase, key, now, windowMs));
  }
}

/** The boundary where driver errors become `KeelError`s. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDriverError(error);
  }
}
