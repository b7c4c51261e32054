import { sql, type Kysely } from 'kysely';
import { KeelError } from '../../core/errors.js';
import type { SqlCapabilities } from './dialect.js';
import type { KeelDatabase } from './schema.js';
import { inTransaction } from './sql-transaction.js';
import * as m0001 from './migrations/0001-tracking.js';
import * as m0002 from './migrations/0002-identity.js';

interface Migration {
  version: number;
  name: string;
  up(db: Kysely<unknown>, caps: SqlCapabilities): Promise<void>;
  /**
   * The migration rebuilds a table others reference (SQLite's way to change a constraint): on
   * SQLite, foreign keys are off around its transaction (a DROP TABLE would otherwise cascade) and
   * checked before commit.
   */
  rebuildsTables?: boolean;
}

/** Every migration, in order. Forward-only: a released migration is never edited. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'tracking', up: m0001.up },
  { version: 2, name: 'identity', up: m0002.up, rebuildsTables: true },
];

export const latestSchemaVersion = migrations[migrations.length - 1]!.version;

/**
 * Brings the database to the newest schema this build knows, each migration in its own transaction
 * (with the version row), and refuses a database that a newer Keel has migrated further.
 * Safe to call from several processes at once. `target` stops at an older version: upgrade tests
 * build the schema an earlier release left behind that way.
 */
export async function migrate(
  db: Kysely<KeelDatabase>,
  caps: SqlCapabilities,
  options: { target?: number } = {},
): Promise<{ from: number; to: number }> {
  await db.schema
    .createTable('keel_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();

  const from = await currentVersion(db);
  assertNotNewer(from);
  for (const migration of migrations) {
    if (migration.version <= from || migration.version > (options.target ?? latestSchemaVersion)) continue;
    const foreignKeysOff = migration.rebuildsTables === true && caps.engine === 'sqlite';
    // SQLite ignores this pragma inside a transaction; its one connection keeps it until set back.
    if (foreignKeysOff) await sql`pragma foreign_keys = off`.execute(db);
    try {
      await applyMigration(db, caps, migration, foreignKeysOff);
    } finally {
      if (foreignKeysOff) await sql`pragma foreign_keys = on`.execute(db);
    }
  }
  return { from, to: await currentVersion(db) };
}

async function applyMigration(
  db: Kysely<KeelDatabase>,
  caps: SqlCapabilities,
  migration: Migration,
  checkForeignKeys: boolean,
): Promise<void> {
  // Begun as a write (SQLite takes its write lock up front): a second process migrating the same
  // file waits here and then finds the version applied, instead of failing on a stale snapshot.
  await inTransaction({ db, caps }, async (trx) => {
    if (caps.migrationLock) await caps.migrationLock.execute(trx);
    // Another process may have applied it while this one waited for the lock.
    const applied = await trx
      .selectFrom('keel_migrations')
      .select('version')
      .where('version', '=', migration.version)
      .executeTakeFirst();
    if (applied) return;
    await migration.up(trx as unknown as Kysely<unknown>, caps);
    if (checkForeignKeys) {
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0)
        throw new Error(`Migration ${migration.version} would break ${broken.rows.length} foreign keys.`);
    }
    await trx
      .insertInto('keel_migrations')
      .values({ version: migration.version, name: migration.name, applied_at: Date.now() })
      .execute();
  });
}

/** The schema version the database is at; 0 for an empty database. */
export async function currentVersion(db: Kysely<KeelDatabase>): Promise<number> {
  const row = await db
    .selectFrom('keel_migrations')
    .select(sql<number>`max(version)`.as('version'))
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

export function assertNotNewer(version: number): void {
  if (version > latestSchemaVersion) {
    throw new KeelError(
      'INVALID_STATE',
      `The database is at schema version ${version}, newer than this Keel understands (${latestSchemaVersion}). ` +
        'Upgrade Keel to a release that knows this schema; an older Keel must not write to it.',
    );
  }
}
