import fc from 'fast-check';
import { Kysely, sql, SqliteDialect } from 'kysely';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../core/errors.js';
import { encodePageToken } from '../../../core/tracking/index.js';
import {
  decodeKeysetToken,
  encodeKeysetToken,
  keysetAfter,
  orderByComponents,
  selectComponents,
  sortValuesOf,
  type SortComponent,
} from './keyset.js';

interface Table {
  t: { id: number; a: number | null; b: string | null; c: number };
}

const components = (directions: boolean[], nullable: boolean): SortComponent[] => [
  { expr: sql.ref('a'), descending: directions[0]!, nullable, type: 'integer' },
  { expr: sql.ref('b'), descending: directions[1]!, nullable, type: 'string' },
  { expr: sql.ref('c'), descending: directions[2]!, nullable: false, type: 'number' },
  { expr: sql.ref('id'), descending: false, nullable: false, type: 'integer' },
];

describe('keysetAfter', () => {
  let db: Kysely<Table>;
  beforeAll(async () => {
    db = new Kysely<Table>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    await db.schema
      .createTable('t')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('a', 'integer')
      .addColumn('b', 'text')
      .addColumn('c', 'real', (c) => c.notNull())
      .execute();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('resumes strictly after any row, for any directions, with nulls last', async () => {
    const row = fc.record({
      a: fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }),
      b: fc.option(fc.constantFrom('x', 'y', 'Y'), { nil: null }),
      c: fc.constantFrom(-Infinity, -1.5, 0, 2, Infinity),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 25 }),
        fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
        fc.nat(),
        async (rows, directions, pick) => {
          await db.deleteFrom('t').execute();
          await db
            .insertInto('t')
            .values(rows.map((r, id) => ({ id, ...r })))
            .execute();
          const sort = components(directions, true);
          const all = (await orderByComponents(
            selectComponents(db.selectFrom('t').select('id'), sort),
            sort,
          ).execute()) as (Record<string, unknown> & { id: number })[];
          const position = pick % all.length;
          const values = sortValuesOf(all[position]!, sort);
          const after = await orderByComponents(
            db.selectFrom('t').select('id').where(keysetAfter(sort, values)),
            sort,
          ).execute();
          expect(after.map((r) => r.id)).toEqual(all.slice(position + 1).map((r) => r.id));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('keyset tokens', () => {
  const scope = 'test-scope';
  const sort = components([false, true, false], true);
  const segments = (s: number) => (s === 0 ? sort : undefined);

  it('round-trips values, nulls and infinities', () => {
    const values = [null, 'x', -Infinity, 7];
    const token = encodeKeysetToken({ segment: 0, values }, scope);
    expect(decodeKeysetToken(token, scope, segments)).toEqual({ segment: 0, values });
    const infinite = encodeKeysetToken({ segment: 0, values: [1, null, Infinity, 2] }, scope);
    expect(decodeKeysetToken(infinite, scope, segments).values).toEqual([1, null, Infinity, 2]);
  });

  it.each([
    ['a payload that is not an object', [1, 2]],
    ['an unknown segment', { s: 3, k: [1, 'x', 1, 1] }],
    ['a fractional segment', { s: 0.5, k: [1, 'x', 1, 1] }],
    ['too few values', { s: 0, k: [1, 'x', 1] }],
    ['too many values', { s: 0, k: [1, 'x', 1, 1, 1] }],
    ['a string for a number', { s: 0, k: [1, 'x', '1', 1] }],
    ['a number for a string', { s: 0, k: [1, 5, 1, 1] }],
    ['a fraction for an integer', { s: 0, k: [1.5, 'x', 1, 1] }],
    ['an unsafe integer', { s: 0, k: [2 ** 60, 'x', 1, 1] }],
    ['null for a value that is never null', { s: 0, k: [1, 'x', null, 1] }],
    ['an object for a value', { s: 0, k: [{}, 'x', 1, 1] }],
  ])('refuses %s with INVALID_PARAMETER_VALUE', (_, payload) => {
    const token = encodePageToken(payload, scope);
    expect(() => decodeKeysetToken(token, scope, segments)).toThrow(KeelError);
    try {
      decodeKeysetToken(token, scope, segments);
    } catch (error) {
      expect((error as KeelError).code).toBe('INVALID_PARAMETER_VALUE');
      expect((error as KeelError).message).toMatch(/^Invalid page token/);
    }
  });

  it('refuses a token of another scope', () => {
    const token = encodeKeysetToken({ segment: 0, values: [1, 'x', 1, 1] }, 'another');
    expect(() => decodeKeysetToken(token, scope, segments)).toThrow(/Invalid page token/);
  });
});
