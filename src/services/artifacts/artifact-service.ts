import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Caller, Permission } from '../../core/auth/index.js';
import { joinBlobKey, proxiedArtifactKey, toBlobKey, type BlobStore } from '../../core/blob/index.js';
import { isKeelError, KeelError } from '../../core/errors.js';
import type { TrackingStore } from '../../core/tracking/index.js';
import { objectNotFound, type AccessControl } from '../auth/index.js';
import { TrackingGuard } from '../tracking/index.js';
import { artifactContentType } from './artifact-content-type.js';
import { tooLarge, uploadLimit } from './upload-limit.js';

/**
 * What the artifact service reads of the tracking store: where a run's or a model's artifacts
 * live, and which experiment and workspace things belong to (for permission checks).
 */
export type ArtifactOwnerStore = Pick<
  TrackingStore,
  'getRunInfo' | 'getLoggedModel' | 'experimentWorkspace' | 'runOwner' | 'loggedModelOwner'
>;

export interface ArtifactServiceOptions {
  store: ArtifactOwnerStore;
  blobs: BlobStore;
  access: AccessControl;
  /** The largest upload accepted, in bytes (default 5 GiB). */
  maxUploadBytes?: number;
}

/** Experiment ids are decimal integers; a first path segment of another form names no experiment. */
const experimentIdPattern = /^[0-9]{1,18}$/;

/** One entry of an artifact listing. */
export interface ArtifactFile {
  /** Proxy listing: the name within the listed directory. Run/model listing: relative to the root. */
  path: string;
  isDir: boolean;
  /** Bytes, for files only. */
  fileSize?: number;
}

/** `artifacts/list` and `logged-models/{id}/artifacts/directories`. */
export interface RootedArtifactListing {
  /** The run's or model's artifact URI. */
  rootUri: string;
  files: ArtifactFile[];
}

/** A byte range as HTTP asks for one: from `start` (to `end`, inclusive), or the last `suffix` bytes. */
export type ByteRange = { start: number; end?: number } | { suffix: number };

interface DownloadBase {
  /** The file name, for `Content-Disposition`. */
  fileName: string;
  contentType: string;
  /** The whole file's size in bytes. */
  size: number;
}

/** A download: the whole file, a satisfiable range of it, or a range that lies outside it. */
export type ArtifactDownload =
  | (DownloadBase & { kind: 'full'; body: Readable })
  | (DownloadBase & { kind: 'partial'; body: Readable; start: number; end: number })
  | (DownloadBase & { kind: 'unsatisfiable' });

export const defaultMaxUploadBytes = 5 * 1024 ** 3;

/**
 * MLflow's artifact proxy over a `BlobStore`. Proxy paths are blob keys
 * (`<experiment>/<run>/artifacts/<path>`), and `mlflow-artifacts:/<rest>` stands for key `<rest>`.
 * Every path is confined by `toBlobKey` (`INVALID_PARAMETER_VALUE` "Invalid path"); bytes stream
 * through and are never held whole.
 *
 * Permissions: a proxy path belongs to the experiment its first segment names; reading and
 * listing need READ on it, uploading EDIT, and deleting (bytes gone for good) MANAGE, as MLflow's
 * auth app asks. Paths outside any experiment's folder are for site administrators only. Run and
 * logged-model artifacts need READ on their experiment. What the caller may not read is answered
 * as if absent (a listing of it is empty).
 *
 * @example
 * const artifacts = new ArtifactService({ store, blobs, access });
 * await artifacts.upload(caller, '1/abc/artifacts/notes.txt', Readable.from(['hello']));
 * const { files } = await artifacts.listRunArtifacts(caller, 'abc');
 */
export class ArtifactService {
  readonly maxUploadBytes: number;
  readonly #store: ArtifactOwnerStore;
  readonly #blobs: BlobStore;
  readonly #access: AccessControl;
  readonly #guard: TrackingGuard;

  constructor(options: ArtifactServiceOptions) {
    this.#store = options.store;
    this.#blobs = options.blobs;
    this.#access = options.access;
    this.#guard = new TrackingGuard({ store: options.store, access: options.access });
    this.maxUploadBytes = options.maxUploadBytes ?? defaultMaxUploadBytes;
  }

