import { createHash } from 'node:crypto';
import { KeelError } from '../errors.js';

/**
 * Opaque page tokens: `<base64url(JSON [version, scopeHash, payload])>.<checksum>`.
 *
 * - `payload` is whatever the store needs to resume (an offset, or the last row's keyset values).
 * - `scope` is a string the caller builds from everything that defines the query (experiment ids,
 *   filter, order, view type); a token is only accepted by a query with the same scope, so a token
 *   from another query fails with `INVALID_PARAMETER_VALUE` instead of resuming at a wrong place.
 * - The checksum catches tokens that were cut, corrupted or edited by hand. It is integrity, not
 *   authenticity: anyone can build a valid token, so callers still check the payload's shape (pass
 *   `isPayload`) and bind its values as SQL parameters like any other input.
 *
 * Payloads must be JSON-safe: finite numbers, strings, booleans, null, arrays and plain objects.
 * Encode NaN and infinities yourself (for example as strings) before putting them in a token.
 */

/**
 * Tokens longer than this are refused before any decoding, and no token is built longer. It is
 * sized from the worst keyset position a valid search can produce, so encoding one never fails:
 * at most 20 order_by items (`MAX_ORDER_BY_ITEMS`), each sorting by at most one stored string of at
 * most 8,000 characters (tag values; params hold 6,000, names 500), each character at most 6 bytes
 * of JSON (`\u001f`-style escapes; 4 UTF-8 bytes otherwise), base64 adding a third:
 * 20 x 8,000 x 6 x 4/3 = 1,280,000 characters. The rest of the 2 MiB leaves room for the numeric
 * and tie-breaking components and the envelope. (Page tokens travel in POST bodies; MLflow's
 * client sends searches as POST.)
 */
export const PAGE_TOKEN_MAX_LENGTH = 2 * 1024 * 1024;
const VERSION = 1;
const HASH_LENGTH = 12;

export interface PageTokenOptions {
  /** Largest token accepted (and produced); default `PAGE_TOKEN_MAX_LENGTH`. */
  maxLength?: number;
}

function shortHash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('base64url').slice(0, HASH_LENGTH);
}

function invalidToken(reason: string): KeelError {
  return new KeelError('INVALID_PARAMETER_VALUE', `Invalid page token: ${reason}`);
}

function checkJsonSafe(value: unknown, depth: number): void {
  if (depth > 32) throw new RangeError('A page token payload may nest at most 32 levels');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`A page token payload cannot hold ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) checkJsonSafe(item, depth + 1);
    return;
  }
  if (typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) {
      for (const item of Object.values(value)) checkJsonSafe(item, depth + 1);
      return;
    }
  }
  throw new RangeError(`A page token payload cannot hold a value of type ${typeof value}`);
}

/**
 * Builds the token for the next page. Throws `RangeError` (a bug, not bad input) when the payload is
 * not JSON-safe or the token would exceed `maxLength`.
 *
 * @example
 * const scope = JSON.stringify([experimentIds, filter, orderBy, viewType]);
 * const token = encodePageToken([lastStartTime, lastRunId], scope);
 * decodePageToken(token, scope); // [lastStartTime, lastRunId]
 */
export function encodePageToken(
  payload: unknown[] | object,
  scope: string,
  options: PageTokenOptions = {},
): string {
  checkJsonSafe(payload, 0);
  const body = Buffer.from(JSON.stringify([VERSION, shortHash(scope), payload]), 'utf8');
  const token = `${body.toString('base64url')}.${shortHash(body)}`;
  const maxLength = options.maxLength ?? PAGE_TOKEN_MAX_LENGTH;
  if (token.length > maxLength) {
    throw new RangeError(`A page token of ${token.length} characters exceeds the limit of ${maxLength}`);
  }
  return token;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Reads a token made by `encodePageToken` with the same `scope`. Anything else (not a string, too
 * long, malformed, altered, from another query, or a payload `isPayload` rejects) is
 * `INVALID_PARAMETER_VALUE` "Invalid page token: ...".
 *
 * @example
 * const offset = decodePageToken(token, scope, (p): p is { offset: number } =>
 *   typeof p === 'object' && p !== null && Number.isSafeInteger((p as { offset?: unknown }).offset));
 */
export function decodePageToken<T = unknown>(
  token: unknown,
  scope: string,
  isPayload?: (payload: unknown) => payload is T,
  options: PageTokenOptions = {},
): T {
  if (typeof token !== 'string') throw invalidToken('expected a string');
  const maxLength = options.maxLength ?? PAGE_TOKEN_MAX_LENGTH;
  if (token.length > maxLength) throw invalidToken(`longer than ${maxLength} characters`);
  const dot = token.indexOf('.');
  const encoded = token.slice(0, dot);
  const checksum = token.slice(dot + 1);
  if (dot <= 0 || checksum.length !== HASH_LENGTH || !BASE64URL.test(encoded) || !BASE64URL.test(checksum)) {
    throw invalidToken('it is malformed; pass the next_page_token of the previous page unchanged');
  }
  const body = Buffer.from(encoded, 'base64url');
  if (body.toString('base64url') !== encoded || shortHash(body) !== checksum) {
    throw invalidToken(
      'it was altered or is corrupt; pass the next_page_token of the previous page unchanged',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw invalidToken('its contents are not valid JSON');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== VERSION ||
    typeof parsed[1] !== 'string'
  ) {
    throw invalidToken('unsupported token format; start again without a page token');
  }
  if (parsed[1] !== shortHash(scope)) {
    throw invalidToken(
      'it belongs to a different query (the experiments, filter or order changed); start again without a page token',
    );
  }
  const payload: unknown = parsed[2];
  if (isPayload !== undefined && !isPayload(payload))
    throw invalidToken('its contents do not fit this query');
  return payload as T;
}
