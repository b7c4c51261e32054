import type { AuditStamp } from '../audit/index.js';
import type {
  ApiToken,
  ApiTokenSecret,
  Group,
  ObjectPermission,
  ObjectType,
  Permission,
  PrincipalRef,
  Role,
  RoleBinding,
  Session,
  User,
  UserCredentials,
  UserKind,
  Workspace,
} from './entities.js';

/**
 * The identity port: users, groups, workspaces, role bindings, object permissions, tokens,
 * sessions and the login throttle. Every mutating method is one transaction that also appends its
 * audit event (`stamp` says who), with `before`/`after` snapshots that never hold a secret.
 *
 * Errors are `KeelError`s: `RESOURCE_DOES_NOT_EXIST` for an unknown id or name,
 * `RESOURCE_ALREADY_EXISTS` for a taken username, group or workspace name. Input is validated by
 * the service first (names, lengths); the store enforces what needs stored state.
 */
export interface IdentityStore {
  // Users and service accounts

  /** `RESOURCE_ALREADY_EXISTS` when the username is taken (compared case-insensitively). */
  createUser(
    input: {
      username: string;
      displayName: string;
      kind: UserKind;
      isAdmin: boolean;
      passwordHash: string | null;
      now: number;
    },
    stamp: AuditStamp,
  ): Promise<User>;
  /** By id; undefined when unknown. */
  findUserById(userId: string): Promise<UserCredentials | undefined>;
  /** By username, case-insensitively; undefined when unknown. */
  findUserByName(username: string): Promise<UserCredentials | undefined>;
  /** Ordered by username; keyset-paged by username. */
  listUsers(page: {
    maxResults: number;
    pageToken?: string;
  }): Promise<{ items: User[]; nextPageToken?: string }>;
  /**
   * Changes the fields given. A change of `passwordHash`, `isAdmin` or `disabled` also sets
   * `credentialsChangedTime` to `now`; a password change (or disabling) also ends the user's sessions.
   * `INVALID_STATE` when it would demote or disable the last active site administrator, decided
   * inside the transaction so that concurrent changes to two administrators cannot both pass.
   */
  updateUser(
    userId: string,
    changes: { displayName?: string; isAdmin?: boolean; disabled?: boolean; passwordHash?: string },
    now: number,
    stamp: AuditStamp,
  ): Promise<User>;
  /**
   * Removes the user with their tokens, sessions, memberships, role bindings and grants;
   * `INVALID_STATE` for the last active site administrator (decided as `updateUser` does).
   */
  deleteUser(userId: string, stamp: AuditStamp): Promise<void>;
  /** How many site administrators exist that are not disabled (the last one cannot be removed). */
  countActiveAdmins(): Promise<number>;

  // Groups

  createGroup(input: { name: string; description: string; now: number }, stamp: AuditStamp): Promise<Group>;
  findGroupByName(name: string): Promise<Group | undefined>;
  listGroups(): Promise<Group[]>;
  /** Removes the group with its memberships, role bindings and grants. */
  deleteGroup(groupId: string, stamp: AuditStamp): Promise<void>;
  /** Adding a member twice is a no-op (no event). */
  addGroupMember(groupId: string, userId: string, stamp: AuditStamp): Promise<void>;
  /** `RESOURCE_DOES_NOT_EXIST` when the user is not a member. */
  removeGroupMember(groupId: string, userId: string, stamp: AuditStamp): Promise<void>;
  listGroupMembers(groupId: string): Promise<User[]>;
  /** The ids of the groups the user belongs to. */
  groupIdsOf(userId: string): Promise<string[]>;

  // Workspaces and roles

