import { validateWorkspaceName, workspaceRole, type Caller } from '../../core/auth/index.js';
import type { AuditEvent, AuditObjectType, AuditQuery, AuditStore } from '../../core/audit/index.js';
import { KeelError } from '../../core/errors.js';
import type { AccessControl } from '../auth/index.js';

export interface AuditServiceOptions {
  store: AuditStore;
  access: AccessControl;
}

export const defaultAuditPageSize = 100;
export const maxAuditPageSize = 1000;

/** What `objectType` may be: a typo is refused rather than answered with an empty page. */
const auditObjectTypes: readonly AuditObjectType[] = [
  'experiment',
  'run',
  'logged_model',
  'user',
  'group',
  'workspace',
  'token',
  'session',
  'registered_model',
  'dataset',
];

/**
 * Reads the audit trail. Site administrators read all of it; a workspace's admins read that
 * workspace's events and must say so (`workspace`); nobody else reads it. With authentication off
 * everything is readable, as everything else is.
 *
 * @example
 * const page = await audit.query(caller, { workspace: 'vision', action: 'experiment.', maxResults: 50 });
 */
export class AuditService {
  readonly #store: AuditStore;
  readonly #access: AccessControl;

  constructor(options: AuditServiceOptions) {
    this.#store = options.store;
    this.#access = options.access;
  }

  /** Newest first, keyset-paged; `maxResults` 1 to 1,000 (100 when absent). */
  async query(
    caller: Caller,
    q: Partial<AuditQuery> & { maxResults?: number },
  ): Promise<{ items: AuditEvent[]; nextPageToken?: string }> {
    const workspace =
      q.workspace === undefined || q.workspace === '' ? undefined : validateWorkspaceName(q.workspace);
    const maxResults = q.maxResults ?? defaultAuditPageSize;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > maxAuditPageSize) {
      throw new KeelError(
        'INVALID_PARAMETER_VALUE',
        `Invalid max_results ${String(maxResults)}: use a whole number from 1 to ${maxAuditPageSize}.`,
      );
    }
    if (q.objectType !== undefined && !auditObjectTypes.includes(q.objectType)) {
      throw new KeelError(
        'INVALID_PARAMETER_VALUE',
        `Invalid object_type '${String(q.objectType).slice(0, 64)}': use one of ${auditObjectTypes.join(', ')}.`,
      );
    }
    for (const [field, value] of [
      ['since', q.since],
      ['until', q.until],
    ] as const) {
      if (value !== undefined && !Number.isSafeInteger(value))
        throw new KeelError('INVALID_PARAMETER_VALUE', `Invalid ${field}: expected epoch milliseconds.`);
    }
    if (!this.#access.isSiteAdmin(caller) && !(await this.#administers(caller, workspace))) {
      throw new KeelError(
        'PERMISSION_DENIED',
        'Permission denied: the audit trail is for site administrators, and for workspace admins who ask for their workspace (workspace=<name>).',
      );
    }
    return this.#store.queryAuditEvents({ ...q, workspace, maxResults, pageToken: q.pageToken || undefined });
  }

  async #administers(caller: Caller, workspace: string | undefined): Promise<boolean> {
    if (workspace === undefined || caller.user === null) return false;
    const subject = await this.#access.subject(caller.user.userId);
    return subject !== undefined && workspaceRole(subject, workspace, caller.tokenWorkspace) === 'admin';
  }
}
