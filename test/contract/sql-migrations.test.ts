import { describe, expect, it } from 'vitest';
import { currentVersion, latestSchemaVersion, migrate } from '../../src/backends/sql/index.js';
import { engines } from '../support/databases.js';
import { expectKeelError, useSqlStore } from './sql-store-fixture.js';

for (const engine of engines) {
  describe(`SQL migrations (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_migrate');

    it('migrates a new database to the latest version, and again is a no-op', async () => {
      const { db, caps } = fixture.sqlDatabase;
      expect(await currentVersion(db)).toBe(latestSchemaVersion);
      expect(await migrate(db, caps)).toEqual({ from: latestSchemaVersion, to: latestSchemaVersion });
      await Promise.all([migrate(db, caps), migrate(db, caps)]);
      expect(await currentVersion(db)).toBe(latestSchemaVersion);
    });

    it('refuses a database that a newer Keel migrated further', async () => {
      const { db, caps } = fixture.sqlDatabase;
      await db
        .insertInto('keel_migrations')
        .values({ version: 999, name: 'from-the-future', applied_at: 1 })
        .execute();
      try {
        await expectKeelError(
          migrate(db, caps),
          'INVALID_STATE',
          /schema version 999, newer than this Keel understands/,
        );
        expect(await currentVersion(db)).toBe(999);
      } finally {
        await db.deleteFrom('keel_migrations').where('version', '=', 999).execute();
      }
    });
  });
}
