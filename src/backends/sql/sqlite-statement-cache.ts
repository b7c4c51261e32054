import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Wraps a better-sqlite3 database so that each distinct SQL text is prepared once. Kysely's SQLite
 * driver prepares every query it runs; the store's queries repeat with new parameters, and
 * preparing was an eighth of a `runs/get` request's CPU time. Least recently used statements are
 * dropped past `capacity` (SQL texts vary with list lengths, so the set is open-ended). A schema
 * change (`create`, `alter`, `drop`) empties the cache.
 *
 * Rows are read as arrays and made into objects here, with the column names read once per
 * statement: better-sqlite3 looks each column name up again for every row it makes, which cost
 * about a third of reading a row.
 */
export function withStatementCache(database: Database, capacity = 1000): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
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
        if (/^\s*(create|alter|drop)\b/i.test(sql)) statements.clear();
        statement = cachedStatement(database.prepare(sql));
        if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

function cachedStatement(statement: Statement): SqliteStatement {
  if (!statement.reader) return statement;
  statement.raw(true);
  let names = statement.columns().map((column) => column.name);
  const toObject = (values: unknown[]): Record<string, unknown> => {
    if (values.length !== names.length) names = statement.columns().map((column) => column.name);
    const row: Record<string, unknown> = {};
    // Assigned in column order: a repeated name keeps its last value, as better-sqlite3's objects do.
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
    return row;
  };
  return {
    reader: true,
    all: (parameters) => (statement.all(parameters) as unknown[][]).map(toObject),
    run: (parameters) => statement.run(parameters),
    iterate: function* (parameters) {
      for (const values of statement.iterate(parameters) as IterableIterator<unknown[]>)
        yield toObject(values);
    },
  };
}
