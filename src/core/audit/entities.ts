/**
 * The audit trail: append-only events, each written in the same transaction as the change it
 * records. `before` and `after` are JSON snapshots of what changed (never a secret: password
 * hashes, token secrets and session secrets are left out).
 */

/** Who made a change, and from where. Derived from the caller by `auditStamp`. */
export interface AuditStamp {
  /** Null for an unauthenticated caller (auth off) or the system itself. */
  actorId: string | null;
  /** The username; `anonymous` when auth is off, `system` for Keel itself (the first admin), `keel gc` for purges. */
  actorName: string;
  requestId?: string;
  ip?: string;
}

export const systemStamp: AuditStamp = { actorId: null, actorName: 'system' };

/**
 * Every action the trail records. `<object type>.<verb>`; later capabilities (registry, data,
 * pipelines) add theirs.
 */
export const auditActions = [
  'experiment.create',
  'experiment.rename',
  'experiment.delete',
  'experiment.restore',
  'experiment.purge',
  'run.create',
  'run.update',
  'run.delete',
  'run.restore',
  'run.purge',
  'logged_model.create',
  'logged_model.finalize',
  'logged_model.delete',
  'user.create',
  'user.update',
  'user.delete',
  'user.password_change',
  'group.create',
  'group.delete',
  'group.member_add',
  'group.member_remove',
  'workspace.create',
  'workspace.delete',
  'role.grant',
  'role.revoke',
  'permission.grant',
  'permission.revoke',
  'token.create',
  'token.revoke',
  'session.login',
  'session.logout',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** The object an event is about: `experiment`, `run`, `logged_model`, `user`, `group`, `workspace`, `token`, `session`, ... */
export type AuditObjectType =
  | 'experiment'
  | 'run'
  | 'logged_model'
  | 'user'
  | 'group'
  | 'workspace'
  | 'token'
  | 'session'
  | 'registered_model'
  | 'dataset';

/** One event as the store writes it, before it has an id and a time. */
export interface AuditRecord {
  action: AuditAction;
  objectType: AuditObjectType;
  objectId: string;
  /** The workspace of the object, when it has one. */
  workspace: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditEvent extends AuditRecord {
  /** Increasing: later events have larger ids. A decimal string. */
  eventId: string;
  time: number;
  actorId: string | null;
  actorName: string;
  requestId: string | null;
  ip: string | null;
}

/** A query over the trail: every field narrows; newest first; keyset-paged. */
export interface AuditQuery {
  actorName?: string;
  objectType?: AuditObjectType;
  objectId?: string;
  /** An exact action (`run.delete`) or a type prefix ending in `.` (`run.`). */
  action?: string;
  workspace?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  /** 1 to 1,000. */
  maxResults: number;
  pageToken?: string;
}

/** Reads the trail. Appending happens inside the stores that make the changes, never alone. */
export interface AuditStore {
  queryAuditEvents(query: AuditQuery): Promise<{ items: AuditEvent[]; nextPageToken?: string }>;
}
