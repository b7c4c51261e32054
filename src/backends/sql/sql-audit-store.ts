import { sql, type Selectable } from 'kysely';
import type {
  AuditAction,
  AuditEvent,
  AuditObjectType,
  AuditQuery,
  AuditStore,
} from '../../core/audit/index.js';
import { KeelError } from '../../core/errors.js';
import { decodePageToken, encodePageToken } from '../../core/tracking/index.js';
import { translateDriverError } from './driver-errors.js';
import type { SqlDatabase } from './open-database.js';
import type { AuditEventsTable } from './schema.js';

/** The most events one page holds. */
export const MAX_AUDIT_PAGE = 1000;

function eventFromRow(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    eventId: String(row.event_id),
    time: Number(row.time),
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action as AuditAction,
    objectType: row.object_type as AuditObjectType,
    objectId: row.object_id,
    workspace: row.workspace,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
    requestId: row.request_id,
    ip: row.ip,
  };
}

function isPosition(payload: unknown): payload is { before: number } {
  const before = (payload as { before?: unknown } | null)?.before;
  return typeof before === 'number' && Number.isSafeInteger(before);
}

/**
 * Reads the audit trail from SQLite or PostgreSQL: newest first (by event id, which only grows),
 * keyset-paged by the last event id seen, every filter narrowing.
 *
 * @example
 * const audit = new SqlAuditStore(sqlDatabase);
 * const { items, nextPageToken } = await audit.queryAuditEvents({ action: 'run.', maxResults: 100 });
 */
export class SqlAuditStore implements AuditStore {
  constructor(private readonly sqlDatabase: SqlDatabase) {}

  async queryAuditEvents(query: AuditQuery): Promise<{ items: AuditEvent[]; nextPageToken?: string }> {
    const { maxResults } = query;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_AUDIT_PAGE) {
      throw new KeelError(
        'INVALID_PARAMETER_VALUE',
        `Invalid max_results ${maxResults}: ask for 1 to ${MAX_AUDIT_PAGE} events per page.`,
      );
    }
    // A token resumes only the query it came from: every filter is part of its scope.
    const scope = JSON.stringify([
      'audit',
      query.actorName,
      query.objectType,
      query.objectId,
      query.action,
      query.workspace,
      query.since,
      query.until,
    ]);
    const start = query.pageToken ? decodePageToken(query.pageToken, scope, isPosition) : undefined;

    let qb = this.sqlDatabase.db.selectFrom('audit_events').selectAll();
    if (query.actorName !== undefined) qb = qb.where('actor_name', '=', query.actorName);
    if (query.objectType !== undefined) qb = qb.where('object_type', '=', query.objectType);
    if (query.objectId !== undefined) qb = qb.where('object_id', '=', query.objectId);
    if (query.workspace !== undefined) qb = qb.where('workspace', '=', query.workspace);
    if (query.since !== undefined) qb = qb.where('time', '>=', query.since);
    if (query.until !== undefined) qb = qb.where('time', '<', query.until);
    if (query.action !== undefined) {
      // A prefix (`run.`) compares the action's first characters for equality: no LIKE pattern
      // for a user's `%` or `_` to widen, and no collation-dependent range.
      qb = query.action.endsWith('.')
        ? qb.where(sql`substr(action, 1, ${[...query.action].length})`, '=', query.action)
        : qb.where('action', '=', query.action);
    }
    if (start) qb = qb.where('event_id', '<', start.before);

    let rows: Selectable<AuditEventsTable>[];
    try {
      rows = await qb
        .orderBy('event_id', 'desc')
        .limit(maxResults + 1)
        .execute();
    } catch (error) {
      throw translateDriverError(error);
    }
    const items = rows.slice(0, maxResults).map(eventFromRow);
    if (rows.length <= maxResults) return { items };
    const last = rows[maxResults - 1]!;
    return { items, nextPageToken: encodePageToken({ before: Number(last.event_id) }, scope) };
  }
}