  /**
   * Stores `body` at `path`, replacing what was there. Fails with `PAYLOAD_TOO_LARGE` when
   * `declaredSize` or the bytes actually sent exceed the limit; a failed or interrupted upload
   * leaves the previous object (or none) in place. Consumes `body`, and destroys it on failure
   * (refused before reading when `declaredSize` is over the limit).
   */
  async upload(
    caller: Caller,
    path: string,
    body: Readable,
    declaredSize?: number,
  ): Promise<{ size: number }> {
    let key: string;
    try {
      key = fileKey(path);
      await this.#checkKey(caller, key, 'EDIT', experimentHidden);
    } catch (error) {
      body.destroy();
      throw error;
    }
    if (declaredSize !== undefined && declaredSize > this.maxUploadBytes) throw tooLarge(this.maxUploadBytes);
    const limited = uploadLimit(this.maxUploadBytes);
    // Both sides can fail first: the body (interrupted, too large) or the store (a directory has
    // that name). Either failure must stop the other, or the copy would wait forever.
    const failures: unknown[] = [];
    const stop = (error: unknown) => {
      failures.push(error);
      limited.destroy(error as Error);
    };
    const [written] = await Promise.all([
      this.#blobs.put(key, limited).catch((error: unknown) => stop(error)),
      pipeline(body, limited).catch((error: unknown) => stop(error)),
    ]);
    if (failures.length > 0) throw failures.find(isKeelError) ?? failures[0];
    return written as { size: number };
  }

  /** Opens the file at `path` (optionally a range of it). `RESOURCE_DOES_NOT_EXIST` when absent. */
  async download(caller: Caller, path: string, range?: ByteRange): Promise<ArtifactDownload> {
    const key = fileKey(path);
    await this.#checkKey(caller, key, 'READ', () => notFound(key));
    return this.#open(key, range);
  }

  /**
   * The proxy listing of a directory (`''` or absent: the root): names within it, directories and
   * files merged and sorted by name. A file path or an absent directory lists nothing, which the
   * MLflow client uses to tell a file from a directory; so does a directory the caller may not
   * read. At the root, a caller other than a site administrator sees only the folders of the
   * experiments they may read.
   */
  async list(caller: Caller, dirPath?: string): Promise<ArtifactFile[]> {
    const key = toBlobKey(dirPath ?? '');
    if (key === '' && !this.#access.isSiteAdmin(caller)) {
      const { dirs } = await this.#blobs.list('');
      const readable = await this.#guard.readableExperiments(
        caller,
        dirs.filter((dir) => experimentIdPattern.test(dir)),
      );
      return merged({ dirs: readable, files: [] }, '');
    }
    try {
      await this.#checkKey(caller, key, 'READ', experimentHidden);
    } catch (error) {
      if (isKeelError(error) && error.code === 'RESOURCE_DOES_NOT_EXIST') return [];
      throw error;
    }
    return merged(await this.#blobs.list(key), '');
  }

