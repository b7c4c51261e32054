import { KeelError } from '../errors.js';

/**
 * Normalises a user-supplied relative path into a blob key and confines it: no absolute paths, no
 * `..` segments, no empty or `.` segments, no NUL or backslash. `''` stays the root.
 *
 * @example
 * toBlobKey('1/abc/artifacts/model/MLmodel') // '1/abc/artifacts/model/MLmodel'
 * toBlobKey('../etc/passwd') // throws INVALID_PARAMETER_VALUE "Invalid path"
 */
export function toBlobKey(path: string): string {
  if (path === '' || path === '/') return '';
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

/** Joins confined keys; empty parts are skipped. */
export function joinBlobKey(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('/');
}
