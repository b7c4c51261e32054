/**
 * The web UI's session cookie on the wire. Only its name and attributes live here; the value
 * (`<session id>.<secret>`) is made and checked by the auth service.
 */

export const sessionCookieName = 'keel_session';

/** RFC 6265 cookie-octets: what a well-formed cookie value may hold, without quotes. */
const cookieValue = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/**
 * The value of cookie `name` in a `Cookie` request header, or undefined when absent or malformed.
 * Strict and small on purpose: no decoding, no quotes, the first occurrence wins (browsers send the
 * cookie with the longest path first). Anything that does not parse is treated as absent, so a
 * mangled cookie never authenticates anything.
 *
 * @example
 * readCookie('theme=dark; keel_session=01J...abc', 'keel_session'); // '01J...abc'
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header === '') return undefined;
  const prefix = `${name}=`;
  for (const part of header.split(';')) {
    const pair = part.trim();
    if (!pair.startsWith(prefix)) continue;
    const value = pair.slice(prefix.length);
    return value !== '' && cookieValue.test(value) ? value : undefined;
  }
  return undefined;
}

export interface SessionCookieOptions {
  /** Adds `Secure`: browsers then send the cookie only over HTTPS. */
  secure: boolean;
}

/**
 * The `Set-Cookie` value that stores a session: HttpOnly (scripts cannot read it), SameSite=Strict
 * (other sites' pages cannot make the browser send it), Path=/, and an expiry matching the
 * session's absolute limit.
 */
export function sessionSetCookie(value: string, expiresTime: number, options: SessionCookieOptions): string {
  const attributes = [
    `${sessionCookieName}=${value}`,
    'Path=/',
    `Expires=${new Date(expiresTime).toUTCString()}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** The `Set-Cookie` value that makes the browser forget the session cookie. */
export function clearedSessionCookie(options: SessionCookieOptions): string {
  const attributes = [
    `${sessionCookieName}=`,
    'Path=/',
    'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    'Max-Age=0',
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}
