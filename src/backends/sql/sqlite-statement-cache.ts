import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Wraps a better-sqlite3 database so that each distinct SQL text is prepared once. Kysely's SQLite
 * driver prepares every query it runs; the store's queries repeat with new parameters, and
 * preparing was an eighth of a `runs/get` request's CPU time. Least recently used statements are
 * dropped past `capacity` (SQL texts vary with list lengths, so the set is open-ended).
 */
export function withStatementCache(database: Database, capacity = 1000): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (statement) {
        // Refresh its place in the LRU order.
        statements.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
