/**
 * The forms credentials travel in, parsed without I/O. Hashing and comparing live in the auth
 * service; these only take strings apart and refuse what is malformed.
 */

/** What an `Authorization` header (or the session cookie) carries. */
export type PresentedCredentials =
  { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

/** The longest `Authorization` header value looked at; longer ones are refused unread. */
export const MAX_AUTHORIZATION_LENGTH = 4096;

/**
 * Parses `Basic <base64(user:password)>` or `Bearer <token>` (scheme case-insensitive, as RFC 7235
 * says). Undefined for an absent header; `'malformed'` for anything else.
 */
export function parseAuthorization(
  header: string | undefined,
): PresentedCredentials | 'malformed' | undefined {
  if (header === undefined || header === '') return undefined;
  if (header.length > MAX_AUTHORIZATION_LENGTH) return 'malformed';
  const space = header.indexOf(' ');
  if (space <= 0) return 'malformed';
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (value === '') return 'malformed';
  if (scheme === 'bearer')
    return /^[\x21-\x7e]+$/.test(value) ? { kind: 'bearer', token: value } : 'malformed';
  if (scheme !== 'basic' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return 'malformed';
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return 'malformed';
  return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** API tokens read `keel_<token id: 26-character ULID>_<secret: 43 base64url characters>`. */
export const TOKEN_PREFIX = 'keel_';
const tokenPattern = /^keel_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$/;

export function formatApiToken(tokenId: string, secret: string): string {
  return `${TOKEN_PREFIX}${tokenId}_${secret}`;
}

export function parseApiToken(token: string): { tokenId: string; secret: string } | undefined {
  const match = tokenPattern.exec(token);
  return match ? { tokenId: match[1]!, secret: match[2]! } : undefined;
}

/** The session cookie's value: `<session id: ULID>.<secret: 43 base64url characters>`. */
const sessionPattern = /^([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/;

export function formatSessionCookie(sessionId: string, secret: string): string {
  return `${sessionId}.${secret}`;
}

export function parseSessionCookie(value: string): { sessionId: string; secret: string } | undefined {
  const match = sessionPattern.exec(value);
  return match ? { sessionId: match[1]!, secret: match[2]! } : undefined;
}
