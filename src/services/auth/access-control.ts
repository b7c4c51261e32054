import {
  defaultWorkspace,
  effectivePermission,
  objectKey,
  permits,
  readableObjects,
  roleRank,
  strongerPermission,
  strongerRole,
  validateWorkspaceName,
  workspaceRole,
  type AccessSubject,
  type AccessTarget,
  type Caller,
  type IdentityStore,
  type ObjectType,
  type Permission,
  type ReadableObjects,
  type Role,
  type Workspace,
} from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import { LoadingCache } from './loading-cache.js';
import { workspaceNotFound } from './not-found.js';

export interface AccessControlOptions {
  identity: IdentityStore;
  /** How long a user's access snapshot (and a workspace's existence) is reused: 1000 ms by default. */
  cacheTtlMs?: number;
  /** The clock, epoch milliseconds. */
  now?: () => number;
  /** The most users whose snapshots are kept: 10,000 by default. */
  maxCachedUsers?: number;
}

export const defaultCacheTtlMs = 1000;

/** Stands for a user deleted since they authenticated: holds nothing anywhere. */
const nobody: AccessSubject = Object.freeze({
  userId: '',
  username: '',
  kind: 'user',
  isAdmin: false,
  disabled: true,
  credentialsChangedTime: 0,
  groupIds: [],
  workspaceRoles: new Map(),
  userGrants: new Map(),
  groupGrants: new Map(),
});

/**
 * Decides what a caller may do, by the rules of `effectivePermission` in core, over per-user
 * snapshots (`AccessSubject`) loaded from the identity store and reused for `cacheTtlMs`: on a warm
 * cache a check costs no database round trip. Concurrent requests of one user load their snapshot
 * once. A change made through this process calls `invalidate`, so it applies at once here; other
 * replicas see it within the TTL.
 *
 * A caller whose `user` is null (authentication off) may do everything.
 *
 * @example
 * await access.require(caller, { type: 'experiment', id: '12', workspace: 'default' }, 'EDIT',
 *   () => new KeelError('RESOURCE_DOES_NOT_EXIST', 'No Experiment with id=12 exists'));
 */
export class AccessControl {
  readonly #identity: IdentityStore;
  readonly #subjects: LoadingCache<string, AccessSubject | undefined>;
  readonly #workspaces: LoadingCache<string, Workspace | undefined>;

  constructor(options: AccessControlOptions) {
    this.#identity = options.identity;
    const ttlMs = options.cacheTtlMs ?? defaultCacheTtlMs;
    const now = options.now ?? Date.now;
    this.#subjects = new LoadingCache({ ttlMs, maxEntries: options.maxCachedUsers ?? 10_000, now });
    this.#workspaces = new LoadingCache({ ttlMs, maxEntries: 1000, now });
  }

  /** The user's access snapshot (cached); undefined for an unknown user. */
  subject(userId: string): Promise<AccessSubject | undefined> {
    return this.#subjects.get(userId, (id) => this.#load(id));
  }

  /** Forgets the snapshot of one user, or every cached snapshot and workspace when no id is given. */
  invalidate(userId?: string): void {
    if (userId !== undefined) {
      this.#subjects.delete(userId);
      return;
    }
    this.#subjects.clear();
    this.#workspaces.clear();
  }

  /** The caller's effective permission on `target`; MANAGE when authentication is off. */
  async permissionOn(caller: Caller, target: AccessTarget): Promise<Permission> {
    if (caller.user === null) return 'MANAGE';
    return effectivePermission(await this.#subjectOf(caller.user.userId), target, caller.tokenWorkspace);
  }

  /**
   * Passes when the caller holds `needed` on `target`. Without even READ it throws `notFound()`
   * (the error a missing object gets, so nothing leaks); with READ but less than `needed`,
   * `PERMISSION_DENIED`.
   *
   * Decided synchronously (returning nothing, or throwing) when the caller's snapshot is cached, as
   * it is on the hot path; a promise only when the snapshot must be loaded. Await it either way.
   */
  require(
    caller: Caller,
    target: AccessTarget,
    needed: Permission,
    notFound: () => KeelError,
  ): void | Promise<void> {
    const user = caller.user;
    if (user === null) return;
    const cached = this.#subjects.peek(user.userId);
    if (cached !== undefined) return this.#decide(cached, caller, target, needed, notFound);
    return this.#subjectOf(user.userId).then((subject) =>
      this.#decide(subject, caller, target, needed, notFound),
    );
  }

  /**
   * `require` from the cache alone: true when the caller passes, false when their snapshot is not
   * cached (then await `require`); a refusal throws exactly what `require` would.
   */
  passes(caller: Caller, target: AccessTarget, needed: Permission, notFound: () => KeelError): boolean {
    const user = caller.user;
    if (user === null) return true;
    const subject = this.#subjects.peek(user.userId);
    if (subject === undefined) return false;
    this.#decide(subject, caller, target, needed, notFound);
    return true;
  }

  /** The snapshot of a user when it is cached and fresh; never loads. */
  cachedSubject(userId: string): AccessSubject | undefined {
    return this.#subjects.peek(userId);
  }

