import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore, openBlobStore } from '../../src/backends/blob/index.js';
import { blobStoreContract, expectKeelError, readText, textStream } from './blob-store-contract.js';

blobStoreContract('LocalBlobStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-blobs-'));
  return {
    store: new LocalBlobStore(join(dir, 'root')),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('LocalBlobStore on disk', () => {
  let dir: string;
  let root: string;
  let outside: string;
  let blobs: LocalBlobStore;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'keel-blobs-local-'));
    root = join(dir, 'root');
    outside = join(dir, 'outside');
    mkdirSync(join(root, 'inside'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), 'top secret');
    writeFileSync(join(root, 'inside', 'real.txt'), 'real');
    symlinkSync(outside, join(root, 'escape-dir'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'escape-file'));
    symlinkSync(join(root, 'inside'), join(root, 'inside-link'));
    blobs = new LocalBlobStore(root);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('does not read through a symlinked directory out of the root', async () => {
    await expectKeelError(blobs.get('escape-dir/secret.txt'), 'INVALID_PARAMETER_VALUE', 'Invalid path');
    await expectKeelError(blobs.stat('escape-dir/secret.txt'), 'INVALID_PARAMETER_VALUE', 'Invalid path');
    await expectKeelError(blobs.list('escape-dir'), 'INVALID_PARAMETER_VALUE', 'Invalid path');
  });

  it('does not read a symlinked file, even one pointing inside', async () => {
    await expectKeelError(blobs.get('escape-file'), 'INVALID_PARAMETER_VALUE', 'Invalid path');
    await expectKeelError(blobs.get('inside-link/real.txt'), 'INVALID_PARAMETER_VALUE', 'Invalid path');
  });

  it('does not write or delete through a symlink', async () => {
    await expectKeelError(
      blobs.put('escape-dir/planted.txt', textStream('x')),
      'INVALID_PARAMETER_VALUE',
      'Invalid path',
    );
    await expectKeelError(
      blobs.put('escape-dir/new/deeper.txt', textStream('x')),
      'INVALID_PARAMETER_VALUE',
      'Invalid path',
    );
    await expectKeelError(blobs.delete('escape-dir/secret.txt'), 'INVALID_PARAMETER_VALUE', 'Invalid path');
    await expectKeelError(blobs.deletePrefix('escape-dir'), 'INVALID_PARAMETER_VALUE', 'Invalid path');
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it('lists neither symlinks nor upload temp files', async () => {
    expect(await blobs.list('')).toEqual({ files: [], dirs: ['inside'] });
  });

  it('deletePrefix of the root removes links, not their targets', async () => {
    const other = mkdtempSync(join(tmpdir(), 'keel-blobs-prefix-'));
    try {
      const store = new LocalBlobStore(join(other, 'root'));
      await store.put('a/b.txt', textStream('b'));
      symlinkSync(outside, join(other, 'root', 'a', 'link'));
      expect(await store.deletePrefix('')).toBe(1);
      expect(readdirSync(join(other, 'root'))).toEqual([]);
      expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('works when the root itself is reached through a symlink', async () => {
    const linkedRoot = join(dir, 'linked-root');
    symlinkSync(join(root, 'inside'), linkedRoot);
    const store = new LocalBlobStore(linkedRoot);
    expect(await readText((await store.get('real.txt')).body)).toBe('real');
    await store.put('added.txt', textStream('added'));
    expect(readFileSync(join(root, 'inside', 'added.txt'), 'utf8')).toBe('added');
  });

  it('creates the root on the first write and reads an absent root as empty', async () => {
    const fresh = join(dir, 'fresh', 'nested');
    const store = new LocalBlobStore(fresh);
    expect(existsSync(fresh)).toBe(false);
    expect(await store.list('')).toEqual({ files: [], dirs: [] });
    expect(await store.stat('x')).toBeUndefined();
    expect(await store.deletePrefix('')).toBe(0);
    await expectKeelError(store.get('x'), 'RESOURCE_DOES_NOT_EXIST');
    expect(existsSync(fresh)).toBe(false);
    await store.put('x', textStream('x'));
    expect(readFileSync(join(fresh, 'x'), 'utf8')).toBe('x');
  });
});

describe('openBlobStore', () => {
  it('opens file:///absolute, file://./relative and plain paths as local folders', () => {
    expect((openBlobStore('file:///var/tmp/keel-art') as LocalBlobStore).rootDir).toBe('/var/tmp/keel-art');
    expect((openBlobStore('file://./keel-data/artifacts') as LocalBlobStore).rootDir).toBe(
      resolve('keel-data/artifacts'),
    );
    expect((openBlobStore('./some/dir') as LocalBlobStore).rootDir).toBe(resolve('some/dir'));
    expect((openBlobStore('/abs/dir') as LocalBlobStore).rootDir).toBe('/abs/dir');
    expect((openBlobStore('file:///with%20space') as LocalBlobStore).rootDir).toBe('/with space');
  });

  it('answers S3 URIs with a clear "not yet" error', () => {
    expect(() => openBlobStore('s3://bucket/prefix')).toThrow(
      expect.objectContaining({
        code: 'INVALID_PARAMETER_VALUE',
        message: 'S3 artifact stores arrive with data versioning (next release); use a local folder',
      }),
    );
  });

  it('refuses other schemes and an empty location', () => {
    expect(() => openBlobStore('gs://bucket')).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }),
    );
    expect(() => openBlobStore('mlflow-artifacts:/x')).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }),
    );
    expect(() => openBlobStore('  ')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
  });
});
