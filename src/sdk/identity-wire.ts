import type {
  ApiToken,
  Group,
  ObjectPermission,
  ObjectType,
  Permission,
  PrincipalType,
  Role,
  RoleBinding,
  User,
  UserKind,
  Workspace,
} from '../core/auth/index.js';
import type { AuditAction, AuditEvent, AuditObjectType } from '../core/audit/index.js';

/**
 * Keel's API entities as JSON (snake_case) and their decoders into the camelCase entities of
 * `src/core`. Missing fields decode to empty values rather than failing, as the MLflow decoders do.
 */

export interface WireUser {
  user_id?: string;
  username?: string;
  display_name?: string;
  kind?: string;
  is_admin?: boolean;
  disabled?: boolean;
  created_time?: number;
  last_update_time?: number;
}

/** A user as the API shows one. */
export type UserInfo = Omit<User, 'credentialsChangedTime'>;

export function decodeUser(json: WireUser): UserInfo {
  return {
    userId: json.user_id ?? '',
    username: json.username ?? '',
    displayName: json.display_name ?? '',
    kind: (json.kind ?? 'user') as UserKind,
    isAdmin: json.is_admin === true,
    disabled: json.disabled === true,
    createdTime: json.created_time ?? 0,
    lastUpdateTime: json.last_update_time ?? 0,
  };
}

export interface WireGroup {
  group_id?: string;
  name?: string;
  description?: string;
  created_time?: number;
}

export function decodeGroup(json: WireGroup): Group {
  return {
    groupId: json.group_id ?? '',
    name: json.name ?? '',
    description: json.description ?? '',
    createdTime: json.created_time ?? 0,
  };
}

export interface WireWorkspace {
  name?: string;
  description?: string;
  created_time?: number;
}

export function decodeWorkspace(json: WireWorkspace): Workspace {
  return { name: json.name ?? '', description: json.description ?? '', createdTime: json.created_time ?? 0 };
}

interface WirePrincipal {
  principal_type?: string;
  principal_id?: string;
  principal_name?: string;
}

export interface WireRoleBinding extends WirePrincipal {
  workspace?: string;
  role?: string;
}

export function decodeRoleBinding(json: WireRoleBinding): RoleBinding {
  return {
    workspace: json.workspace ?? '',
    principal: { type: (json.principal_type ?? 'user') as PrincipalType, id: json.principal_id ?? '' },
    principalName: json.principal_name ?? '',
    role: (json.role ?? 'reader') as Role,
  };
}

export interface WireObjectPermission extends WirePrincipal {
  object_type?: string;
  object_id?: string;
  permission?: string;
}

export function decodeObjectPermission(json: WireObjectPermission): ObjectPermission {
  return {
    objectType: (json.object_type ?? 'experiment') as ObjectType,
    objectId: json.object_id ?? '',
    principal: { type: (json.principal_type ?? 'user') as PrincipalType, id: json.principal_id ?? '' },
    principalName: json.principal_name ?? '',
    permission: (json.permission ?? 'NO_PERMISSIONS') as Permission,
  };
}

export interface WireToken {
  token_id?: string;
  user_id?: string;
  name?: string;
  workspace?: string | null;
  created_time?: number;
  expires_time?: number | null;
  last_used_time?: number | null;
  revoked_time?: number | null;
}

export function decodeToken(json: WireToken): ApiToken {
  return {
    tokenId: json.token_id ?? '',
    userId: json.user_id ?? '',
    name: json.name ?? '',
    workspace: json.workspace ?? null,
    createdTime: json.created_time ?? 0,
    expiresTime: json.expires_time ?? null,
    lastUsedTime: json.last_used_time ?? null,
    revokedTime: json.revoked_time ?? null,
  };
}

export interface WireAuditEvent {
  event_id?: string;
  time?: number;
  actor_id?: string | null;
  actor_name?: string;
  action?: string;
  object_type?: string;
  object_id?: string;
  workspace?: string | null;
  before?: unknown;
  after?: unknown;
  request_id?: string | null;
  ip?: string | null;
}

export function decodeAuditEvent(json: WireAuditEvent): AuditEvent {
  return {
    eventId: json.event_id ?? '',
    time: json.time ?? 0,
    actorId: json.actor_id ?? null,
    actorName: json.actor_name ?? '',
    action: (json.action ?? '') as AuditAction,
    objectType: (json.object_type ?? '') as AuditObjectType,
    objectId: json.object_id ?? '',
    workspace: json.workspace ?? null,
    before: json.before ?? null,
    after: json.after ?? null,
    requestId: json.request_id ?? null,
    ip: json.ip ?? null,
  };
}
