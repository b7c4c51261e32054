import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clampWidth,
  compactColumns,
  expandColumns,
  formatColumnWidths,
  maxColumnWidth,
  minColumnWidth,
  moveColumn,
  parseColumnWidths,
  withColumnWidth,
} from './column-layout.js';

describe('column widths in the URL', () => {
  it('reads `id:width` entries, ids holding dots and colons included', () => {
    expect(parseColumnWidths('metrics.loss:180,tags.a:b:96')).toEqual(
      new Map([
        ['metrics.loss', 180],
        ['tags.a:b', 96],
      ]),
    );
  });

  it('leaves out entries that are not an id and a whole width within bounds', () => {
    const text = [
      'metrics.ok:120',
      'metrics.none',
      ':150',
      'metrics.text:wide',
      'metrics.negative:-100',
      'metrics.fraction:100.5',
      'metrics.empty:',
      `metrics.narrow:${minColumnWidth - 1}`,
      `metrics.broad:${maxColumnWidth + 1}`,
      'metrics.huge:99999999',
      '',
      'params.lr:200',
    ].join(',');
    expect(parseColumnWidths(text)).toEqual(
      new Map([
        ['metrics.ok', 120],
        ['params.lr', 200],
      ]),
    );
    expect(parseColumnWidths(null)).toEqual(new Map());
    expect(parseColumnWidths('')).toEqual(new Map());
  });

  it('holds any id as a plain key, `__proto__` included', () => {
    const widths = parseColumnWidths('__proto__:120,constructor:90');
    expect([...widths]).toEqual([
      ['__proto__', 120],
      ['constructor', 90],
    ]);
  });

  it('writes what it reads', () => {
    const entry = fc.tuple(
      fc.stringMatching(/^[A-Za-z0-9_ .:/-]{1,20}$/),
      fc.integer({ min: minColumnWidth, max: maxColumnWidth }),
    );
    fc.assert(
      fc.property(fc.array(entry), (entries) => {
        const widths = new Map(entries);
        expect(parseColumnWidths(formatColumnWidths(widths))).toEqual(widths);
      }),
    );
  });

  it('keeps only the widths that differ from the default, within bounds', () => {
    const start = new Map([['metrics.loss', 200]]);
    expect(withColumnWidth(start, 'params.lr', 150, 100)).toEqual(
      new Map([
        ['metrics.loss', 200],
        ['params.lr', 150],
      ]),
    );
    expect(withColumnWidth(start, 'metrics.loss', 120, 120)).toEqual(new Map());
    expect(withColumnWidth(start, 'metrics.loss', undefined, 120)).toEqual(new Map());
    expect(withColumnWidth(start, 'metrics.loss', 5, 120).get('metrics.loss')).toBe(minColumnWidth);
    expect(withColumnWidth(start, 'metrics.loss', 5000, 120).get('metrics.loss')).toBe(maxColumnWidth);
    expect(start).toEqual(new Map([['metrics.loss', 200]]));
    expect(clampWidth(100.4)).toBe(100);
  });
});

describe('moving a column', () => {
  const ids = ['a', 'b', 'c', 'd'];

  it('lands after the target when moving right and before it when moving left', () => {
    expect(moveColumn(ids, 'a', 'c')).toEqual(['b', 'c', 'a', 'd']);
    expect(moveColumn(ids, 'd', 'b')).toEqual(['a', 'd', 'b', 'c']);
    expect(moveColumn(ids, 'b', 'c')).toEqual(['a', 'c', 'b', 'd']);
    expect(moveColumn(ids, 'c', 'b')).toEqual(['a', 'c', 'b', 'd']);
  });

  it('changes nothing for an unknown id or a move onto itself, and never changes its input', () => {
    expect(moveColumn(ids, 'x', 'a')).toEqual(ids);
    expect(moveColumn(ids, 'a', 'x')).toEqual(ids);
    expect(moveColumn(ids, 'b', 'b')).toEqual(ids);
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps every column exactly once and puts the moved one where the target was', () => {
    const list = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(
        list.chain((items) =>
          fc.tuple(fc.constant(items), fc.nat(items.length - 1), fc.nat(items.length - 1)),
        ),
        ([items, from, to]) => {
          const moved = moveColumn(items, items[from]!, items[to]!);
          expect([...moved].sort()).toEqual([...items].sort());
          expect(moved[to]).toBe(items[from]);
        },
      ),
    );
  });
});

describe('`*` in cols: the default columns not listed', () => {
  const defaults = ['metrics.a', 'metrics.b', 'metrics.c', 'params.x'];

  it('expands in place, and lists nothing twice', () => {
    expect(expandColumns(['metrics.c', '*'], defaults)).toEqual([
      'metrics.c',
      'metrics.a',
      'metrics.b',
      'params.x',
    ]);
    expect(expandColumns(['tags.t', '*', 'metrics.a'], defaults)).toEqual([
      'tags.t',
      'metrics.b',
      'metrics.c',
      'params.x',
      'metrics.a',
    ]);
    expect(expandColumns(['metrics.b'], defaults)).toEqual(['metrics.b']);
  });

  it('compacts a reordered default list to the moved part', () => {
    expect(compactColumns(defaults, defaults)).toEqual(['*']);
    expect(compactColumns(['metrics.a', 'metrics.c', 'metrics.b', 'params.x'], defaults)).toEqual([
      'metrics.a',
      'metrics.c',
      '*',
    ]);
    // A list without every default column is a choice of columns: written out as it is.
    expect(compactColumns(['metrics.b', 'metrics.a'], defaults)).toEqual(['metrics.b', 'metrics.a']);
  });

  it('round-trips: expanding the compact form gives back any order of the defaults (and extra columns)', () => {
    const keys = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,3}$/), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(
        keys.chain((names) =>
          fc.tuple(
            fc.constant(names.map((name) => `metrics.${name}`)),
            fc.shuffledSubarray(
              names.map((name) => `metrics.${name}`),
              { minLength: names.length },
            ),
            fc.uniqueArray(fc.stringMatching(/^tags\.[a-z]{1,3}$/), { maxLength: 3 }),
          ),
        ),
        ([defaultIds, shuffled, extra]) => {
          const ids = [...extra, ...shuffled];
          const compact = compactColumns(ids, defaultIds);
          expect(expandColumns(compact, defaultIds)).toEqual(ids);
          expect(compact.length).toBeLessThanOrEqual(ids.length + 1);
        },
      ),
    );
  });
});
