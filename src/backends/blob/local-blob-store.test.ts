import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../core/errors.js';
import { LocalBlobStore } from './local-blob-store.js';

describe('LocalBlobStore: paths the file system cannot hold', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'keel-blob-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('answers INVALID_PARAMETER_VALUE, not ENAMETOOLONG, when root plus key is too long', async () => {
    const blobs = new LocalBlobStore(root);
    // A valid key (16 names of 255 bytes: 4,095 bytes) that the root's own length pushes over PATH_MAX.
    const key = Array.from({ length: 16 }, (_, i) => String(i % 10).repeat(255)).join('/');
    for (const attempt of [
      () => blobs.put(key, Readable.from(['x'])),
      () => blobs.stat(key),
      () => blobs.get(key),
    ]) {
      const error: unknown = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(KeelError);
      expect((error as KeelError).code).toBe('INVALID_PARAMETER_VALUE');
      expect((error as KeelError).message).toMatch(
        /^Invalid path: '0{80}\.\.\.' is too long for the artifact store/,
      );
    }
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses a name over 255 bytes before touching the disk', async () => {
    const blobs = new LocalBlobStore(root);
    await expect(blobs.put(`a/${'n'.repeat(256)}`, Readable.from(['x']))).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringMatching(/^Invalid path: the name 'n{40}\.\.\.' is 256 bytes long/) as unknown,
    });
    expect(await readdir(root)).toEqual([]);
  });
});
