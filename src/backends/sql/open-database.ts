import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { KeelError } from '../../core/errors.js';
import { postgresCapabilities, sqliteCapabilities, type SqlCapabilities } from './dialect.js';
import type { KeelDatabase } from './schema.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export interface SqlDatabase {
  db: Kysely<KeelDatabase>;
  caps: SqlCapabilities;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL pool size per process. */
  poolSize?: number;
}

/**
 * Opens the metadata database named by an MLflow-style URI: `sqlite:///relative/path.db`,
 * `sqlite:////absolute/path.db`, `sqlite:///:memory:`, or `postgresql://user@host:port/db`
 * (also `postgres://`). Opening connects but does not migrate: call `migrate()`.
 */
export function openDatabase(uri: string, options: OpenDatabaseOptions = {}): SqlDatabase {
  if (uri.startsWith('sqlite://')) return openSqlite(uri);
  if (uri.startsWith('postgresql://') || uri.startsWith('postgres://') || uri.startsWith('postgresql+')) {
    return openPostgres(uri.replace(/^postgresql\+\w+:/, 'postgresql:'), options);
  }
  throw new KeelError(
    'INVALID_PARAMETER_VALUE',
    `Unsupported backend store URI '${redactUri(uri)}': use sqlite:///path/to/keel.db or postgresql://user@host:5432/db`,
  );
}

function openSqlite(uri: string): SqlDatabase {
  // sqlite:///rel.db -> rel.db ; sqlite:////abs.db -> /abs.db ; sqlite:///:memory: -> :memory:
  const path = uri.slice('sqlite:///'.length);
  if (path === '') throw new KeelError('INVALID_PARAMETER_VALUE', `No file in SQLite URI '${uri}'`);
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  const db = new Kysely<KeelDatabase>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    db,
    caps: sqliteCapabilities,
    close: async () => {
      await db.destroy();
    },
  };
}

function openPostgres(uri: string, options: OpenDatabaseOptions): SqlDatabase {
  const pool = new pg.Pool({
    connectionString: uri,
    max: options.poolSize ?? 10,
    // BIGINT columns hold epoch milliseconds and steps: read them as numbers, not strings.
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
    },
  });
  // An idle pooled connection that the server drops (restart, failover, admin termination) emits
  // 'error' on the pool; the pool discards it and the next query connects anew. Unhandled, that
  // event would crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<KeelDatabase>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    caps: postgresCapabilities,
    close: async () => {
      await db.destroy();
    },
  };
}

/** The URI without its password, for messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}
