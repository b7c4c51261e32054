import { describe, expect, it } from 'vitest';
import { MAX_BLOB_KEY_BYTES, MAX_BLOB_KEY_SEGMENT_BYTES, toBlobKey } from './blob-key.js';
import { rejection } from '../../../test/support/rejection.js';

describe('toBlobKey', () => {
  it('normalises relative paths and keeps the root', () => {
    expect(toBlobKey('1/abc/artifacts/model/MLmodel')).toBe('1/abc/artifacts/model/MLmodel');
    expect(toBlobKey('a/b/')).toBe('a/b');
    expect(toBlobKey('')).toBe('');
    expect(toBlobKey('/')).toBe('');
  });

  it('refuses escapes and malformed segments', () => {
    for (const bad of ['../etc/passwd', '/abs', 'a//b', 'a/./b', 'a\\b', 'a\0b', 'C:/x']) {
      expect(rejection(() => toBlobKey(bad))).toBe('Invalid path');
    }
  });

  it('accepts names up to 255 UTF-8 bytes and refuses longer ones, saying why', () => {
    expect(toBlobKey(`a/${'x'.repeat(MAX_BLOB_KEY_SEGMENT_BYTES)}`)).toBe(`a/${'x'.repeat(255)}`);
    // 128 two-byte characters are 256 bytes though only 128 characters.
    expect(rejection(() => toBlobKey(`a/${'é'.repeat(128)}/b`))).toBe(
      `Invalid path: the name '${'é'.repeat(40)}...' is 256 bytes long; each name in a path may be at most 255 bytes (UTF-8)`,
    );
  });

  it('accepts keys up to 4,096 UTF-8 bytes and refuses longer ones, saying why', () => {
    const segment = 'y'.repeat(255);
    const fits = Array.from({ length: 16 }, () => segment).join('/'); // 16 * 256 - 1 = 4095 bytes
    expect(toBlobKey(fits)).toBe(fits);
    expect(rejection(() => toBlobKey(`${fits}/zz`))).toBe(
      `Invalid path: it is 4098 bytes long; a path may be at most ${MAX_BLOB_KEY_BYTES} bytes (UTF-8)`,
    );
  });
});
