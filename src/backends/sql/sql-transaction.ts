import { CompiledQuery, type Kysely } from 'kysely';
import type { SqlCapabilities } from './dialect.js';
import { classifyDriverError } from './driver-errors.js';
import type { KeelDatabase } from './schema.js';

/** A pool, or one connection inside a transaction: store code runs on either. */
export type Db = Kysely<KeelDatabase>;
/** A connection inside a transaction begun by `inTransaction`. */
export type Trx = Kysely<KeelDatabase>;

/** What store code needs of an open database (`SqlDatabase` fits; so does a transaction with its caps). */
export interface SqlSource {
  db: Db;
  caps: SqlCapabilities;
}

const maxAttempts = 3;
const commit = CompiledQuery.raw('commit');
const rollback = CompiledQuery.raw('rollback');
// Compiled once per capability set (there are two): a transaction's own statements stay off the builder.
const beginStatements = new WeakMap<SqlCapabilities, CompiledQuery>();

/**
 * Runs `work` in one write transaction on one connection (begun with `caps.beginWrite`). A
 * deadlock, serialization failure or busy database rolls back everything, so the whole transaction
 * is retried (up to 3 attempts) before the failure reaches the caller.
 */
export async function inTransaction<T>({ db, caps }: SqlSource, work: (trx: Trx) => Promise<T>): Promise<T> {
  const begin = beginStatements.get(caps) ?? caps.beginWrite.compile(db);
  beginStatements.set(caps, begin);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.connection().execute(async (connection) => {
        await connection.executeQuery(begin);
        try {
          const result = await work(connection);
          await connection.executeQuery(commit);
          return result;
        } catch (error) {
          // A failed statement (or commit) leaves the transaction open on SQLite: end it before
          // the connection is reused. If the connection itself is broken this fails too.
          await connection.executeQuery(rollback).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      if (attempt >= maxAttempts || classifyDriverError(error) !== 'conflict') throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}
