import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  lstat,
  mkdir,
  open,
  opendir,
  readdir,
  realpath,
  rename,
  rmdir,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobListing, BlobStat, BlobStore } from '../../core/blob/index.js';
import { toBlobKey } from '../../core/blob/index.js';
import { KeelError } from '../../core/errors.js';

/** Uploads in progress are written to files named like this beside their target, then renamed. */
const partialPrefix = '.keel-partial-';
/** Directory entries handled at once when listing or deleting a tree. */
const fanOut = 32;

/**
 * A `BlobStore` over a local folder. Keys map to files below `rootDir`; directories appear and
 * vanish with the objects in them, as prefixes do in S3.
 *
 * Confinement: every key is re-checked with `toBlobKey`, resolved against the root's real path and
 * refused (`INVALID_PARAMETER_VALUE` "Invalid path") when any part of it is a symbolic link, so a
 * link planted inside the folder can neither be read through nor written through. Writes go to a
 * temporary file in the target's folder and are renamed into place, so a reader sees the old
 * object or the whole new one, never part of an upload.
 *
 * @example
 * const blobs = new LocalBlobStore('/var/lib/keel/artifacts');
 * await blobs.put('1/abc/artifacts/notes.txt', Readable.from(['hello']));
 */
export class LocalBlobStore implements BlobStore {
  readonly rootDir: string;
  #realRoot: string | undefined;

  constructor(rootDir: string) {
    this.rootDir = resolve(rootDir);
  }

