import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeelError } from '../errors.js';
import { PAGE_TOKEN_MAX_LENGTH, decodePageToken, encodePageToken } from './page-token.js';
import { MAX_ORDER_BY_ITEMS } from './search-order.js';
import { MAX_ENTITY_KEY_LENGTH, MAX_TAG_VALUE_LENGTH } from './validation.js';
import { rejection } from '../../../test/support/rejection.js';

const scope = JSON.stringify([['1', '2'], 'metrics.m > 1', ['start_time DESC'], 'ACTIVE_ONLY']);
/** JSON-safe payloads: what a store puts in a token. */
const payload = fc.oneof(
  fc.array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.maxSafeInteger(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
      fc.boolean(),
      fc.constant(null),
    ),
    { maxLength: 5 },
  ),
  fc.record({ offset: fc.nat() }),
);

describe('page tokens', () => {
  it('round-trip any JSON-safe payload within the same scope', () => {
    fc.assert(
      fc.property(payload, fc.string({ unit: 'binary', maxLength: 100 }), (value, anyScope) => {
        const token = encodePageToken(value, anyScope);
        expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{12}$/);
        expect(decodePageToken(token, anyScope)).toEqual(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('reject a token from another query', () => {
    const token = encodePageToken([1700000000000, 'abc'], scope);
    expect(rejection(() => decodePageToken(token, `${scope} `))).toBe(
      'Invalid page token: it belongs to a different query (the experiments, filter or order changed); start again without a page token',
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), fc.string({ maxLength: 50 }), (a, b) => {
        fc.pre(a !== b);
        expect(() => decodePageToken(encodePageToken({ offset: 5 }, a), b)).toThrow(KeelError);
      }),
    );
  });

  it('reject any single-character change', () => {
    const token = encodePageToken([42, 'run-id', 'value'], scope);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...alphabet), (index, char) => {
        fc.pre(token[index] !== char);
        const altered = token.slice(0, index) + char + token.slice(index + 1);
        expect(rejection(() => decodePageToken(altered, scope))).toMatch(/^Invalid page token: /);
      }),
      { numRuns: 1000 },
    );
  });

  it('reject a token whose payload was re-encoded by hand, keeping the old checksum', () => {
    const token = encodePageToken({ offset: 10 }, scope);
    const [body, checksum] = token.split('.');
    const json = Buffer.from(body!, 'base64url').toString('utf8').replace('10', '99999');
    const forged = `${Buffer.from(json).toString('base64url')}.${checksum}`;
    expect(rejection(() => decodePageToken(forged, scope))).toBe(
      'Invalid page token: it was altered or is corrupt; pass the next_page_token of the previous page unchanged',
    );
  });

  it('reject malformed, oversized and foreign tokens', () => {
    const malformed =
      'Invalid page token: it is malformed; pass the next_page_token of the previous page unchanged';
    expect(rejection(() => decodePageToken('', scope))).toBe(malformed);
    expect(rejection(() => decodePageToken('abc', scope))).toBe(malformed);
    expect(rejection(() => decodePageToken('.abcdefghijkl', scope))).toBe(malformed);
    expect(rejection(() => decodePageToken('ab$c.abcdefghijkl', scope))).toBe(malformed);
    expect(rejection(() => decodePageToken('abc.short', scope))).toBe(malformed);
    // MLflow's own token format, as an old client might replay it.
    expect(rejection(() => decodePageToken('eyJvZmZzZXQiOiAwfQ==', scope))).toBe(malformed);
    expect(rejection(() => decodePageToken(42, scope))).toBe('Invalid page token: expected a string');
    expect(rejection(() => decodePageToken('a'.repeat(PAGE_TOKEN_MAX_LENGTH + 1), scope))).toBe(
      `Invalid page token: longer than ${PAGE_TOKEN_MAX_LENGTH} characters`,
    );
  });

  it('reject well-checksummed bodies that are not Keel tokens', () => {
    const forge = (text: string) => {
      const body = Buffer.from(text, 'utf8');
      // The token format's checksum: sha256 of the body, base64url, first 12 characters.
      const checksum = createHash('sha256').update(body).digest('base64url').slice(0, 12);
      return `${body.toString('base64url')}.${checksum}`;
    };
    expect(rejection(() => decodePageToken(forge('{not json'), scope))).toBe(
      'Invalid page token: its contents are not valid JSON',
    );
    expect(rejection(() => decodePageToken(forge('{"offset":1}'), scope))).toBe(
      'Invalid page token: unsupported token format; start again without a page token',
    );
    expect(rejection(() => decodePageToken(forge('[2,"x",1]'), scope))).toMatch(/unsupported token format/);
  });

  it('check the payload shape when asked', () => {
    const token = encodePageToken(['not', 'an', 'offset'], scope);
    const isOffset = (value: unknown): value is { offset: number } =>
      typeof value === 'object' && value !== null && 'offset' in value;
    expect(rejection(() => decodePageToken(token, scope, isOffset))).toBe(
      'Invalid page token: its contents do not fit this query',
    );
    expect(decodePageToken(encodePageToken({ offset: 3 }, scope), scope, isOffset)).toEqual({ offset: 3 });
  });

  it('carry the worst keyset position a valid search can produce', () => {
    // Every order_by item sorting by a longest tag value made of characters JSON escapes to 6 bytes,
    // plus numeric and id tie-breakers: encoding must never fail for a valid search.
    const worstString = '\u0001'.repeat(MAX_TAG_VALUE_LENGTH);
    const values: unknown[] = Array.from({ length: MAX_ORDER_BY_ITEMS }, () => worstString);
    values.push(...Array.from({ length: 3 * MAX_ORDER_BY_ITEMS }, () => -1.2345678901234567e-300));
    values.push('r'.repeat(MAX_ENTITY_KEY_LENGTH), Number.MAX_SAFE_INTEGER);
    const token = encodePageToken({ s: 0, k: values }, scope);
    expect(token.length).toBeLessThanOrEqual(PAGE_TOKEN_MAX_LENGTH);
    expect(decodePageToken(token, scope)).toEqual({ s: 0, k: values });
    const multiByte = '\u{1F600}'.repeat(MAX_TAG_VALUE_LENGTH);
    expect(() => encodePageToken(Array(MAX_ORDER_BY_ITEMS).fill(multiByte), scope)).not.toThrow();
  });

  it('refuse to encode what they cannot carry', () => {
    expect(() => encodePageToken([Number.NaN], scope)).toThrow(RangeError);
    expect(() => encodePageToken([Number.POSITIVE_INFINITY], scope)).toThrow(RangeError);
    expect(() => encodePageToken([undefined], scope)).toThrow(RangeError);
    expect(() => encodePageToken([new Date()], scope)).toThrow(RangeError);
    expect(() => encodePageToken(['x'.repeat(PAGE_TOKEN_MAX_LENGTH)], scope)).toThrow(RangeError);
    const long = encodePageToken(['x'.repeat(200)], scope);
    expect(() => encodePageToken(['x'.repeat(200)], scope, { maxLength: 100 })).toThrow(RangeError);
    expect(rejection(() => decodePageToken(long, scope, undefined, { maxLength: 100 }))).toMatch(
      /longer than 100/,
    );
    // A sort on an 8,000-character tag value still fits the default.
    expect(decodePageToken(encodePageToken(['y'.repeat(8000)], scope), scope)).toEqual(['y'.repeat(8000)]);
  });
});
