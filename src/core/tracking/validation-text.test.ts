import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codePointLength,
  exceedsCodePoints,
  invalidValueMessage,
  normalizePosixPath,
  pythonJson,
  pythonRepr,
  pythonReprList,
  truncateCodePoints,
} from './validation-text.js';

describe('normalizePosixPath (Python posixpath.normpath)', () => {
  it('matches Python on the cases that matter', () => {
    const cases: [string, string][] = [
      ['', '.'],
      ['.', '.'],
      ['a', 'a'],
      ['a/b', 'a/b'],
      ['a//b', 'a/b'],
      ['a/./b', 'a/b'],
      ['a/../b', 'b'],
      ['a/..', '.'],
      ['../a', '../a'],
      ['../../a/..', '../..'],
      ['/a/../..', '/'],
      ['/', '/'],
      ['//a', '//a'],
      ['///a', '/a'],
      ['a/', 'a'],
      ['./a', 'a'],
      ['..foo', '..foo'],
      ['a/b/../../..', '..'],
    ];
    for (const [path, normal] of cases) expect(normalizePosixPath(path), path).toBe(normal);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a./]{0,12}$/), (path) => {
        const once = normalizePosixPath(path);
        expect(normalizePosixPath(once)).toBe(once);
      }),
    );
  });
});

describe('Python-shaped text', () => {
  it('prints values as json.dumps does, ASCII-escaped', () => {
    expect(pythonJson('a*b')).toBe('"a*b"');
    expect(pythonJson('é😀')).toBe('"\\u00e9\\ud83d\\ude00"');
    expect(pythonJson(-1)).toBe('-1');
    expect(pythonJson(Number.NaN)).toBe('NaN');
    expect(pythonJson(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(pythonJson(undefined)).toBe('null');
    expect(pythonJson(['x', 1])).toBe('["x",1]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(pythonJson(cyclic)).toBe('"[object Object]"');
  });

  it('builds invalid_value messages, cutting long values', () => {
    expect(invalidValueMessage('key', 'a*b', 'Bad.')).toBe(
      `Invalid value "a*b" for parameter 'key' supplied: Bad.`,
    );
    expect(invalidValueMessage('run_id', 5)).toBe("Invalid value 5 for parameter 'run_id' supplied.");
    expect(invalidValueMessage('key', 'x'.repeat(10_000)).length).toBeLessThan(320);
    expect(
      invalidValueMessage(
        'run_ids',
        Array.from({ length: 10_000 }, (_, i) => i),
      ).length,
    ).toBeLessThan(560);
  });

  it('prints repr as Python does', () => {
    expect(pythonRepr('d')).toBe("'d'");
    expect(pythonRepr("it's")).toBe('"it\'s"');
    expect(pythonRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(pythonRepr('a\\b\n')).toBe("'a\\\\b\\n'");
    expect(pythonReprList(['a', 'b'])).toBe("['a', 'b']");
  });
});

describe('code points', () => {
  it('count and cut as Python len and slicing do', () => {
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('😀😀')).toBe(2);
    expect(codePointLength('\ud800x')).toBe(2);
    expect(exceedsCodePoints('😀😀', 2)).toBe(false);
    expect(exceedsCodePoints('😀😀😀', 2)).toBe(true);
    expect(truncateCodePoints('😀a😀b', 3)).toBe('😀a😀');
    expect(truncateCodePoints('abc', 5)).toBe('abc');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.nat(45), (text, limit) => {
        const cut = truncateCodePoints(text, limit);
        expect(codePointLength(cut)).toBe(Math.min(limit, [...text].length));
        expect(text.startsWith(cut)).toBe(true);
        expect(exceedsCodePoints(text, limit)).toBe([...text].length > limit);
      }),
    );
  });
});
