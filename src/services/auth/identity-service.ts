import {
  auditStamp,
  parseObjectType,
  parsePermission,
  parseRole,
  validateDescription,
  validateGroupName,
  validateWorkspaceName,
  type AccessTarget,
  type ApiToken,
  type Caller,
  type Group,
  type IdentityStore,
  type ObjectPermission,
  type ObjectType,
  type Permission,
  type PrincipalRef,
  type Role,
  type RoleBinding,
  type User,
  type Workspace,
} from '../../core/auth/index.js';
import type { AccessControl } from './access-control.js';
import type { AuthService } from './auth-service.js';
import {
  findGroup,
  findUser,
  invalid,
  requireSelfOrAdmin,
  type IdentityContext,
} from './identity-context.js';
import { LoginThrottle } from './login-throttle.js';
import { objectNotFound, workspaceNotFound } from './not-found.js';
import type { PasswordHasher } from './password-hasher.js';
import { publicUser } from './public-user.js';
import * as tokens from './token-admin.js';
import * as users from './user-admin.js';

export interface IdentityServiceOptions {
  identity: IdentityStore;
  access: AccessControl;
  hasher: PasswordHasher;
  auth: AuthService;
  /**
   * The workspace an object belongs to, undefined when it does not exist: the app wires it to
   * `TrackingService.objectWorkspace`.
   */
  objectWorkspace: (type: ObjectType, id: string) => Promise<string | undefined>;
  now?: () => number;
}

/** A user or a group, by username or group name: exactly one of the two. */
export interface PrincipalInput {
  user?: string;
  group?: string;
}

export interface WhoAmI {
  user: User | null;
  workspace: string;
  workspaces: Workspace[];
  roles: { workspace: string; role: Role }[];
}

const maxObjectIdLength = 256;

/**
 * Users, service accounts, groups, workspaces, role bindings, object permissions and API tokens,
 * with every permission check here rather than in the HTTP layer: user, group and workspace
 * administration needs a site administrator; a workspace's role bindings, its admins too; an
 * object's permissions, MANAGE on it (and an object the caller cannot read is "not found"). Every
 * change is audited by the store under the caller's name and applies at once to this process's
 * access and credential caches.
 *
 * @example
 * const identity = new IdentityService({ identity: store, access, hasher, auth, objectWorkspace });
 * await identity.createUser(admin, { username: 'ada', password: 'a long enough password' });
 * await identity.grantRole(admin, 'default', { user: 'ada' }, 'editor');
 */
export class IdentityService {
  readonly #ctx: IdentityContext;
  readonly #objectWorkspace: IdentityServiceOptions['objectWorkspace'];

