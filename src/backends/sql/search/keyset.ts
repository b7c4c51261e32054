import { expressionBuilder, sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { KeelError } from '../../../core/errors.js';
import { decodePageToken, encodePageToken } from '../../../core/tracking/index.js';

/**
 * Keyset paging: a search's order is a list of sort components; a page token carries the last row's
 * value of each, and the next page starts strictly after that tuple. No OFFSET, so a deep page costs
 * what the first one does, and rows written between two pages neither repeat nor vanish.
 */

/** How a component's value travels in a token (and what a token may claim for it). */
export type SortValueType = 'integer' | 'number' | 'string';
export type SortValue = number | string | null;

export interface SortComponent {
  /** Evaluated per row; a column, or a correlated scalar subquery. */
  readonly expr: Expression<unknown>;
  readonly descending: boolean;
  /** Whether the value may be null; null sorts after every value in both directions. */
  readonly nullable: boolean;
  readonly type: SortValueType;
}

/**
 * The scope string a search's tokens are bound to: everything that defines the search, as JSON
 * (with non-finite numbers spelled out, since JSON writes them all as `null`).
 */
export function tokenScope(...parts: unknown[]): string {
  return JSON.stringify(parts, (_, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  );
}

/** The column alias a component's value is selected under. */
export function componentAlias(index: number): string {
  return `k${index}`;
}

/** Selects each component's value (as `k0`, `k1`, ...) so the last row can become a token. */
export function selectComponents<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  components: readonly SortComponent[],
): SelectQueryBuilder<DB, TB, O> {
  if (components.length === 0) return qb;
  return qb.select(
    components.map((c, i) => sql`${c.expr}`.as(componentAlias(i))),
  ) as unknown as SelectQueryBuilder<DB, TB, O>;
}

/** `ORDER BY` the components; nullable ones put nulls last whatever the direction. */
export function orderByComponents<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  components: readonly SortComponent[],
): SelectQueryBuilder<DB, TB, O> {
  for (const c of components) {
    if (c.nullable) qb = qb.orderBy(c.expr, (ob) => (c.descending ? ob.desc() : ob.asc()).nullsLast());
    else qb = qb.orderBy(c.expr, c.descending ? 'desc' : 'asc');
  }
  return qb;
}

/**
 * The rows that sort strictly after `values` in the components' order: the lexicographic
 * comparison written out as `(a > x) OR (a = x AND b > y) OR ...`, preceded by a plain bound on the
 * first component so that an index on it is entered at the right place.
 */
export function keysetAfter(
  components: readonly SortComponent[],
  values: readonly SortValue[],
): Expression<SqlBool> {
  const eb = expressionBuilder();
  const disjuncts: Expression<SqlBool>[] = [];
  const equalSoFar: Expression<SqlBool>[] = [];
  components.forEach((c, i) => {
    const v = values[i] ?? null;
    const after = strictlyAfter(c, v);
    if (after) disjuncts.push(equalSoFar.length === 0 ? after : eb.and([...equalSoFar, after]));
    equalSoFar.push(v === null ? sql<SqlBool>`${c.expr} is null` : sql<SqlBool>`${c.expr} = ${v}`);
  });
  if (disjuncts.length === 0) return sql<SqlBool>`1 = 0`;
  const lexicographic = eb.or(disjuncts);
  const first = components[0];
  const firstValue = values[0] ?? null;
  if (!first || first.nullable || firstValue === null) return lexicographic;
  const bound = first.descending
    ? sql<SqlBool>`${first.expr} <= ${firstValue}`
    : sql<SqlBool>`${first.expr} >= ${firstValue}`;
  return eb.and([bound, lexicographic]);
}

function strictlyAfter(c: SortComponent, v: SortValue): Expression<SqlBool> | undefined {
  // Within the null group every row ties: nothing is strictly after null.
  if (v === null) return undefined;
  const beyond = c.descending ? sql<SqlBool>`${c.expr} < ${v}` : sql<SqlBool>`${c.expr} > ${v}`;
  return c.nullable ? sql<SqlBool>`(${beyond} or ${c.expr} is null)` : beyond;
}

/** The components' values in a result row, as a token stores them. */
export function sortValuesOf(
  row: Record<string, unknown>,
  components: readonly SortComponent[],
): SortValue[] {
  return components.map((c, i) => {
    const v = row[componentAlias(i)];
    if (v === null || v === undefined) return null;
    if (c.type === 'string') return String(v);
    return Number(v);
  });
}

export interface KeysetPosition {
  /** Which part of a segmented order the last row was in (0 when the order has one part). */
  segment: number;
  values: SortValue[];
}

/**
 * Finishes a keyset page: `rows` were read with a limit of `maxResults + 1`, so one row more than the
 * page means another page follows. Loads the page's entities and, when more remain, the token for
 * the position after the page's last row.
 */
export async function finishKeysetPage<Row, Item>(
  rows: readonly Row[],
  maxResults: number,
  scope: string,
  load: (page: readonly Row[]) => Promise<Item[]>,
  positionOf: (last: Row) => KeysetPosition,
): Promise<{ items: Item[]; nextPageToken?: string }> {
  const page = rows.slice(0, maxResults);
  const items = await load(page);
  const last = page[page.length - 1];
  if (rows.length <= maxResults || last === undefined) return { items };
  return { items, nextPageToken: encodeKeysetToken(positionOf(last), scope) };
}

/**
 * An opaque token for the position after the last row, bound to `scope` (everything that defines
 * the search: a token from another search is refused).
 */
export function encodeKeysetToken(position: KeysetPosition, scope: string): string {
  // JSON has no Infinity; metric values may be infinite.
  const values = position.values.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  return encodePageToken({ s: position.segment, k: values }, scope);
}

/**
 * Reads a token written by `encodeKeysetToken` for the same scope, checking its values against the
 * components of the segment it names. `INVALID_PARAMETER_VALUE` for anything else.
 */
export function decodeKeysetToken(
  token: string,
  scope: string,
  componentsOfSegment: (segment: number) => readonly SortComponent[] | undefined,
): KeysetPosition {
  let payload: unknown;
  try {
    payload = decodePageToken(token, scope);
  } catch (error) {
    if (error instanceof KeelError) throw error;
    throw invalidToken();
  }
  if (typeof payload !== 'object' || payload === null) throw invalidToken();
  const { s, k } = payload as { s?: unknown; k?: unknown };
  if (typeof s !== 'number' || !Number.isSafeInteger(s) || !Array.isArray(k)) throw invalidToken();
  const components = componentsOfSegment(s);
  if (!components || components.length !== k.length) throw invalidToken();
  const values = components.map((c, i) => readValue(c, k[i]));
  return { segment: s, values };
}

function readValue(c: SortComponent, raw: unknown): SortValue {
  if (raw === null) {
    if (!c.nullable) throw invalidToken();
    return null;
  }
  if (c.type === 'string') {
    if (typeof raw !== 'string') throw invalidToken();
    return raw;
  }
  const n = raw === 'Infinity' ? Infinity : raw === '-Infinity' ? -Infinity : raw;
  if (typeof n !== 'number' || Number.isNaN(n)) throw invalidToken();
  if (c.type === 'integer' && !Number.isSafeInteger(n)) throw invalidToken();
  return n;
}

function invalidToken(): KeelError {
  return new KeelError(
    'INVALID_PARAMETER_VALUE',
    'Invalid page token: it is malformed or belongs to another search. Pass the next_page_token of the same search unchanged.',
  );
}
