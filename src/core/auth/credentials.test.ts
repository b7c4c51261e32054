import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_AUTHORIZATION_LENGTH,
  TOKEN_PREFIX,
  formatApiToken,
  formatSessionCookie,
  parseApiToken,
  parseAuthorization,
  parseSessionCookie,
} from './credentials.js';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const basic = (text: string) => `Basic ${base64(text)}`;

/** Crockford base32, as ULIDs are written: no I, L, O or U. */
const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ulidArb = fc.string({ unit: fc.constantFrom(...ULID_ALPHABET), minLength: 26, maxLength: 26 });
const secretArb = fc.string({ unit: fc.constantFrom(...BASE64URL_ALPHABET), minLength: 43, maxLength: 43 });

const ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const SECRET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234';

describe('parseAuthorization', () => {
  it('treats an absent or empty header as no credentials', () => {
    expect(parseAuthorization(undefined)).toBeUndefined();
    expect(parseAuthorization('')).toBeUndefined();
  });

  it('reads Basic credentials, splitting at the first colon so the password may hold more', () => {
    expect(parseAuthorization(basic('alice:s3cret'))).toEqual({
      kind: 'basic',
      username: 'alice',
      password: 's3cret',
    });
    expect(parseAuthorization(basic('alice:pa:ss::word:'))).toEqual({
      kind: 'basic',
      username: 'alice',
      password: 'pa:ss::word:',
    });
    expect(parseAuthorization(basic('alice:'))).toEqual({ kind: 'basic', username: 'alice', password: '' });
  });

  it('decodes Basic credentials as UTF-8', () => {
    expect(parseAuthorization(basic('josé@example.com:pässwörd 🔑 密码'))).toEqual({
      kind: 'basic',
      username: 'josé@example.com',
      password: 'pässwörd 🔑 密码',
    });
  });

  it('round-trips any username without a colon and any password', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((u) => !u.includes(':')),
        fc.string({ unit: 'binary', maxLength: 80 }),
        (username, password) => {
          expect(parseAuthorization(basic(`${username}:${password}`))).toEqual({
            kind: 'basic',
            username,
            password,
          });
        },
      ),
    );
  });

  it('refuses Basic credentials without a colon or without a username', () => {
    expect(parseAuthorization(basic('alice'))).toBe('malformed');
    expect(parseAuthorization(basic(':s3cret'))).toBe('malformed');
    expect(parseAuthorization(basic(':'))).toBe('malformed');
    expect(parseAuthorization(basic(''))).toBe('malformed');
  });

  it('refuses a Basic value that is not base64', () => {
    for (const value of [
      'not*base64',
      'YWxpY2U6cw==extra',
      'YWxp Y2U6cw==',
      'YWxpY2U6cw===',
      '====',
      'YWxpY2U6cw-_',
      'YWxpY2U6cé',
    ])
      expect(parseAuthorization(`Basic ${value}`)).toBe('malformed');
  });

  it('takes the scheme in any case', () => {
    const credentials = base64('alice:s3cret');
    for (const scheme of ['Basic', 'basic', 'BASIC', 'bAsIc'])
      expect(parseAuthorization(`${scheme} ${credentials}`)).toMatchObject({
        kind: 'basic',
        username: 'alice',
      });
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR'])
      expect(parseAuthorization(`${scheme} tok`)).toEqual({ kind: 'bearer', token: 'tok' });
  });

  it('refuses other schemes and headers without a value', () => {
    for (const header of [
      'Digest abc',
      'Token abc',
      'Basic',
      'Bearer',
      'Basic ',
      'Bearer    ',
      ' Bearer tok',
      'Bearer:tok',
      'Bearer\ttok',
      'BearerX tok',
    ])
      expect(parseAuthorization(header)).toBe('malformed');
  });

  it('reads a Bearer token, ignoring the whitespace around it', () => {
    const token = formatApiToken(ID, SECRET);
    expect(parseAuthorization(`Bearer ${token}`)).toEqual({ kind: 'bearer', token });
    expect(parseAuthorization(`Bearer   ${token}  `)).toEqual({ kind: 'bearer', token });
    expect(parseAuthorization('Bearer !~"#')).toEqual({ kind: 'bearer', token: '!~"#' });
  });

  it('refuses a Bearer token with spaces, control or non-ASCII characters inside', () => {
    for (const token of ['a b', 'a\tb', 'a\nb', 'a\u0000b', 'a\u007fb', 'tökén', 'a\u00a0b'])
      expect(parseAuthorization(`Bearer ${token}`)).toBe('malformed');
  });

  it('reads any printable ASCII token back unchanged', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x21-\x7e]{1,200}$/), (token) => {
        expect(parseAuthorization(`Bearer ${token}`)).toEqual({ kind: 'bearer', token });
      }),
    );
  });

  it(`refuses a header longer than ${MAX_AUTHORIZATION_LENGTH} characters unread`, () => {
    const prefix = 'Bearer ';
    const longest = prefix + 'a'.repeat(MAX_AUTHORIZATION_LENGTH - prefix.length);
    expect(longest).toHaveLength(MAX_AUTHORIZATION_LENGTH);
    expect(parseAuthorization(longest)).toEqual({ kind: 'bearer', token: longest.slice(prefix.length) });
    expect(parseAuthorization(`${longest}a`)).toBe('malformed');
    expect(parseAuthorization(basic(`alice:${'p'.repeat(MAX_AUTHORIZATION_LENGTH)}`))).toBe('malformed');
  });

  it('never throws, and answers undefined only for an absent header', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc
            .tuple(fc.constantFrom('Basic ', 'Bearer ', 'basic  '), fc.string({ maxLength: 60 }))
            .map(([scheme, rest]) => scheme + rest),
        ),
        (header) => {
          const parsed = parseAuthorization(header);
          if (header === '') expect(parsed).toBeUndefined();
          else expect(parsed).toBeDefined();
        },
      ),
    );
  });
});

