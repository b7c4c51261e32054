import type { AccessTarget, ObjectType, Permission, Role, UserKind } from './entities.js';
import { permissions, roles } from './entities.js';

/**
 * Everything the permission rules need to know about one user, loaded once and cached briefly by
 * the access service: their admin flag, their roles per workspace (direct and through groups, the
 * strongest wins) and their grants on objects (direct, and through groups).
 */
export interface AccessSubject {
  userId: string;
  username: string;
  kind: UserKind;
  isAdmin: boolean;
  disabled: boolean;
  credentialsChangedTime: number;
  groupIds: readonly string[];
  /** Workspace name -> the strongest role the user holds there, directly or through a group. */
  workspaceRoles: ReadonlyMap<string, Role>;
  /** `objectKey(type, id)` -> the permission granted to the user themself. */
  userGrants: ReadonlyMap<string, Permission>;
  /** `objectKey(type, id)` -> the strongest permission granted to any of the user's groups. */
  groupGrants: ReadonlyMap<string, Permission>;
}

/**
 * Who is asking. `user` is null when authentication is off (a server bound to loopback whose
 * operator did not turn it on): such a caller may do everything, and the audit trail names it
 * `anonymous`.
 */
export interface Caller {
  user: { userId: string; username: string; kind: UserKind; isAdmin: boolean } | null;
  /** The workspace the request works in: new objects go there, names are looked up there. */
  workspace: string;
  /** Set when the credential is a token limited to one workspace. */
  tokenWorkspace: string | null;
  /** How the caller proved who they are. */
  via: 'none' | 'password' | 'token' | 'session';
  requestId?: string;
  ip?: string;
}

export const defaultWorkspace = 'default';

/** The caller of a server without authentication, and of in-process maintenance (`keel gc`). */
export function unauthenticatedCaller(
  extra: { workspace?: string; requestId?: string; ip?: string } = {},
): Caller {
  return {
    user: null,
    workspace: extra.workspace ?? defaultWorkspace,
    tokenWorkspace: null,
    via: 'none',
    requestId: extra.requestId,
    ip: extra.ip,
  };
}

export function objectKey(type: ObjectType, id: string): string {
  return `${type}:${id}`;
}

export function permissionRank(permission: Permission): number {
  return permissions.indexOf(permission);
}

export function roleRank(role: Role): number {
  return roles.indexOf(role);
}

/** `held` allows what `needed` asks for. */
export function permits(held: Permission, needed: Permission): boolean {
  return permissionRank(held) >= permissionRank(needed);
}

export function strongerPermission(a: Permission, b: Permission): Permission {
  return permissionRank(a) >= permissionRank(b) ? a : b;
}

export function strongerRole(a: Role, b: Role): Role {
  return roleRank(a) >= roleRank(b) ? a : b;
}

/** What a workspace role grants on every object of the workspace. */
export function rolePermission(role: Role): Permission {
  switch (role) {
    case 'reader':
      return 'READ';
    case 'editor':
      return 'EDIT';
    case 'manager':
    case 'admin':
      return 'MANAGE';
  }
}

/**
 * The permission `subject` holds on `target`, by these rules, first match wins:
 * 1. a disabled user holds nothing;
 * 2. a token limited to another workspace holds nothing (a site administrator's included);
 * 3. a site administrator holds MANAGE;
 * 4. a grant to the user on the object (it narrows or widens the role, NO_PERMISSIONS included);
 * 5. else the strongest grant to one of the user's groups on the object;
 * 6. else what the user's role in the object's workspace grants;
 * 7. else NO_PERMISSIONS.
 */
export function effectivePermission(
  subject: AccessSubject,
  target: AccessTarget,
  tokenWorkspace: string | null = null,
): Permission {
  if (subject.disabled) return 'NO_PERMISSIONS';
  if (tokenWorkspace !== null && tokenWorkspace !== target.workspace) return 'NO_PERMISSIONS';
  if (subject.isAdmin) return 'MANAGE';
  const key = objectKey(target.type, target.id);
  const direct = subject.userGrants.get(key);
  if (direct !== undefined) return direct;
  const viaGroup = subject.groupGrants.get(key);
  if (viaGroup !== undefined) return viaGroup;
  const role = subject.workspaceRoles.get(target.workspace);
  return role === undefined ? 'NO_PERMISSIONS' : rolePermission(role);
}

/**
 * The role `subject` holds in `workspace` (admin for a site administrator), or undefined. A token
 * limited to another workspace holds none.
 */
export function workspaceRole(
  subject: AccessSubject,
  workspace: string,
  tokenWorkspace: string | null = null,
): Role | undefined {
  if (subject.disabled) return undefined;
  if (tokenWorkspace !== null && tokenWorkspace !== workspace) return undefined;
  if (subject.isAdmin) return 'admin';
  return subject.workspaceRoles.get(workspace);
}

/**
 * Which objects of one type in one workspace `subject` may read, as a store filter: either every
 * object of the workspace except `denied`, or only `allowed`. Built from the same rules as
 * `effectivePermission`, so a search never shows what a get would refuse.
 */
export type ReadableObjects = { kind: 'all-except'; denied: string[] } | { kind: 'only'; allowed: string[] };

export function readableObjects(
  subject: AccessSubject,
  type: ObjectType,
  workspace: string,
  tokenWorkspace: string | null = null,
): ReadableObjects {
  if (subject.disabled || (tokenWorkspace !== null && tokenWorkspace !== workspace))
    return { kind: 'only', allowed: [] };
  if (subject.isAdmin) return { kind: 'all-except', denied: [] };
  const prefix = `${type}:`;
  const decided = new Map<string, Permission>();
  for (const [key, permission] of subject.groupGrants)
    if (key.startsWith(prefix)) decided.set(key.slice(prefix.length), permission);
  for (const [key, permission] of subject.userGrants)
    if (key.startsWith(prefix)) decided.set(key.slice(prefix.length), permission);
  const role = subject.workspaceRoles.get(workspace);
  const roleReads = role !== undefined;
  if (roleReads) {
    const denied = [...decided].filter(([, p]) => !permits(p, 'READ')).map(([id]) => id);
    return { kind: 'all-except', denied };
  }
  const allowed = [...decided].filter(([, p]) => permits(p, 'READ')).map(([id]) => id);
  return { kind: 'only', allowed };
}
