import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeelError } from '../errors.js';
import { parseExperimentFilter, parseLoggedModelFilter, parseRunFilter } from './search-filter.js';
import { parseExperimentOrderBy, parseLoggedModelOrderBy, parseRunOrderBy } from './search-order.js';
import { scanFilter, scanOrderBy } from './search-scanner.js';

/** Runs `fn`; anything thrown must be an INVALID_PARAMETER_VALUE KeelError. */
function onlyKeelErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof KeelError) || error.code !== 'INVALID_PARAMETER_VALUE') throw error;
  }
}

/** Fragments of the grammar, so random strings get deep into the parser rather than failing at once. */
const fragment = fc.constantFrom(
  'metrics.',
  'params.',
  'tags.',
  'attributes.',
  'datasets.',
  'run_id',
  'start_time',
  'end_time',
  '"run name"',
  '`',
  "'",
  '"',
  '\\',
  '(',
  ')',
  ',',
  ' ',
  '\t',
  '.',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '<>',
  '-',
  '+',
  'e',
  '1',
  '0.5',
  '1e3',
  'LIKE',
  'ilike',
  'IN',
  'NOT',
  'IS',
  'NULL',
  'AND',
  'OR',
  'asc',
  'DESC',
  "'x'",
  ';',
  '%',
  '\u00a0',
  '😀',
  '\ud800',
);
const grammarSoup = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));
const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), grammarSoup);

describe('the search parsers never fail but with KeelError', () => {
  it('holds for filters of every grammar', () => {
    fc.assert(
      fc.property(anyString, (input) => {
        onlyKeelErrors(() => parseRunFilter(input));
        onlyKeelErrors(() => parseExperimentFilter(input));
        onlyKeelErrors(() => parseLoggedModelFilter(input));
      }),
      { numRuns: 5000 },
    );
  });

  it('holds for order_by items', () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 3 }), (items) => {
        onlyKeelErrors(() => parseRunOrderBy(items));
        onlyKeelErrors(() => parseExperimentOrderBy(items));
      }),
      { numRuns: 3000 },
    );
  });

  it('holds for values of any JSON type, as a careless caller might pass them', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        onlyKeelErrors(() => parseRunFilter(value as string));
        onlyKeelErrors(() => parseRunOrderBy(value as string[]));
        onlyKeelErrors(() => parseRunOrderBy([value] as string[]));
        onlyKeelErrors(() => parseExperimentOrderBy(value as string[]));
        onlyKeelErrors(() => parseLoggedModelOrderBy(value as unknown[]));
        onlyKeelErrors(() => parseLoggedModelOrderBy([value]));
      }),
      { numRuns: 2000 },
    );
    expect(parseRunFilter(null)).toEqual([]);
    expect(parseRunOrderBy(null)).toEqual([]);
  });

  it('finishes fast on large and adversarial inputs (linear time)', () => {
    const size = 200_000;
    const inputs = [
      "'".repeat(size),
      '`'.repeat(size),
      '\\'.repeat(size),
      `tags.t = '${'\\'.repeat(size)}`,
      `tags.t = '${"''".repeat(size / 2)}`,
      `run_id IN (${"'a',".repeat(size / 4)}`,
      'metrics.'.repeat(size / 8),
      '1'.repeat(size),
      `metrics.m > ${'9'.repeat(size)}`,
      `metrics.m > 1${'e'.repeat(size)}`,
      ' '.repeat(size),
      `${'a'.repeat(size)} = 'x'`,
      `metrics.${'a.'.repeat(size / 2)} > 1`,
      'metrics.m > 1 AND '.repeat(size / 18),
      `params.p IS ${' '.repeat(size)}`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      onlyKeelErrors(() => parseRunFilter(input));
      onlyKeelErrors(() => parseRunOrderBy([input]));
      expect(performance.now() - started).toBeLessThan(500);
    }
  });
});

describe('scanFilter and scanOrderBy', () => {
  it('record positions and the text as written', () => {
    const [clause] = scanFilter("  tags.`a b` like 'x'");
    expect(clause).toMatchObject({
      identifier: { entity: 'tags', key: 'a b', position: 2, text: 'tags.`a b`' },
      comparator: 'LIKE',
      comparatorText: 'like',
      comparatorPosition: 13,
      value: { type: 'string', value: 'x', text: "'x'", position: 18 },
    });
  });

  it('read order_by directions in any case', () => {
    expect(scanOrderBy('metrics.m desc')).toMatchObject({ identifier: { key: 'm' }, ascending: false });
    expect(scanOrderBy('  start_time   ASC  ')).toMatchObject({
      identifier: { key: 'start_time' },
      ascending: true,
    });
    expect(scanOrderBy('tags.`x y`')).toMatchObject({ identifier: { key: 'x y' }, ascending: true });
  });
});
