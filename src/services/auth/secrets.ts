import { createHmac, hash as digest, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new random secret for a token or a session: 256 bits as 43 base64url characters (the form
 * `formatApiToken` and `formatSessionCookie` expect).
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What is stored for a token's or a session's secret: SHA-256, hex. The secrets are 256 random
 * bits, so a fast hash loses nothing against guessing and keeps each request cheap.
 */
export function secretHash(secret: string): string {
  return digest('sha256', secret, 'hex');
}

/** Whether `secret` hashes to the stored `hash`, compared in constant time. */
export function secretMatches(secret: string, hash: string): boolean {
  // One-shot hashing: no Hash object per request on the authentication hot path.
  const presented = digest('sha256', secret, 'buffer');
  const stored = Buffer.from(hash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** Equality of two strings (or a string and bytes) in time that depends only on their lengths. */
export function safeEqual(a: string, b: string | Buffer): boolean {
  const left = Buffer.from(a);
  const right = typeof b === 'string' ? Buffer.from(b) : b;
  return left.length === right.length && timingSafeEqual(left, right);
}

/** HMAC-SHA256 of `data` under `key`, base64url. */
export function hmac(key: string | Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}
