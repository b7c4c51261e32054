import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Utf8, utf8ByteLength } from './text-bytes.js';

describe('text bytes without Buffer', () => {
  it('counts UTF-8 bytes as Node does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
      }),
    );
    expect(utf8ByteLength('a\u00e9\u20ac\u{1f600}')).toBe(1 + 2 + 3 + 4);
  });

  it('encodes UTF-8 as standard base64, as Basic credentials carry it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(base64Utf8(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
      }),
    );
    expect(base64Utf8('ada:pässword')).toBe('YWRhOnDDpHNzd29yZA==');
  });
});
