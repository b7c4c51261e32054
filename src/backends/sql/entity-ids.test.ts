import { describe, expect, it } from 'vitest';
import { parseApiToken, parseSessionCookie } from '../../core/auth/index.js';
import { newUlid } from './entity-ids.js';

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function decodeTime(ulid: string): number {
  return [...ulid.slice(0, 10)].reduce((time, ch) => time * 32 + crockford.indexOf(ch), 0);
}

describe('newUlid', () => {
  it('is 26 uppercase Crockford characters that the token and cookie forms accept', () => {
    for (let i = 0; i < 200; i++) {
      const id = newUlid();
      expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(parseApiToken(`keel_${id}_${'x'.repeat(43)}`)?.tokenId).toBe(id);
      expect(parseSessionCookie(`${id}.${'y'.repeat(43)}`)?.sessionId).toBe(id);
    }
  });

  it('carries the time in its first 10 characters, so ids sort by creation time', () => {
    expect(decodeTime(newUlid(1_700_000_000_123))).toBe(1_700_000_000_123);
    expect(newUlid(0).slice(0, 10)).toBe('0000000000');
    expect(decodeTime(newUlid(2 ** 48 - 1))).toBe(2 ** 48 - 1);
    expect(newUlid(1_000) < newUlid(1_001)).toBe(true);
  });

  it('draws 80 random bits: no repeats within one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newUlid(42)));
    expect(ids.size).toBe(10_000);
    // Every random character position takes many values.
    const last = new Set([...ids].map((id) => id[25]));
    expect(last.size).toBe(32);
  });
});
