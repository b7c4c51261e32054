import type { AuditRecord, AuditStamp } from '../../core/audit/index.js';
import type { SqlCapabilities } from './dialect.js';
import { QueryTemplate } from './query-template.js';
import type { AuditEventsTable } from './schema.js';
import type { Trx } from './sql-transaction.js';
import { chunked, rowsPerStatement } from './statement-chunks.js';

type AuditRow = Omit<AuditEventsTable, 'event_id'>;

// A template: run creation appends an event on every call, and building the insert each time
// would cost more than SQLite's work on it.
const insertEvent = new QueryTemplate((db, row: AuditRow) => db.insertInto('audit_events').values(row));

/**
 * Appends one audit event inside the caller's transaction: the event commits with the change it
 * records, or neither does. `before` and `after` are stored as JSON (null when absent). Given the
 * engine's capabilities, the insert is compiled once and reused (for hot paths such as run creation).
 */
export async function appendAuditEvent(
  trx: Trx,
  record: AuditRecord,
  stamp: AuditStamp,
  now: number,
  caps?: SqlCapabilities,
): Promise<void> {
  const row = auditRow(record, stamp, now);
  if (caps) await insertEvent.execute(trx, caps, row);
  else await trx.insertInto('audit_events').values(row).execute();
}

/** As `appendAuditEvent` for many events (a purge writes one per entity), in multi-row inserts. */
export async function appendAuditEvents(
  trx: Trx,
  records: readonly AuditRecord[],
  stamp: AuditStamp,
  now: number,
  caps: SqlCapabilities,
): Promise<void> {
  const rows = records.map((record) => auditRow(record, stamp, now));
  for (const slice of chunked(rows, rowsPerStatement(caps, 11))) {
    await trx.insertInto('audit_events').values(slice).execute();
  }
}

function auditRow(record: AuditRecord, stamp: AuditStamp, now: number): AuditRow {
  return {
    time: now,
    actor_id: stamp.actorId,
    actor_name: stamp.actorName,
    action: record.action,
    object_type: record.objectType,
    object_id: record.objectId,
    workspace: record.workspace,
    before: toJson(record.before),
    after: toJson(record.after),
    request_id: stamp.requestId ?? null,
    ip: stamp.ip ?? null,
  };
}

function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