  async put(key: string, body: Readable): Promise<{ size: number }> {
    const objectKey = toBlobKey(key);
    if (objectKey === '') throw new KeelError('INVALID_PARAMETER_VALUE', 'An object key cannot be empty');
    const name = objectKey.slice(objectKey.lastIndexOf('/') + 1);
    if (name.startsWith(partialPrefix)) {
      throw new KeelError(
        'INVALID_PARAMETER_VALUE',
        `Invalid path: names starting with '${partialPrefix}' are reserved`,
      );
    }
    const root = await this.#writableRoot();
    const target = await this.#confine(root, objectKey);
    const folder = join(target, '..');
    const temp = await this.#openTemp(root, folder, objectKey);
    try {
      const out = temp.handle.createWriteStream();
      await pipeline(body, out);
      const size = out.bytesWritten;
      await rename(temp.path, target).catch((error: unknown) => {
        if (hasCode(error, 'EISDIR', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR')) {
          throw new KeelError(
            'INVALID_PARAMETER_VALUE',
            `Cannot write '${objectKey}': a directory has that name`,
          );
        }
        throw error;
      });
      return { size };
    } catch (error) {
      await unlink(temp.path).catch(() => {});
      throw error;
    }
  }

  async get(key: string, range?: { start: number; end?: number }): Promise<{ body: Readable; size: number }> {
    const objectKey = toBlobKey(key);
    const absent = () => new KeelError('RESOURCE_DOES_NOT_EXIST', `No object at '${objectKey}'`);
    const root = await this.#root();
    if (root === undefined || objectKey === '') throw absent();
    const path = await this.#confine(root, objectKey);
    const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(
      (error: unknown) => {
        if (hasCode(error, 'ENOENT', 'ENOTDIR')) throw absent();
        if (hasCode(error, 'ELOOP', 'EMLINK')) throw invalidPath();
        throw error;
      },
    );
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw absent();
      const size = stats.size;
      if (range === undefined) return { body: handle.createReadStream(), size };
      const { start, end } = checkRange(range, size);
      return { body: handle.createReadStream({ start, end }), size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async stat(key: string): Promise<BlobStat | undefined> {
    const objectKey = toBlobKey(key);
    const root = await this.#root();
    if (root === undefined || objectKey === '') return undefined;
    const path = await this.#confine(root, objectKey);
    const stats = await lstat(path).catch((error: unknown) => {
      if (hasCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
      throw error;
    });
    if (stats === undefined || !stats.isFile()) return undefined;
    return { size: stats.size, modifiedAt: Math.floor(stats.mtimeMs) };
  }

  async list(prefix: string): Promise<BlobListing> {
    const dirKey = toBlobKey(prefix);
    const root = await this.#root();
    if (root === undefined) return { files: [], dirs: [] };
    const dir = await this.#confine(root, dirKey);
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      if (hasCode(error, 'ENOENT', 'ENOTDIR')) return [];
      throw error;
    });
    const dirs: string[] = [];
    const fileNames: string[] = [];
    for (const entry of entries) {
      if (entry.isDirectory()) dirs.push(entry.name);
      else if (entry.isFile() && !entry.name.startsWith(partialPrefix)) fileNames.push(entry.name);
    }
    const files: BlobListing['files'] = [];
    await forEachLimited(fileNames, async (name) => {
      const stats = await lstat(join(dir, name)).catch(() => undefined);
      if (stats?.isFile()) files.push({ name, size: stats.size });
    });
    files.sort((a, b) => compareNames(a.name, b.name));
    dirs.sort(compareNames);
    return { files, dirs };
  }

  async delete(key: string): Promise<void> {
    const objectKey = toBlobKey(key);
    const root = await this.#root();
    if (root === undefined || objectKey === '') return;
    const path = await this.#confine(root, objectKey);
    try {
      await unlink(path);
    } catch (error) {
      // A directory is not an object; absent is not an error.
      if (hasCode(error, 'ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM')) return;
      throw error;
    }
    await pruneEmptyParents(root, objectKey);
  }

  async deletePrefix(prefix: string): Promise<number> {
    const dirKey = toBlobKey(prefix);
    const root = await this.#root();
    if (root === undefined) return 0;
    const dir = await this.#confine(root, dirKey);
    const stats = await lstat(dir).catch((error: unknown) => {
      if (hasCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
      throw error;
    });
    if (stats === undefined || !stats.isDirectory()) return 0;
    const removed = await removeTree(dir);
    if (dirKey !== '') {
      await rmdir(dir).catch(() => {});
      await pruneEmptyParents(root, dirKey);
    }
    return removed;
  }

  /** The root's real path, or `undefined` while it does not exist yet (reads find nothing). */
  async #root(): Promise<string | undefined> {
    if (this.#realRoot !== undefined) return this.#realRoot;
    try {
      this.#realRoot = await realpath(this.rootDir);
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return undefined;
      throw error;
    }
    return this.#realRoot;
  }

  /** The root's real path, creating the folder on the first write. */
  async #writableRoot(): Promise<string> {
    if (this.#realRoot !== undefined) return this.#realRoot;
    await mkdir(this.rootDir, { recursive: true });
    this.#realRoot = await realpath(this.rootDir);
    return this.#realRoot;
  }

  /**
   * The absolute path of a key, after checking that it stays below the root and that no part of it
   * that exists is a symbolic link (the deepest existing ancestor must be its own real path).
   */
  async #confine(root: string, key: string): Promise<string> {
    const path = key === '' ? root : join(root, ...key.split('/'));
    if (!isInside(root, path)) throw invalidPath();
    // The key is capped, but the root plus the key may still exceed what the file system takes.
    if (Buffer.byteLength(path, 'utf8') >= maxPathBytes) throw pathTooLong(key);
    let probe = path;
    for (;;) {
      const real = await realpath(probe).catch((error: unknown) => {
        if (hasCode(error, 'ENOENT', 'ENOTDIR') && probe !== root) return undefined;
        if (hasCode(error, 'ENAMETOOLONG')) throw pathTooLong(key);
        throw error;
      });
      if (real === undefined) {
        probe = join(probe, '..');
        continue;
      }
      if (real !== probe) throw invalidPath();
      return path;
    }
  }

  /** Creates the folder of `key` (confined) and an exclusive temp file in it. */
  async #openTemp(root: string, folder: string, key: string): Promise<{ path: string; handle: FileHandle }> {
    // A concurrent delete may prune the folder between mkdir and open; try again a few times.
    for (let attempt = 0; ; attempt++) {
      await mkdir(folder, { recursive: true }).catch((error: unknown) => {
        if (hasCode(error, 'EEXIST', 'ENOTDIR')) {
          throw new KeelError('INVALID_PARAMETER_VALUE', `Cannot write '${key}': a parent of it is a file`);
        }
        throw error;
      });
      if ((await realpath(folder)) !== folder || !isInside(root, folder)) throw invalidPath();
      const path = join(folder, `${partialPrefix}${randomBytes(8).toString('hex')}`);
      try {
        const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
        return { path, handle };
      } catch (error) {
        if (!hasCode(error, 'ENOENT') || attempt >= 3) throw error;
      }
    }
  }
}

function checkRange(range: { start: number; end?: number }, size: number): { start: number; end: number } {
  const { start } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new KeelError('INVALID_PARAMETER_VALUE', `Invalid range start ${start}: expected an integer >= 0`);
  }
  if (range.end !== undefined && (!Number.isSafeInteger(range.end) || range.end < start)) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Invalid range end ${range.end}: expected an integer >= ${start}`,
    );
  }
  if (start >= size) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Range start ${start} is beyond the object's ${size} bytes`,
    );
  }
  return { start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** Removes everything inside `dir` (not `dir` itself) without following links; counts regular files. */
async function removeTree(dir: string): Promise<number> {
  let removed = 0;
  const names: { name: string; isDir: boolean; isFile: boolean }[] = [];
  const handle = await opendir(dir);
  for await (const entry of handle) {
    names.push({ name: entry.name, isDir: entry.isDirectory(), isFile: entry.isFile() });
  }
  await forEachLimited(names, async ({ name, isDir, isFile }) => {
    const path = join(dir, name);
    if (isDir) {
      const below = await removeTree(path);
      removed += below;
      await rmdir(path).catch((error: unknown) => {
        if (!hasCode(error, 'ENOENT', 'ENOTEMPTY')) throw error;
      });
      return;
    }
    try {
      await unlink(path);
      if (isFile && !name.startsWith(partialPrefix)) removed += 1;
    } catch (error) {
      if (!hasCode(error, 'ENOENT')) throw error;
    }
  });
  return removed;
}

/** Removes the folders of `key` that became empty, deepest first, stopping at the root. */
async function pruneEmptyParents(root: string, key: string): Promise<void> {
  const segments = key.split('/');
  for (let depth = segments.length - 1; depth > 0; depth--) {
    try {
      await rmdir(join(root, ...segments.slice(0, depth)));
    } catch {
      return;
    }
  }
}

async function forEachLimited<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += fanOut) {
    await Promise.all(items.slice(i, i + fanOut).map(work));
  }
}

/** Byte order of the names' UTF-16 code units, as S3 sorts keys for ASCII names. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/** Linux's PATH_MAX, terminating NUL included: longer paths fail with ENAMETOOLONG. */
const maxPathBytes = 4096;

function pathTooLong(key: string): KeelError {
  const shown = key.length > 80 ? `${key.slice(0, 80)}...` : key;
  return new KeelError(
    'INVALID_PARAMETER_VALUE',
    `Invalid path: '${shown}' is too long for the artifact store; use shorter names or fewer folders`,
  );
}

function invalidPath(): KeelError {
  return new KeelError('INVALID_PARAMETER_VALUE', 'Invalid path');
}

function hasCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && 'code' in error && codes.includes(String(error.code));
}