  createWorkspace(
    input: { name: string; description: string; now: number },
    stamp: AuditStamp,
  ): Promise<Workspace>;
  findWorkspace(name: string): Promise<Workspace | undefined>;
  /** All workspaces, by name (for administrators). */
  listWorkspaces(): Promise<Workspace[]>;
  /**
   * Removes an empty workspace with its role bindings. `INVALID_STATE` when experiments (of any
   * lifecycle stage) still belong to it, and always for `default`.
   */
  deleteWorkspace(name: string, stamp: AuditStamp): Promise<void>;
  /** Grants or replaces the principal's role in the workspace. */
  setRole(workspace: string, principal: PrincipalRef, role: Role, stamp: AuditStamp): Promise<void>;
  /** `RESOURCE_DOES_NOT_EXIST` when the principal holds no role there. */
  removeRole(workspace: string, principal: PrincipalRef, stamp: AuditStamp): Promise<void>;
  /** Every binding of one workspace, or every binding of one principal, by workspace then name. */
  listRoles(filter: { workspace?: string; principal?: PrincipalRef }): Promise<RoleBinding[]>;
  /** The bindings of a user and of the given groups: what access snapshots are built from. */
  rolesOf(userId: string, groupIds: readonly string[]): Promise<{ workspace: string; role: Role }[]>;

  // Object permissions

  /** Grants or replaces the principal's permission on the object. */
  setPermission(
    object: { type: ObjectType; id: string; workspace: string },
    principal: PrincipalRef,
    permission: Permission,
    stamp: AuditStamp,
  ): Promise<void>;
  /** `RESOURCE_DOES_NOT_EXIST` when the principal holds no permission on it. */
  removePermission(
    object: { type: ObjectType; id: string; workspace: string },
    principal: PrincipalRef,
    stamp: AuditStamp,
  ): Promise<void>;
  /** The grants on one object, by principal name. */
  listPermissions(object: { type: ObjectType; id: string }): Promise<ObjectPermission[]>;
  /** The grants to a user and to the given groups: what access snapshots are built from. */
  permissionsOf(
    userId: string,
    groupIds: readonly string[],
  ): Promise<{ objectType: ObjectType; objectId: string; principal: PrincipalRef; permission: Permission }[]>;

  // API tokens

  createToken(
    input: {
      userId: string;
      name: string;
      workspace: string | null;
      secretHash: string;
      expiresTime: number | null;
      now: number;
    },
    stamp: AuditStamp,
  ): Promise<ApiToken>;
  findToken(tokenId: string): Promise<ApiTokenSecret | undefined>;
  /** A user's tokens, newest first, revoked and expired included. */
  listTokens(userId: string): Promise<ApiToken[]>;
  /** Sets `revokedTime` (once); `RESOURCE_DOES_NOT_EXIST` when unknown. */
  revokeToken(tokenId: string, now: number, stamp: AuditStamp): Promise<void>;
  /** Records use, no event; callers call it at most once a minute per token. */
  touchToken(tokenId: string, now: number): Promise<void>;

  // Sessions (the web UI's cookie)

  createSession(
    input: { userId: string; secretHash: string; now: number; expiresTime: number },
    stamp: AuditStamp,
  ): Promise<Session>;
  findSession(sessionId: string): Promise<Session | undefined>;
  /** Records activity and slides the expiry (never past the absolute limit the service computes); no event. */
  touchSession(sessionId: string, now: number, expiresTime: number): Promise<void>;
  /** Ends one session (logout); unknown ids are a no-op. */
  deleteSession(sessionId: string, stamp: AuditStamp): Promise<void>;
  /** Removes sessions expired before `now`; returns how many. */
  deleteExpiredSessions(now: number): Promise<number>;

  // Login throttle (shared by every server replica through the database)

  /**
   * Counts one failure for each key in the fixed window that contains `now` (a new window
   * resets the count) and returns the counts after this failure, in the order of `keys`.
   */
  recordAuthFailure(keys: readonly string[], now: number, windowMs: number): Promise<number[]>;
  /** The failures counted for `key` in the window that contains `now`; 0 when none. */
  authFailures(key: string, now: number, windowMs: number): Promise<number>;
  /** Forgets the failures of `key` (after a successful login). */
  clearAuthFailures(key: string): Promise<void>;
  /**
   * Takes back one failure of `key` counted in the window that contains `now` (an attempt counted
   * up front that turned out to succeed); never below zero, and a no-op in another window.
   */
  forgiveAuthFailure(key: string, now: number, windowMs: number): Promise<void>;
}
