import { sql, type RawBuilder } from 'kysely';

/**
 * What differs between SQLite and PostgreSQL, as capability flags and small builders. Query code
 * asks these; it never branches on the engine's name.
 */
export interface SqlCapabilities {
  readonly engine: 'sqlite' | 'postgres';
  /** Column type for an auto-incrementing integer primary key. */
  readonly autoIncrementType: 'integer' | 'serial';
  /** Whether `LIKE` is case-sensitive as MLflow's `LIKE` is (SQLite's is not: use GLOB there). */
  readonly likeIsCaseSensitive: boolean;
  /** Whether the engine has `ILIKE` (else `lower(x) LIKE lower(p)`). */
  readonly hasIlike: boolean;
  /** Most bound parameters one statement may carry. */
  readonly maxBindParameters: number;
  /**
   * Most rows one multi-row INSERT on a hot write path carries. SQLite runs one long VALUES list
   * slower than several of 100 rows (about 20% on 1000 metrics); PostgreSQL pays a round trip per
   * statement, so it takes as many rows as the bound parameters allow.
   */
  readonly maxInsertRows: number;
  /** Serialises concurrent migrators (PostgreSQL advisory lock; SQLite's write lock does it alone). */
  readonly migrationLock: RawBuilder<unknown> | undefined;
  /**
   * Starts a transaction that will write. SQLite takes the write lock up front (`immediate`), so a
   * writer waits for another connection's write (busy timeout) instead of failing on a stale read
   * snapshot; PostgreSQL locks rows as it goes.
   */
  readonly beginWrite: RawBuilder<unknown>;
  /**
   * Whether a read inside a write transaction must lock the rows it checks (`SELECT ... FOR SHARE` /
   * `FOR UPDATE`) so a concurrent writer cannot change them before commit: PostgreSQL's READ
   * COMMITTED needs it; SQLite's `begin immediate` already serialises writers (and has no such clause).
   * Apply it with `lockRows`.
   */
  readonly rowLocks: boolean;
}

export const sqliteCapabilities: SqlCapabilities = {
  engine: 'sqlite',
  autoIncrementType: 'integer',
  likeIsCaseSensitive: false,
  hasIlike: false,
  maxBindParameters: 32_000,
  maxInsertRows: 100,
  migrationLock: undefined,
  beginWrite: sql`begin immediate`,
  rowLocks: false,
};

export const postgresCapabilities: SqlCapabilities = {
  engine: 'postgres',
  autoIncrementType: 'serial',
  likeIsCaseSensitive: true,
  hasIlike: true,
  maxBindParameters: 65_000,
  maxInsertRows: 65_000,
  migrationLock: sql`select pg_advisory_xact_lock(7142001)`,
  beginWrite: sql`begin`,
  rowLocks: true,
};

/** A select query's row-lock clauses, as Kysely's `SelectQueryBuilder` has them. */
interface Lockable<Q> {
  forShare(): Q;
  forUpdate(): Q;
}

/**
 * `query` with `FOR SHARE` (the rows may not change until commit) or `FOR UPDATE` (only this
 * transaction may change them) where the engine needs row locks (`caps.rowLocks`); else unchanged.
 */
export function lockRows<Q extends Lockable<Q>>(
  query: Q,
  caps: SqlCapabilities,
  mode: 'share' | 'update',
): Q {
  if (!caps.rowLocks) return query;
  return mode === 'share' ? query.forShare() : query.forUpdate();
}

/**
 * Translates an SQL LIKE pattern (`%`, `_`) into a GLOB pattern for a case-sensitive match on
 * engines whose LIKE ignores case.
 */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[' || ch === ']') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}