describe('API tokens', () => {
  it('read keel_<ULID>_<secret>', () => {
    const token = formatApiToken(ID, SECRET);
    expect(token).toBe(`keel_${ID}_${SECRET}`);
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(parseApiToken(token)).toEqual({ tokenId: ID, secret: SECRET });
  });

  it('round-trip any ULID and 43-character base64url secret', () => {
    fc.assert(
      fc.property(ulidArb, secretArb, (tokenId, secret) => {
        expect(parseApiToken(formatApiToken(tokenId, secret))).toEqual({ tokenId, secret });
      }),
    );
    const secret = randomBytes(32).toString('base64url');
    expect(parseApiToken(formatApiToken(ID, secret))).toEqual({ tokenId: ID, secret });
  });

  it('refuse near misses', () => {
    for (const token of [
      '',
      `Keel_${ID}_${SECRET}`,
      `keel-${ID}_${SECRET}`,
      `keel_${ID}-${SECRET}`,
      `kee_${ID}_${SECRET}`,
      `${ID}_${SECRET}`,
      `keel_${ID.toLowerCase()}_${SECRET}`,
      `keel_${ID.slice(0, 25)}I_${SECRET}`,
      `keel_${ID.slice(0, 25)}L_${SECRET}`,
      `keel_${ID.slice(0, 25)}O_${SECRET}`,
      `keel_${ID.slice(0, 25)}U_${SECRET}`,
      `keel_${ID.slice(0, 25)}_${SECRET}`,
      `keel_${ID}0_${SECRET}`,
      `keel_${ID}_${SECRET.slice(0, 42)}`,
      `keel_${ID}_${SECRET}A`,
      `keel_${ID}_${SECRET.slice(0, 42)}=`,
      `keel_${ID}_${SECRET.slice(0, 42)}+`,
      `keel_${ID}_${SECRET.slice(0, 42)}/`,
      ` keel_${ID}_${SECRET}`,
      `keel_${ID}_${SECRET} `,
      `keel_${ID}_${SECRET}\n`,
      `keel_${ID}_${SECRET}_x`,
      formatSessionCookie(ID, SECRET),
    ])
      expect(parseApiToken(token)).toBeUndefined();
  });
});

describe('session cookies', () => {
  it('read <ULID>.<secret>', () => {
    const value = formatSessionCookie(ID, SECRET);
    expect(value).toBe(`${ID}.${SECRET}`);
    expect(parseSessionCookie(value)).toEqual({ sessionId: ID, secret: SECRET });
  });

  it('round-trip any ULID and 43-character base64url secret', () => {
    fc.assert(
      fc.property(ulidArb, secretArb, (sessionId, secret) => {
        expect(parseSessionCookie(formatSessionCookie(sessionId, secret))).toEqual({ sessionId, secret });
      }),
    );
  });

  it('refuse near misses', () => {
    for (const value of [
      '',
      `${ID}_${SECRET}`,
      `${ID}:${SECRET}`,
      `${ID.toLowerCase()}.${SECRET}`,
      `${ID.slice(0, 25)}U.${SECRET}`,
      `${ID.slice(0, 25)}.${SECRET}`,
      `${ID}.${SECRET.slice(0, 42)}`,
      `${ID}.${SECRET}A`,
      `${ID}.${SECRET.slice(0, 42)}=`,
      `${ID}.${SECRET}.`,
      `.${ID}.${SECRET}`,
      `${ID}.${SECRET}\n`,
      formatApiToken(ID, SECRET),
    ])
      expect(parseSessionCookie(value)).toBeUndefined();
  });
});