  /**
   * Removes the file, or everything below the directory, at `path`; absent is not an error. MANAGE
   * on the experiment, as deleting runs and experiments needs (and MLflow's auth app asks here).
   */
  async delete(caller: Caller, path: string): Promise<void> {
    const key = fileKey(path);
    await this.#checkKey(caller, key, 'MANAGE', experimentHidden);
    if ((await this.#blobs.stat(key)) !== undefined) await this.#blobs.delete(key);
    else await this.#blobs.deletePrefix(key);
  }

  /**
   * `artifacts/list`: one level of a run's artifacts below `path`, each path relative to the run's
   * artifact root (`tree/sub/b.bin`). `RESOURCE_DOES_NOT_EXIST` for an unknown run;
   * `INVALID_PARAMETER_VALUE` "Invalid path" for `..`, and for a run whose artifacts live
   * somewhere this server does not proxy.
   */
  async listRunArtifacts(caller: Caller, runId: string, path?: string): Promise<RootedArtifactListing> {
    const relative = toBlobKey(path ?? '');
    if (caller.user !== null) await this.#guard.run(caller, runId, 'READ');
    const run = await this.#store.getRunInfo(runId);
    return this.#listRooted(run.artifactUri, `Run '${runId}'`, relative);
  }

  /** `logged-models/{id}/artifacts/directories`: as `listRunArtifacts`, for a logged model. */
  async listLoggedModelArtifacts(
    caller: Caller,
    modelId: string,
    path?: string,
  ): Promise<RootedArtifactListing> {
    const relative = toBlobKey(path ?? '');
    if (caller.user !== null) await this.#guard.loggedModel(caller, modelId, 'READ');
    const model = await this.#store.getLoggedModel(modelId);
    return this.#listRooted(model.artifactUri, `Logged model '${modelId}'`, relative);
  }

  /** `/get-artifact`: opens a file of a run's artifacts, `path` relative to its artifact root. */
  async openRunArtifact(
    caller: Caller,
    runId: string,
    path: string,
    range?: ByteRange,
  ): Promise<ArtifactDownload> {
    const relative = fileKey(path);
    if (caller.user !== null) await this.#guard.run(caller, runId, 'READ');
    const run = await this.#store.getRunInfo(runId);
    const root = servedRoot(run.artifactUri, `Run '${runId}'`);
    return this.#open(joinBlobKey(root, relative), range);
  }

  /** A file of a logged model's artifacts, `path` relative to its artifact root. */
  async openLoggedModelArtifact(
    caller: Caller,
    modelId: string,
    path: string,
    range?: ByteRange,
  ): Promise<ArtifactDownload> {
    const relative = fileKey(path);
    if (caller.user !== null) await this.#guard.loggedModel(caller, modelId, 'READ');
    const model = await this.#store.getLoggedModel(modelId);
    const root = servedRoot(model.artifactUri, `Logged model '${modelId}'`);
    return this.#open(joinBlobKey(root, relative), range);
  }

  /**
   * Passes when the caller holds `needed` on the experiment whose folder `key` is in. Outside any
   * experiment's folder only a site administrator passes; others get `hidden()`, as they do for an
   * experiment they may not read.
   */
  async #checkKey(
    caller: Caller,
    key: string,
    needed: Permission,
    hidden: (key: string) => KeelError,
  ): Promise<void> {
    if (caller.user === null) return;
    const first = key.slice(0, key.includes('/') ? key.indexOf('/') : key.length);
    const workspace = experimentIdPattern.test(first)
      ? await this.#guard.experimentWorkspace(first)
      : undefined;
    if (workspace === undefined) {
      if (this.#access.isSiteAdmin(caller)) return;
      throw hidden(first);
    }
    await this.#guard.experiment(caller, first, needed, () => hidden(first));
  }

  async #listRooted(rootUri: string, owner: string, relative: string): Promise<RootedArtifactListing> {
    const root = servedRoot(rootUri, owner);
    const listing = await this.#blobs.list(joinBlobKey(root, relative));
    return { rootUri, files: merged(listing, relative) };
  }

  async #open(key: string, range: ByteRange | undefined): Promise<ArtifactDownload> {
    const fileName = key.slice(key.lastIndexOf('/') + 1);
    const contentType = artifactContentType(fileName);
    try {
      if (range === undefined) {
        const { body, size } = await this.#blobs.get(key);
        return { kind: 'full', body, size, fileName, contentType };
      }
      const stat = await this.#blobs.stat(key);
      if (stat === undefined) throw notFound(key);
      const window = resolveRange(range, stat.size);
      if (window === undefined) return { kind: 'unsatisfiable', size: stat.size, fileName, contentType };
      const { body, size } = await this.#blobs.get(key, window);
      return {
        kind: 'partial',
        body,
        size,
        start: window.start,
        end: Math.min(window.end, size - 1),
        fileName,
        contentType,
      };
    } catch (error) {
      if (isKeelError(error) && error.code === 'RESOURCE_DOES_NOT_EXIST') throw notFound(key);
      throw error;
    }
  }
}

/** A path that must name a file: confined and not the root. */
function fileKey(path: string): string {
  const key = toBlobKey(path);
  if (key === '') throw new KeelError('INVALID_PARAMETER_VALUE', 'An artifact path is required');
  return key;
}

function servedRoot(uri: string, owner: string): string {
  const key = proxiedArtifactKey(uri);
  if (key === undefined) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `${owner} keeps its artifacts at '${uri}', which this server does not proxy: read them from that location directly`,
    );
  }
  return key;
}

function merged(
  listing: { files: { name: string; size: number }[]; dirs: string[] },
  base: string,
): ArtifactFile[] {
  const files: ArtifactFile[] = [
    ...listing.dirs.map((name) => ({ path: joinBlobKey(base, name), isDir: true })),
    ...listing.files.map((file) => ({
      path: joinBlobKey(base, file.name),
      isDir: false,
      fileSize: file.size,
    })),
  ];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The inclusive window a range asks for in a file of `size` bytes, or `undefined` if none of it exists. */
function resolveRange(range: ByteRange, size: number): { start: number; end: number } | undefined {
  if ('suffix' in range) {
    if (range.suffix <= 0 || size === 0) return undefined;
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  if (range.start >= size) return undefined;
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** For writes under a folder that is no experiment the caller can see. */
function experimentHidden(firstSegment: string): KeelError {
  return objectNotFound('experiment', firstSegment);
}

function notFound(key: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `No artifact at '${key}'`);
}
