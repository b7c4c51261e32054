import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunFilterClause } from './search-ast.js';
import { formatRunFilter } from './search-filter-format.js';
import { parseRunFilter } from './search-filter.js';

const anyText = fc.string({ unit: 'binary', maxLength: 30 });
/** Keys stress the quoting: backticks, quotes, backslashes, dots, spaces, any code point. */
const key = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
  fc.stringMatching(/^[a-z][a-z0-9_.\/ `'"\\-]{0,12}$/),
);
const text = fc.oneof(anyText, fc.stringMatching(/^['"`\\%_ a-z]{0,10}$/));
const metricNumber = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n));
const epochMs = fc.maxSafeInteger().map((n) => (n === 0 ? 0 : n));
const numeric = fc.constantFrom('=', '!=', '<', '<=', '>', '>=' as const);
const stringComparator = fc.constantFrom('=', '!=', 'LIKE', 'ILIKE' as const);
const nullComparator = fc.constantFrom('IS NULL', 'IS NOT NULL' as const);
const setComparator = fc.constantFrom('IN', 'NOT IN' as const);
const list = fc.array(text, { minLength: 1, maxLength: 5 });

const clause: fc.Arbitrary<RunFilterClause> = fc.oneof(
  fc.record({ kind: fc.constant('metric' as const), key, comparator: numeric, value: metricNumber }),
  fc.record({
    kind: fc.constantFrom('param' as const, 'tag' as const),
    key,
    comparator: stringComparator,
    value: text,
  }),
  fc.record({ kind: fc.constantFrom('param' as const, 'tag' as const), key, comparator: nullComparator }),
  fc.record({
    kind: fc.constant('attribute' as const),
    key: fc.constantFrom('run_id', 'run_name', 'status', 'user_id', 'artifact_uri' as const),
    comparator: stringComparator,
    value: text,
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    key: fc.constant('run_id' as const),
    comparator: setComparator,
    values: list,
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    key: fc.constantFrom('start_time', 'end_time', 'created' as const),
    comparator: numeric,
    value: epochMs,
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    key: fc.constant('end_time' as const),
    comparator: nullComparator,
  }),
  fc.record({
    kind: fc.constant('dataset' as const),
    key: fc.constantFrom('name', 'digest', 'context' as const),
    comparator: stringComparator,
    value: text,
  }),
  fc.record({
    kind: fc.constant('dataset' as const),
    key: fc.constantFrom('name', 'digest', 'context' as const),
    comparator: setComparator,
    values: list,
  }),
);

describe('formatRunFilter', () => {
  it('prints canonical text', () => {
    expect(
      formatRunFilter([
        { kind: 'metric', key: 'f1 score', comparator: '>', value: 0.5 },
        { kind: 'tag', key: 'a`b', comparator: '=', value: "it's \\ here" },
        { kind: 'param', key: 'p', comparator: 'IS NULL' },
        { kind: 'attribute', key: 'run_id', comparator: 'IN', values: ['a', 'b'] },
        { kind: 'dataset', key: 'context', comparator: 'LIKE', value: 'train%' },
      ]),
    ).toBe(
      "metrics.`f1 score` > 0.5 AND tags.`a\\`b` = 'it\\'s \\\\ here' AND params.`p` IS NULL AND attributes.run_id IN ('a', 'b') AND datasets.context LIKE 'train%'",
    );
    expect(formatRunFilter([])).toBe('');
  });

  it('refuses a non-finite number, which no filter can express', () => {
    expect(() => formatRunFilter([{ kind: 'metric', key: 'm', comparator: '>', value: Number.NaN }])).toThrow(
      RangeError,
    );
  });

  it('round-trips: parseRunFilter(formatRunFilter(ast)) deep-equals ast', () => {
    fc.assert(
      fc.property(fc.array(clause, { maxLength: 8 }), (clauses) => {
        expect(parseRunFilter(formatRunFilter(clauses))).toEqual(clauses);
      }),
      { numRuns: 2000 },
    );
  });
});
