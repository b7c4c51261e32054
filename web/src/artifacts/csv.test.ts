import { describe, expect, test } from 'vitest';
import { parseDelimited } from './csv.js';

describe('parseDelimited', () => {
  test('quoted fields hold delimiters, line breaks and doubled quotes; CRLF and LF end rows', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\n2,"two\nlines",\n';
    expect(parseDelimited(text, { delimiter: ',', maxRows: 10 })).toEqual({
      rows: [
        ['a', 'b', 'c'],
        ['1', 'x, y', 'say "hi"'],
        ['2', 'two\nlines', ''],
      ],
      more: false,
    });
  });

  test('tabs, a last row without a newline, and the row limit', () => {
    expect(parseDelimited('a\tb\n1\t2\n3\t4', { delimiter: '\t', maxRows: 10 }).rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parseDelimited('a\n1\n2\n3\n', { delimiter: ',', maxRows: 2 })).toEqual({
      rows: [['a'], ['1']],
      more: true,
    });
  });

  test('a preview cut short drops its partial last row and says there is more', () => {
    expect(parseDelimited('a,b\n1,2\n3,', { delimiter: ',', maxRows: 10, truncated: true })).toEqual({
      rows: [
        ['a', 'b'],
        ['1', '2'],
      ],
      more: true,
    });
  });
});
