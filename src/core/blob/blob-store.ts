import type { Readable } from 'node:stream';

/**
 * Where artifacts and data objects live: a local folder or an S3-compatible bucket. Keys are
 * relative, `/`-separated and already confined by `toBlobKey` (no `..`, no leading `/`).
 *
 * Bodies stream both ways; no method buffers a whole object.
 */
export interface BlobStore {
  /** Writes (or replaces) an object from a stream; resolves with the bytes written. */
  put(key: string, body: Readable): Promise<{ size: number }>;
  /**
   * Opens an object for reading, optionally a byte range (`end` inclusive, clamped to the last
   * byte; a `start` past the end is `INVALID_PARAMETER_VALUE`). `size` is the whole object's size,
   * also for a range. `RESOURCE_DOES_NOT_EXIST` when absent.
   */
  get(key: string, range?: { start: number; end?: number }): Promise<{ body: Readable; size: number }>;
  /** Size and modification time, or `undefined` when absent (a "directory" is absent). */
  stat(key: string): Promise<BlobStat | undefined>;
  /**
   * One level of the tree below `prefix` (a directory key, `''` for the root): objects and
   * sub-directories, each sorted by name. An absent prefix lists nothing.
   */
  list(prefix: string): Promise<BlobListing>;
  /** Removes one object; absent is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every object under a directory key; resolves with how many were removed. */
  deletePrefix(prefix: string): Promise<number>;
}

export interface BlobStat {
  size: number;
  modifiedAt: number;
}

export interface BlobListing {
  /** Object names relative to the prefix, with their sizes. */
  files: { name: string; size: number }[];
  /** Sub-directory names relative to the prefix. */
  dirs: string[];
}
