import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type {
  ApiToken,
  Group,
  ObjectPermission,
  RoleBinding,
  User,
  Workspace,
} from '../../core/auth/index.js';
import { objectTypes, permissions, roles } from '../../core/auth/index.js';
import type { AuditEvent } from '../../core/audit/index.js';
import { KeelError } from '../../core/errors.js';

/**
 * Keel's API on the wire: snake_case JSON, times as epoch milliseconds, `null` for an unset time.
 * The TypeBox schemas are the routes' request and response schemas; the response serializer writes
 * only the fields a schema names, so nothing else of an entity (a password hash) can slip out.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.Integer({ description: 'epoch milliseconds' });

export const RoleName = Type.Union(
  roles.map((role) => Type.Literal(role)),
  { description: roles.join(', ') },
);
export const PermissionName = Type.Union(
  permissions.map((permission) => Type.Literal(permission)),
  { description: permissions.join(', ') },
);
export const ObjectTypeName = Type.Union(objectTypes.map((type) => Type.Literal(type)));

export const UserJson = Type.Object({
  user_id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  kind: Type.Union([Type.Literal('user'), Type.Literal('service_account')]),
  is_admin: Type.Boolean(),
  disabled: Type.Boolean(),
  created_time: Time,
  last_update_time: Time,
});
export type UserJson = Static<typeof UserJson>;

export function userJson(user: User): UserJson {
  return {
    user_id: user.userId,
    username: user.username,
    display_name: user.displayName,
    kind: user.kind,
    is_admin: user.isAdmin,
    disabled: user.disabled,
    created_time: user.createdTime,
    last_update_time: user.lastUpdateTime,
  };
}

export const GroupJson = Type.Object({
  group_id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  created_time: Time,
});

export function groupJson(group: Group): Static<typeof GroupJson> {
  return {
    group_id: group.groupId,
    name: group.name,
    description: group.description,
    created_time: group.createdTime,
  };
}

export const WorkspaceJson = Type.Object({
  name: Type.String(),
  description: Type.String(),
  created_time: Time,
});

export function workspaceJson(workspace: Workspace): Static<typeof WorkspaceJson> {
  return { name: workspace.name, description: workspace.description, created_time: workspace.createdTime };
}

const PrincipalFields = {
  principal_type: Type.Union([Type.Literal('user'), Type.Literal('group')]),
  principal_id: Type.String(),
  principal_name: Type.String(),
};

export const RoleBindingJson = Type.Object({ workspace: Type.String(), ...PrincipalFields, role: RoleName });

export function roleBindingJson(binding: RoleBinding): Static<typeof RoleBindingJson> {
  return {
    workspace: binding.workspace,
    principal_type: binding.principal.type,
    principal_id: binding.principal.id,
    principal_name: binding.principalName,
    role: binding.role,
  };
}

export const ObjectPermissionJson = Type.Object({
  object_type: ObjectTypeName,
  object_id: Type.String(),
  ...PrincipalFields,
  permission: PermissionName,
});

export function objectPermissionJson(grant: ObjectPermission): Static<typeof ObjectPermissionJson> {
  return {
    object_type: grant.objectType,
    object_id: grant.objectId,
    principal_type: grant.principal.type,
    principal_id: grant.principal.id,
    principal_name: grant.principalName,
    permission: grant.permission,
  };
}

export const TokenJson = Type.Object({
  token_id: Type.String(),
  user_id: Type.String(),
  name: Type.String(),
  workspace: Nullable(Type.String()),
  created_time: Time,
  expires_time: Nullable(Time),
  last_used_time: Nullable(Time),
  revoked_time: Nullable(Time),
});

export function tokenJson(token: ApiToken): Static<typeof TokenJson> {
  return {
    token_id: token.tokenId,
    user_id: token.userId,
    name: token.name,
    workspace: token.workspace,
    created_time: token.createdTime,
    expires_time: token.expiresTime,
    last_used_time: token.lastUsedTime,
    revoked_time: token.revokedTime,
  };
}

export const AuditEventJson = Type.Object({
  event_id: Type.String(),
  time: Time,
  actor_id: Nullable(Type.String()),
  actor_name: Type.String(),
  action: Type.String(),
  object_type: Type.String(),
  object_id: Type.String(),
  workspace: Nullable(Type.String()),
  // Snapshots of what changed: any JSON (never a secret; the store leaves those out).
  before: Type.Unknown(),
  after: Type.Unknown(),
  request_id: Nullable(Type.String()),
  ip: Nullable(Type.String()),
});

export function auditEventJson(event: AuditEvent): Static<typeof AuditEventJson> {
  return {
    event_id: event.eventId,
    time: event.time,
    actor_id: event.actorId,
    actor_name: event.actorName,
    action: event.action,
    object_type: event.objectType,
    object_id: event.objectId,
    workspace: event.workspace,
    before: event.before ?? null,
    after: event.after ?? null,
    request_id: event.requestId,
    ip: event.ip,
  };
}

export const EmptyJson = Type.Object({});

/** `{user}` or `{group}` in a request: who a role or a permission is granted to. */
export const PrincipalInput = {
  user: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  group: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
};

/** The principal a request names: exactly one of `user` (a username) and `group` (a group name). */
export function principalOf(input: { user?: string; group?: string }): { user: string } | { group: string } {
  if (input.user !== undefined && input.group === undefined) return { user: input.user };
  if (input.group !== undefined && input.user === undefined) return { group: input.group };
  throw new KeelError(
    'INVALID_PARAMETER_VALUE',
    "Name exactly one of 'user' (a username) or 'group' (a group name).",
  );
}
