/**
 * Identity and access entities. Times are epoch milliseconds. User, group, token and session ids are
 * ULIDs; a workspace is addressed by its name, an immutable slug (`default` always exists).
 */

/** Roles granted on a workspace, weakest first. */
export const roles = ['reader', 'editor', 'manager', 'admin'] as const;
export type Role = (typeof roles)[number];

/** MLflow's permission names, weakest first (`NO_PERMISSIONS` denies even reading). */
export const permissions = ['NO_PERMISSIONS', 'READ', 'EDIT', 'MANAGE'] as const;
export type Permission = (typeof permissions)[number];

/** Objects that carry their own permissions; later capabilities add their types here. */
export const objectTypes = ['experiment', 'registered_model', 'dataset'] as const;
export type ObjectType = (typeof objectTypes)[number];

/** A human signs in with a password; a service account only with tokens. */
export type UserKind = 'user' | 'service_account';

export type PrincipalType = 'user' | 'group';

/** Who a role binding or an object permission is granted to. */
export interface PrincipalRef {
  type: PrincipalType;
  id: string;
}

export interface User {
  userId: string;
  username: string;
  displayName: string;
  kind: UserKind;
  /** A site administrator: every permission everywhere, and user management. */
  isAdmin: boolean;
  /** A disabled user cannot authenticate by any means; their tokens and sessions stop working. */
  disabled: boolean;
  createdTime: number;
  lastUpdateTime: number;
  /**
   * Changes whenever the password, the admin flag or the disabled flag changes: caches of verified
   * credentials and of permissions compare it to notice.
   */
  credentialsChangedTime: number;
}

/** A user with the stored password hash (a PHC-style scrypt string; null for service accounts). */
export interface UserCredentials extends User {
  passwordHash: string | null;
}

export interface Group {
  groupId: string;
  name: string;
  description: string;
  createdTime: number;
}

export interface Workspace {
  /** The immutable slug: lowercase letters, digits and `-`, 1 to 63 characters. */
  name: string;
  description: string;
  createdTime: number;
}

export interface ApiToken {
  tokenId: string;
  userId: string;
  /** What the token is for, as its owner named it. */
  name: string;
  /** A token limited to one workspace sees nothing outside it; null for no limit. */
  workspace: string | null;
  createdTime: number;
  expiresTime: number | null;
  lastUsedTime: number | null;
  revokedTime: number | null;
}

/** A token with its stored secret hash (SHA-256 hex of the secret part). */
export interface ApiTokenSecret extends ApiToken {
  secretHash: string;
}

export interface Session {
  sessionId: string;
  userId: string;
  /** SHA-256 hex of the cookie's secret part. */
  secretHash: string;
  createdTime: number;
  expiresTime: number;
  lastSeenTime: number;
}

export interface RoleBinding {
  workspace: string;
  principal: PrincipalRef;
  /** The username or group name, for listings. */
  principalName: string;
  role: Role;
}

export interface ObjectPermission {
  objectType: ObjectType;
  objectId: string;
  principal: PrincipalRef;
  /** The username or group name, for listings. */
  principalName: string;
  permission: Permission;
}

/** An object that permissions are checked on: its type, id and the workspace it belongs to. */
export interface AccessTarget {
  type: ObjectType;
  id: string;
  workspace: string;
}
