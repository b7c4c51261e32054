import { sql, type Expression, type SqlBool } from 'kysely';
import type { StringComparator } from '../../../core/tracking/index.js';
import { likeToGlob, type SqlCapabilities } from '../dialect.js';

/**
 * `column <comparator> value` with MLflow's string semantics on every engine: `=`/`!=` exact,
 * `LIKE` case-sensitive (GLOB where the engine's LIKE ignores case), `ILIKE` case-insensitive
 * (`lower() LIKE lower()` where the engine has no ILIKE). In patterns `%` and `_` are wildcards and
 * a backslash makes the next character literal (PostgreSQL's rule, now on every engine); a
 * trailing backslash is itself literal.
 */
export function matchString(
  caps: SqlCapabilities,
  column: Expression<unknown>,
  comparator: StringComparator,
  value: string,
): Expression<SqlBool> {
  switch (comparator) {
    case '=':
      return sql<SqlBool>`${column} = ${value}`;
    case '!=':
      return sql<SqlBool>`${column} <> ${value}`;
    case 'LIKE': {
      const pattern = parseLikePattern(value);
      return caps.likeIsCaseSensitive
        ? sql<SqlBool>`${column} like ${toLikePattern(pattern)} escape ${likeEscape}`
        : sql<SqlBool>`${column} glob ${toGlobPattern(pattern)}`;
    }
    case 'ILIKE': {
      const like = toLikePattern(parseLikePattern(value));
      return caps.hasIlike
        ? sql<SqlBool>`${column} ilike ${like} escape ${likeEscape}`
        : sql<SqlBool>`lower(${column}) like lower(${like}) escape ${likeEscape}`;
    }
  }
}

const likeEscape = '\\';

/** A LIKE pattern as runs of text whose `%`/`_` are wildcards, and single literal characters. */
type LikePart = { wild: string } | { literal: string };

function parseLikePattern(pattern: string): LikePart[] {
  const parts: LikePart[] = [];
  let wild = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\' && i + 1 < chars.length) {
      if (wild !== '') parts.push({ wild });
      wild = '';
      parts.push({ literal: chars[++i]! });
    } else if (ch === '\\') {
      if (wild !== '') parts.push({ wild });
      wild = '';
      parts.push({ literal: ch });
    } else {
      wild += ch;
    }
  }
  if (wild !== '') parts.push({ wild });
  return parts;
}

/** The pattern for `LIKE ... ESCAPE '\'`: literal characters that LIKE would read otherwise get escaped. */
function toLikePattern(parts: LikePart[]): string {
  return parts
    .map((p) => ('wild' in p ? p.wild : /[%_\\]/.test(p.literal) ? `\\${p.literal}` : p.literal))
    .join('');
}

/** The same pattern for GLOB, whose wildcards are `*` and `?` (and `[...]`). */
function toGlobPattern(parts: LikePart[]): string {
  return parts
    .map((p) => ('wild' in p ? likeToGlob(p.wild) : /[*?[\]]/.test(p.literal) ? `[${p.literal}]` : p.literal))
    .join('');
}

/** `column IN (values)` / `NOT IN`; an empty list matches nothing (IN) or everything (NOT IN). */
export function matchSet(
  column: Expression<unknown>,
  comparator: 'IN' | 'NOT IN',
  values: readonly string[],
): Expression<SqlBool> {
  if (values.length === 0)
    return comparator === 'IN' ? sql<SqlBool>`1 = 0` : sql<SqlBool>`${column} is not null`;
  const list = sql.join(values.map((v) => sql`${v}`));
  return comparator === 'IN'
    ? sql<SqlBool>`${column} in (${list})`
    : sql<SqlBool>`${column} not in (${list})`;
}

type NumericComparator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * `column <comparator> value` for numbers. For an integer (BIGINT) column the value is first brought
 * to an equivalent integer comparison, so that `start_time > 1.5` or `end_time < 1e30` neither fails
 * on engines that type the bound value by its column nor matches differently.
 */
export function matchNumber(
  column: Expression<unknown>,
  comparator: NumericComparator,
  value: number,
  integerColumn = false,
): Expression<SqlBool> {
  if (Number.isNaN(value)) return sql<SqlBool>`1 = 0`;
  if (integerColumn) {
    const exact = toIntegerComparison(comparator, value);
    if (typeof exact === 'boolean') return exact ? sql<SqlBool>`${column} is not null` : sql<SqlBool>`1 = 0`;
    [comparator, value] = exact;
  }
  switch (comparator) {
    case '=':
      return sql<SqlBool>`${column} = ${value}`;
    case '!=':
      return sql<SqlBool>`${column} <> ${value}`;
    case '<':
      return sql<SqlBool>`${column} < ${value}`;
    case '<=':
      return sql<SqlBool>`${column} <= ${value}`;
    case '>':
      return sql<SqlBool>`${column} > ${value}`;
    case '>=':
      return sql<SqlBool>`${column} >= ${value}`;
  }
}

/** Beyond any stored time or step, and inside BIGINT on every engine. */
const integerBound = 2 ** 62;

/**
 * The same comparison against an integer column with an integer operand, or `true`/`false` when
 * every (non-null) row matches or none does.
 */
function toIntegerComparison(
  comparator: NumericComparator,
  value: number,
): [NumericComparator, number] | boolean {
  if (value > integerBound || value < -integerBound) {
    const above = value > 0; // every stored integer is below the value
    switch (comparator) {
      case '=':
        return false;
      case '!=':
        return true;
      case '<':
      case '<=':
        return above;
      case '>':
      case '>=':
        return !above;
    }
  }
  if (Number.isInteger(value)) return [comparator, value];
  switch (comparator) {
    case '=':
      return false;
    case '!=':
      return true;
    case '<':
    case '>=':
      return [comparator, Math.ceil(value)];
    case '<=':
    case '>':
      return [comparator, Math.floor(value)];
  }
}
