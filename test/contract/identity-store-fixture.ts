import type { Selectable } from 'kysely';
import { expect } from 'vitest';
import type { AuditStamp } from '../../src/core/audit/index.js';
import type { User } from '../../src/core/auth/index.js';
import { SqlIdentityStore, type SqlDatabase } from '../../src/backends/sql/index.js';
import type { AuditEventsTable } from '../../src/backends/sql/schema.js';
import type { Engine } from '../support/databases.js';
import { uniqueName, useSqlStore } from './sql-store-fixture.js';

export const stamp: AuditStamp = {
  actorId: 'actor-0001',
  actorName: 'root',
  requestId: 'req-1',
  ip: '10.0.0.1',
};

/** A ULID as core's credential patterns accept it. */
export const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Stands for a stored password hash: no audit row may ever contain it. */
export function fakeHash(label: string): string {
  return `$scrypt$ln=10,r=8,p=1$${label}-salt$${label}-secret-hash-${Math.random().toString(36).slice(2)}`;
}

export interface IdentityFixture {
  readonly store: SqlIdentityStore;
  readonly sqlDatabase: SqlDatabase;
}

/** A fresh, migrated database of `engine` for the calling file, with a `SqlIdentityStore` over it. */
export function useIdentityStore(engine: Engine, label: string): IdentityFixture {
  const fixture = useSqlStore(engine, label);
  let store: SqlIdentityStore | undefined;
  return {
    get store() {
      store ??= new SqlIdentityStore(fixture.sqlDatabase);
      return store;
    },
    get sqlDatabase() {
      return fixture.sqlDatabase;
    },
  };
}

export interface StoredEvent {
  eventId: number;
  time: number;
  actorId: string | null;
  actorName: string;
  action: string;
  objectType: string;
  objectId: string;
  workspace: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
  /** The row's text columns joined, to search for secrets. */
  raw: string;
}

export async function lastEventId(sqlDatabase: SqlDatabase): Promise<number> {
  const row = await sqlDatabase.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('event_id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** The audit rows written after `afterId`, oldest first, read straight from the table. */
export async function eventsAfter(sqlDatabase: SqlDatabase, afterId: number): Promise<StoredEvent[]> {
  const rows = await sqlDatabase.db
    .selectFrom('audit_events')
    .selectAll()
    .where('event_id', '>', afterId)
    .orderBy('event_id')
    .execute();
  return rows.map(storedEvent);
}

/** An `audit_events` row as the tests read it: camelCase, `before` and `after` parsed. */
export function storedEvent(row: Selectable<AuditEventsTable>): StoredEvent {
  return {
    eventId: Number(row.event_id),
    time: Number(row.time),
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    workspace: row.workspace,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
    requestId: row.request_id,
    ip: row.ip,
    raw: JSON.stringify(row),
  };
}

/** Runs `work` and returns the audit events it wrote. */
export async function eventsOf(
  sqlDatabase: SqlDatabase,
  work: () => Promise<unknown>,
): Promise<StoredEvent[]> {
  const marker = await lastEventId(sqlDatabase);
  await work();
  return eventsAfter(sqlDatabase, marker);
}

/** Asserts `work` wrote exactly one event, stamped with `stamp`, and returns it. */
export async function oneEventOf(
  sqlDatabase: SqlDatabase,
  work: () => Promise<unknown>,
): Promise<StoredEvent> {
  const events = await eventsOf(sqlDatabase, work);
  expect(events.map((e) => e.action)).toHaveLength(1);
  const [event] = events;
  expect(event).toMatchObject({
    actorId: stamp.actorId,
    actorName: stamp.actorName,
    requestId: stamp.requestId,
    ip: stamp.ip,
  });
  return event!;
}

/** Keys that must never appear in an audit snapshot. */
export const secretKeys = /passwordHash|password_hash|secretHash|secret_hash|"secret"/;

export async function newUser(
  store: SqlIdentityStore,
  overrides: Partial<{ username: string; isAdmin: boolean; passwordHash: string | null; now: number }> = {},
): Promise<User> {
  return store.createUser(
    {
      username: overrides.username ?? uniqueName('user'),
      displayName: 'A Person',
      kind: 'user',
      isAdmin: overrides.isAdmin ?? false,
      passwordHash: overrides.passwordHash === undefined ? fakeHash('user') : overrides.passwordHash,
      now: overrides.now ?? 1_000,
    },
    stamp,
  );
}

/** A workspace name no other test in this process uses (lowercase, as workspace names are). */
export function uniqueWorkspace(): string {
  return uniqueName('ws').toLowerCase();
}