  constructor(options: IdentityServiceOptions) {
    const now = options.now ?? Date.now;
    this.#ctx = {
      identity: options.identity,
      access: options.access,
      hasher: options.hasher,
      auth: options.auth,
      throttle: new LoginThrottle(options.identity, now),
      now,
    };
    this.#objectWorkspace = options.objectWorkspace;
  }

  // Users and service accounts

  /** Site administrators only. `RESOURCE_ALREADY_EXISTS` when the username is taken (in any case). */
  createUser(caller: Caller, input: users.CreateUserInput): Promise<User> {
    return users.createUser(this.#ctx, caller, input);
  }

  /**
   * The first administrator, for `keel users create-admin` and the environment on first start; as
   * the system. Idempotent: an existing administrator of that name is returned as it is (its
   * password unchanged, `created: false`); an existing user who is not one is refused
   * (`INVALID_STATE`).
   */
  bootstrapAdmin(input: { username: string; password: string }): Promise<{ user: User; created: boolean }> {
    return users.bootstrapAdmin(this.#ctx, input);
  }

  /** A user reads themself; site administrators read anyone. */
  async getUser(caller: Caller, username: string): Promise<User> {
    requireSelfOrAdmin(this.#ctx, caller, username, 'read');
    return publicUser(await findUser(this.#ctx, username));
  }

  /** Site administrators only; by username, 100 a page by default (at most 1,000). */
  listUsers(
    caller: Caller,
    page: { maxResults?: number; pageToken?: string },
  ): Promise<{ items: User[]; nextPageToken?: string }> {
    return users.listUsers(this.#ctx, caller, page);
  }

  /**
   * A user changes their own display name; the admin and disabled flags are for site
   * administrators. The last active site administrator can be neither demoted nor disabled.
   */
  updateUser(
    caller: Caller,
    username: string,
    changes: { displayName?: string; isAdmin?: boolean; disabled?: boolean },
  ): Promise<User> {
    return users.updateUser(this.#ctx, caller, username, changes);
  }

  /**
   * Sets a password. Changing one's own needs the current one (checked with the sign-in throttle);
   * site administrators set anyone's without it. A service account has none (`INVALID_STATE`).
   */
  changePassword(
    caller: Caller,
    username: string,
    input: { newPassword: string; currentPassword?: string },
  ): Promise<void> {
    return users.changePassword(this.#ctx, caller, username, input);
  }

  /** Site administrators only; never the last active site administrator. */
  deleteUser(caller: Caller, username: string): Promise<void> {
    return users.deleteUser(this.#ctx, caller, username);
  }

  // Groups (site administrators)

  async createGroup(caller: Caller, input: { name: string; description?: string }): Promise<Group> {
    this.#ctx.access.requireAdmin(caller);
    const name = validateGroupName(input.name);
    const description = validateDescription(input.description);
    return this.#ctx.identity.createGroup({ name, description, now: this.#ctx.now() }, auditStamp(caller));
  }

  async deleteGroup(caller: Caller, name: string): Promise<void> {
    this.#ctx.access.requireAdmin(caller);
    const group = await findGroup(this.#ctx, name);
    await this.#ctx.identity.deleteGroup(group.groupId, auditStamp(caller));
    this.#ctx.access.invalidate();
  }

  async listGroups(caller: Caller): Promise<Group[]> {
    this.#ctx.access.requireAdmin(caller);
    return this.#ctx.identity.listGroups();
  }

  async addGroupMember(caller: Caller, group: string, username: string): Promise<void> {
    this.#ctx.access.requireAdmin(caller);
    const [found, user] = await Promise.all([findGroup(this.#ctx, group), findUser(this.#ctx, username)]);
    await this.#ctx.identity.addGroupMember(found.groupId, user.userId, auditStamp(caller));
    this.#ctx.access.invalidate(user.userId);
  }

  async removeGroupMember(caller: Caller, group: string, username: string): Promise<void> {
    this.#ctx.access.requireAdmin(caller);
    const [found, user] = await Promise.all([findGroup(this.#ctx, group), findUser(this.#ctx, username)]);
    await this.#ctx.identity.removeGroupMember(found.groupId, user.userId, auditStamp(caller));
    this.#ctx.access.invalidate(user.userId);
  }

  async listGroupMembers(caller: Caller, group: string): Promise<User[]> {
    this.#ctx.access.requireAdmin(caller);
    const members = await this.#ctx.identity.listGroupMembers((await findGroup(this.#ctx, group)).groupId);
    return members.map(publicUser);
  }

  // Workspaces

  /** Site administrators only. `RESOURCE_ALREADY_EXISTS` when the name is taken. */
  async createWorkspace(caller: Caller, input: { name: string; description?: string }): Promise<Workspace> {
    this.#ctx.access.requireAdmin(caller);
    const name = validateWorkspaceName(input.name);
    const description = validateDescription(input.description);
    return this.#ctx.identity.createWorkspace(
      { name, description, now: this.#ctx.now() },
      auditStamp(caller),
    );
  }

  /** Site administrators only; an empty workspace, never `default` (`INVALID_STATE`). */
  async deleteWorkspace(caller: Caller, name: string): Promise<void> {
    this.#ctx.access.requireAdmin(caller);
    await this.#ctx.identity.deleteWorkspace(validateWorkspaceName(name), auditStamp(caller));
    this.#ctx.access.invalidate();
  }

  /** The workspaces the caller may select. */
  listWorkspaces(caller: Caller): Promise<Workspace[]> {
    return this.#ctx.access.visibleWorkspaces(caller);
  }

  // Workspace roles (site administrators, and the workspace's admins)

  async grantRole(caller: Caller, workspace: string, principal: PrincipalInput, role: Role): Promise<void> {
    const name = await this.#administeredWorkspace(caller, workspace);
    const granted = parseRole(role);
    const target = await this.#principal(principal);
    await this.#ctx.identity.setRole(name, target, granted, auditStamp(caller));
    this.#forgetPrincipal(target);
  }

  /** `RESOURCE_DOES_NOT_EXIST` when the principal holds no role there. */
  async revokeRole(caller: Caller, workspace: string, principal: PrincipalInput): Promise<void> {
    const name = await this.#administeredWorkspace(caller, workspace);
    const target = await this.#principal(principal);
    await this.#ctx.identity.removeRole(name, target, auditStamp(caller));
    this.#forgetPrincipal(target);
  }

  async listRoles(caller: Caller, workspace: string): Promise<RoleBinding[]> {
    const name = await this.#administeredWorkspace(caller, workspace);
    return this.#ctx.identity.listRoles({ workspace: name });
  }

  // Object permissions (MANAGE on the object)

  async setPermission(
    caller: Caller,
    object: { type: ObjectType; id: string },
    principal: PrincipalInput,
    permission: Permission,
  ): Promise<void> {
    const target = await this.#managedObject(caller, object);
    const granted = parsePermission(permission);
    const to = await this.#principal(principal);
    await this.#ctx.identity.setPermission(target, to, granted, auditStamp(caller));
    this.#forgetPrincipal(to);
  }

  /** `RESOURCE_DOES_NOT_EXIST` when the principal holds no permission on the object. */
  async removePermission(
    caller: Caller,
    object: { type: ObjectType; id: string },
    principal: PrincipalInput,
  ): Promise<void> {
    const target = await this.#managedObject(caller, object);
    const from = await this.#principal(principal);
    await this.#ctx.identity.removePermission(target, from, auditStamp(caller));
    this.#forgetPrincipal(from);
  }

  /** The permission granted to this principal on the object itself; undefined when none. */
  async getPermission(
    caller: Caller,
    object: { type: ObjectType; id: string },
    principal: PrincipalInput,
  ): Promise<Permission | undefined> {
    const target = await this.#managedObject(caller, object);
    const of = await this.#principal(principal);
    const grants = await this.#ctx.identity.listPermissions(target);
    return grants.find((grant) => grant.principal.type === of.type && grant.principal.id === of.id)
      ?.permission;
  }

  async listPermissions(
    caller: Caller,
    object: { type: ObjectType; id: string },
  ): Promise<ObjectPermission[]> {
    return this.#ctx.identity.listPermissions(await this.#managedObject(caller, object));
  }

  // API tokens

  /**
   * Creates a token and returns it with its secret, the only time the secret is shown. One's own
   * tokens for anyone; another user's, or a service account's, for site administrators. A token
   * made with a workspace-limited token is limited to the same workspace. At most 20 a user per
   * 15 minutes (`REQUEST_LIMIT_EXCEEDED`).
   */
  createToken(caller: Caller, input: tokens.CreateTokenInput): Promise<{ token: string; info: ApiToken }> {
    return tokens.createToken(this.#ctx, caller, input);
  }

  /** One's own tokens, newest first (revoked and expired included); another user's for site administrators. */
  listTokens(caller: Caller, username?: string): Promise<ApiToken[]> {
    return tokens.listTokens(this.#ctx, caller, username);
  }

  /** One's own token, or anyone's for site administrators; another user's token is "not found". */
  revokeToken(caller: Caller, tokenId: string): Promise<void> {
    return tokens.revokeToken(this.#ctx, caller, tokenId);
  }

  /** Who the caller is, the workspace the request works in, what they may select and their roles. */
  async whoami(caller: Caller): Promise<WhoAmI> {
    const workspaces = await this.#ctx.access.visibleWorkspaces(caller);
    if (caller.user === null) return { user: null, workspace: caller.workspace, workspaces, roles: [] };
    const [user, subject] = await Promise.all([
      this.#ctx.identity.findUserById(caller.user.userId),
      this.#ctx.access.subject(caller.user.userId),
    ]);
    const roles = [...(subject?.workspaceRoles ?? [])]
      .filter(([workspace]) => caller.tokenWorkspace === null || caller.tokenWorkspace === workspace)
      .map(([workspace, role]) => ({ workspace, role }))
      .sort((a, b) => (a.workspace < b.workspace ? -1 : a.workspace > b.workspace ? 1 : 0));
    return {
      user: user === undefined ? null : publicUser(user),
      workspace: caller.workspace,
      workspaces,
      roles,
    };
  }

  /** A group's change concerns every member: forget every snapshot. */
  #forgetPrincipal(principal: PrincipalRef): void {
    this.#ctx.access.invalidate(principal.type === 'user' ? principal.id : undefined);
  }

  async #principal(input: PrincipalInput): Promise<PrincipalRef> {
    const user = input.user === undefined || input.user === '' ? undefined : input.user;
    const group = input.group === undefined || input.group === '' ? undefined : input.group;
    if ((user === undefined) === (group === undefined))
      throw invalid('Name exactly one principal: a user (username) or a group (group name).');
    if (user !== undefined) return { type: 'user', id: (await findUser(this.#ctx, user)).userId };
    return { type: 'group', id: (await findGroup(this.#ctx, group!)).groupId };
  }

  /** The workspace, when the caller may administer its roles: a site administrator, or its admin. */
  async #administeredWorkspace(caller: Caller, workspace: string): Promise<string> {
    const name = validateWorkspaceName(workspace);
    if (this.#ctx.access.isSiteAdmin(caller)) {
      if ((await this.#ctx.identity.findWorkspace(name)) === undefined) throw workspaceNotFound(name);
    } else {
      await this.#ctx.access.requireWorkspaceRole(caller, name, 'admin');
    }
    return name;
  }

  /** The object with its workspace, when the caller holds MANAGE on it; else as if it did not exist. */
  async #managedObject(caller: Caller, object: { type: ObjectType; id: string }): Promise<AccessTarget> {
    const type = parseObjectType(object.type);
    const id = object.id;
    if (typeof id !== 'string' || id === '' || id.length > maxObjectIdLength)
      throw invalid(`Invalid ${type} id: expected 1 to ${maxObjectIdLength} characters.`);
    const workspace = await this.#objectWorkspace(type, id);
    if (workspace === undefined) throw objectNotFound(type, id);
    const target: AccessTarget = { type, id, workspace };
    await this.#ctx.access.require(caller, target, 'MANAGE', () => objectNotFound(type, id));
    return target;
  }
}
