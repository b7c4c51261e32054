import { KeelError } from '../errors.js';

/** The longest name (one path segment) a key may hold, in UTF-8 bytes: what file systems allow. */
export const MAX_BLOB_KEY_SEGMENT_BYTES = 255;
/** The longest key, in UTF-8 bytes (Linux's PATH_MAX). */
export const MAX_BLOB_KEY_BYTES = 4096;

/**
 * Normalises a user-supplied relative path into a blob key and confines it: no absolute paths, no
 * `..` segments, no empty or `.` segments, no NUL or backslash, no name over 255 bytes and no key
 * over 4,096 bytes (UTF-8). `''` stays the root.
 *
 * @example
 * toBlobKey('1/abc/artifacts/model/MLmodel') // '1/abc/artifacts/model/MLmodel'
 * toBlobKey('../etc/passwd') // throws INVALID_PARAMETER_VALUE "Invalid path"
 */
export function toBlobKey(path: string): string {
  if (path === '' || path === '/') return '';
  checkBlobKeyLength(path);
  if (path.includes('\0') || path.includes('\\') || path.startsWith('/') || /^[a-zA-Z]:/.test(path)) {
    throw new KeelError('INVALID_PARAMETER_VALUE', 'Invalid path');
  }
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new KeelError('INVALID_PARAMETER_VALUE', 'Invalid path');
    }
  }
  return segments.join('/');
}

/**
 * Refuses a path longer than a file system takes: a name over `MAX_BLOB_KEY_SEGMENT_BYTES` or the
 * whole path over `MAX_BLOB_KEY_BYTES` (UTF-8) is `INVALID_PARAMETER_VALUE` "Invalid path: ..." with
 * the reason. `toBlobKey` applies it; callers that answer other malformed paths differently (the
 * artifact proxy's 404 for escapes) call it first so the size reason is not lost.
 */
export function checkBlobKeyLength(path: string): void {
  const bytes = Buffer.byteLength(path, 'utf8');
  if (bytes > MAX_BLOB_KEY_BYTES) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Invalid path: it is ${bytes} bytes long; a path may be at most ${MAX_BLOB_KEY_BYTES} bytes (UTF-8)`,
    );
  }
  if (bytes <= MAX_BLOB_KEY_SEGMENT_BYTES) return;
  for (const segment of path.split('/')) {
    const segmentBytes = Buffer.byteLength(segment, 'utf8');
    if (segmentBytes > MAX_BLOB_KEY_SEGMENT_BYTES) {
      const shown = segment.length > 40 ? `${segment.slice(0, 40)}...` : segment;
      throw new KeelError(
        'INVALID_PARAMETER_VALUE',
        `Invalid path: the name '${shown}' is ${segmentBytes} bytes long; each name in a path may be at most ${MAX_BLOB_KEY_SEGMENT_BYTES} bytes (UTF-8)`,
      );
    }
  }
}

/** Joins confined keys; empty parts are skipped. */
export function joinBlobKey(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('/');
}
