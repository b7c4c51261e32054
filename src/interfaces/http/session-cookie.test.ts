import { describe, expect, test } from 'vitest';
import { clearedSessionCookie, readCookie, sessionSetCookie } from './session-cookie.js';

describe('readCookie', () => {
  test('finds the named cookie among others, the first one winning', () => {
    expect(readCookie('a=1; keel_session=abc.def; b=2', 'keel_session')).toBe('abc.def');
    expect(readCookie('keel_session=first;keel_session=second', 'keel_session')).toBe('first');
    expect(readCookie('xkeel_session=no; keel_session=yes', 'keel_session')).toBe('yes');
  });

  test('treats absent, empty and malformed values as absent', () => {
    for (const header of [
      undefined,
      '',
      'a=1',
      'keel_session=',
      'keel_session="quoted"',
      'keel_session=a b',
      'keel_session=a,b',
      'keel_session=a\\b',
    ])
      expect(readCookie(header, 'keel_session')).toBeUndefined();
  });
});

describe('session Set-Cookie values', () => {
  test('are HttpOnly, SameSite=Strict, on /, Secure when asked', () => {
    const expires = Date.UTC(2030, 0, 1);
    expect(sessionSetCookie('v', expires, { secure: true })).toBe(
      'keel_session=v; Path=/; Expires=Tue, 01 Jan 2030 00:00:00 GMT; HttpOnly; SameSite=Strict; Secure',
    );
    expect(sessionSetCookie('v', expires, { secure: false })).not.toContain('Secure');
    expect(clearedSessionCookie({ secure: false })).toMatch(
      /^keel_session=; Path=\/; .*Max-Age=0; HttpOnly; SameSite=Strict$/,
    );
  });
});
