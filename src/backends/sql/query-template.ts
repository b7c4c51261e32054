import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { SqlCapabilities } from './dialect.js';
import type { Db } from './sql-transaction.js';

/** Stands, while a template compiles, for the value at `index` among the leaves of its values. */
class Slot {
  constructor(readonly index: number) {}
}

interface Compiled {
  sql: string;
  /** The compiled parameters: a `Slot` where a value goes, else a constant of the query. */
  bindings: readonly unknown[];
}

const maxShapes = 64;

/**
 * A hot query of fixed shape, built and compiled by Kysely once per engine and shape, then run with
 * new values: building and compiling cost more than SQLite's own work on small queries, and the same
 * SQL text lets SQLite reuse its prepared statement. The cache is a pure function of engine and
 * shape, so templates can live at module level and be shared by any number of databases.
 *
 * `build` gets stand-ins shaped like the values (arrays and plain objects are walked; anything else
 * is a leaf), plus the engine's capabilities, and may only place each leaf in the query as a value,
 * never compute with it. `shapeOf`
 * names the shape: values of one shape have the same array lengths and the same object keys in the
 * same order; a leaf is never `undefined` (Kysely would leave such a column out). At most 64 shapes
 * are kept (least recently used dropped). A database with plugins gets the query built afresh.
 *
 * @example
 * const runState = new QueryTemplate((db, runId: string) =>
 *   db.selectFrom('runs').select('lifecycle_stage').where('run_uuid', '=', runId),
 * );
 * const { rows } = await runState.execute(trx, caps, runId);
 */
export class QueryTemplate<V, R> {
  readonly #compiled = new Map<string, Compiled>();

  constructor(
    private readonly build: (db: Db, values: V, caps: SqlCapabilities) => Compilable<R>,
    private readonly shapeOf: (values: V) => string | number = () => '',
  ) {}

  execute(db: Db, caps: SqlCapabilities, values: V): Promise<QueryResult<R>> {
    // Plugins rewrite the query tree they are shown: a database with plugins gets the query built
    // from the real values, as if there were no template.
    if (db.getExecutor().plugins.length > 0) return db.executeQuery(this.build(db, values, caps));
    const key = `${caps.engine}:${this.shapeOf(values)}`;
    let compiled = this.#compiled.get(key);
    if (compiled) {
      this.#compiled.delete(key);
    } else {
      const query = this.build(db, standIns(values, { next: 0 }) as V, caps).compile();
      compiled = { sql: query.sql, bindings: query.parameters };
      if (this.#compiled.size >= maxShapes) this.#compiled.delete(this.#compiled.keys().next().value!);
    }
    this.#compiled.set(key, compiled);
    const leaves: unknown[] = [];
    collectLeaves(values, leaves);
    const parameters = compiled.bindings.map((binding) =>
      binding instanceof Slot ? leaves[binding.index] : binding,
    );
    return db.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>);
  }
}

function isWalked(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)
  );
}

function standIns(value: unknown, counter: { next: number }): unknown {
  if (Array.isArray(value)) return value.map((item) => standIns(item, counter));
  if (isWalked(value)) {
    const out: Record<string, unknown> = {};
    for (const key in value) out[key] = standIns(value[key], counter);
    return out;
  }
  return new Slot(counter.next++);
}

function collectLeaves(value: unknown, out: unknown[]): void {
  // Most leaves are primitives: test for them first (a 1000-row insert has 6000).
  if (typeof value !== 'object' || value === null) {
    out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectLeaves(item, out);
  } else if (isWalked(value)) {
    for (const key in value) collectLeaves(value[key], out);
  } else {
    out.push(value);
  }
}