  #decide(
    subject: AccessSubject,
    caller: Caller,
    target: AccessTarget,
    needed: Permission,
    notFound: () => KeelError,
  ): void {
    const held = effectivePermission(subject, target, caller.tokenWorkspace);
    if (permits(held, needed)) return;
    if (!permits(held, 'READ')) throw notFound();
    throw new KeelError(
      'PERMISSION_DENIED',
      `Permission denied: ${caller.user!.username} needs ${needed} on ${target.type} ${target.id}.`,
    );
  }

  /**
   * Passes when the caller holds at least `role` in `workspace` (site administrators hold admin
   * everywhere). No role there: `RESOURCE_DOES_NOT_EXIST` "Workspace 'x' not found"; a weaker one:
   * `PERMISSION_DENIED`.
   */
  async requireWorkspaceRole(caller: Caller, workspace: string, role: Role): Promise<void> {
    const user = caller.user;
    if (user === null) return;
    const held = workspaceRole(await this.#subjectOf(user.userId), workspace, caller.tokenWorkspace);
    if (held === undefined) throw workspaceNotFound(workspace);
    if (roleRank(held) < roleRank(role)) {
      throw new KeelError(
        'PERMISSION_DENIED',
        `Permission denied: ${user.username} needs the ${role} role in workspace '${workspace}'.`,
      );
    }
  }

  /**
   * Which objects of `type` in `workspace` the caller may read, as a store filter; undefined means
   * all of them (authentication off, or a site administrator).
   */
  async readable(caller: Caller, type: ObjectType, workspace: string): Promise<ReadableObjects | undefined> {
    if (caller.user === null) return undefined;
    const subject = await this.#subjectOf(caller.user.userId);
    const unlimited = caller.tokenWorkspace === null || caller.tokenWorkspace === workspace;
    if (subject.isAdmin && !subject.disabled && unlimited) return undefined;
    return readableObjects(subject, type, workspace, caller.tokenWorkspace);
  }

  /**
   * True for a site administrator using a credential not limited to one workspace, and when
   * authentication is off.
   */
  isSiteAdmin(caller: Caller): boolean {
    return caller.user === null || (caller.user.isAdmin && caller.tokenWorkspace === null);
  }

  /** `PERMISSION_DENIED` unless `isSiteAdmin(caller)`. */
  requireAdmin(caller: Caller): void {
    if (this.isSiteAdmin(caller)) return;
    const user = caller.user!;
    throw new KeelError(
      'PERMISSION_DENIED',
      user.isAdmin
        ? `Permission denied: a token limited to workspace '${caller.tokenWorkspace}' cannot administer the site.`
        : `Permission denied: ${user.username} is not a site administrator.`,
    );
  }

  /**
   * The workspaces the caller may select, by name: every one for a site administrator (and with
   * authentication off); else `default` and those where the caller holds a role. A token limited to
   * one workspace sees only that one.
   */
  async visibleWorkspaces(caller: Caller): Promise<Workspace[]> {
    const all = await this.#identity.listWorkspaces();
    if (caller.user === null) return all;
    const subject = await this.#subjectOf(caller.user.userId);
    return all.filter((workspace) => this.#sees(caller, subject, workspace.name));
  }

  /**
   * The workspace a request works in: `requested` (the `X-Keel-Workspace` header) when valid and
   * visible to the caller, else `RESOURCE_DOES_NOT_EXIST` "Workspace 'x' not found" (whether it
   * exists or is hidden); without a request, the caller's token workspace or `default`.
   */
  async resolveWorkspace(caller: Caller, requested: string | undefined): Promise<string> {
    if (requested === undefined || requested === '') return caller.tokenWorkspace ?? defaultWorkspace;
    const name = validateWorkspaceName(requested);
    if (caller.tokenWorkspace !== null && caller.tokenWorkspace !== name) throw workspaceNotFound(name);
    if (caller.user === null || caller.user.isAdmin) {
      if (name === defaultWorkspace) return name;
      const found = await this.#workspaces.get(name, (key) => this.#identity.findWorkspace(key));
      if (found === undefined) throw workspaceNotFound(name);
      return name;
    }
    if (this.#sees(caller, await this.#subjectOf(caller.user.userId), name)) return name;
    throw workspaceNotFound(name);
  }

  #sees(caller: Caller, subject: AccessSubject, workspace: string): boolean {
    if (subject.disabled) return false;
    if (caller.tokenWorkspace !== null && caller.tokenWorkspace !== workspace) return false;
    return subject.isAdmin || workspace === defaultWorkspace || subject.workspaceRoles.has(workspace);
  }

  async #subjectOf(userId: string): Promise<AccessSubject> {
    return this.#subjects.peek(userId) ?? (await this.subject(userId)) ?? nobody;
  }

  async #load(userId: string): Promise<AccessSubject | undefined> {
    const [user, groupIds] = await Promise.all([
      this.#identity.findUserById(userId),
      this.#identity.groupIdsOf(userId),
    ]);
    if (user === undefined) return undefined;
    const [bindings, grants] = await Promise.all([
      this.#identity.rolesOf(userId, groupIds),
      this.#identity.permissionsOf(userId, groupIds),
    ]);
    const workspaceRoles = new Map<string, Role>();
    for (const { workspace, role } of bindings) {
      const held = workspaceRoles.get(workspace);
      workspaceRoles.set(workspace, held === undefined ? role : strongerRole(held, role));
    }
    const userGrants = new Map<string, Permission>();
    const groupGrants = new Map<string, Permission>();
    for (const grant of grants) {
      const key = objectKey(grant.objectType, grant.objectId);
      if (grant.principal.type === 'user') {
        if (grant.principal.id === userId) userGrants.set(key, grant.permission);
        continue;
      }
      const held = groupGrants.get(key);
      groupGrants.set(
        key,
        held === undefined ? grant.permission : strongerPermission(held, grant.permission),
      );
    }
    return {
      userId: user.userId,
      username: user.username,
      kind: user.kind,
      isAdmin: user.isAdmin,
      disabled: user.disabled,
      credentialsChangedTime: user.credentialsChangedTime,
      groupIds,
      workspaceRoles,
      userGrants,
      groupGrants,
    };
  }
}
