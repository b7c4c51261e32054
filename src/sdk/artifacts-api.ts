import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { randomBytes } from 'node:crypto';
import { proxiedArtifactKey, toBlobKey } from '../core/blob/index.js';
import { isKeelError, KeelError } from '../core/errors.js';
import type { HttpTransport, RequestBody } from './http-transport.js';
import type { RunsApi } from './runs-api.js';

const proxyBase = '/api/2.0/mlflow-artifacts/artifacts';
const parallelTransfers = 4;

/** One entry of an artifact listing; `path` is relative to the run's artifact root. */
export interface ArtifactFile {
  path: string;
  isDir: boolean;
  /** Bytes; absent for directories. */
  fileSize?: number;
}

/**
 * A run's artifacts through the server's artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/...`):
 * `client.artifacts`. Bytes are streamed both ways; no file is held in memory whole.
 */
export class ArtifactsApi {
  private readonly roots = new Map<string, string[]>();

  constructor(
    private readonly http: HttpTransport,
    private readonly runs: RunsApi,
  ) {}

  /**
   * Uploads one local file as `<artifactDir>/<file name>` (or at the root) and returns its artifact path.
   */
  async uploadFile(runId: string, localPath: string, artifactDir = ''): Promise<string> {
    const info = await stat(localPath).catch(() => undefined);
    if (!info?.isFile()) {
      throw new KeelError(
        'INVALID_PARAMETER_VALUE',
        info?.isDirectory()
          ? `'${localPath}' is a directory: upload it with uploadDir`
          : `No file at '${localPath}'`,
      );
    }
    const artifactPath = joinArtifactPath(artifactDir, basename(localPath));
    await this.put(runId, artifactPath, () =>
      info.size === 0 ? '' : (Readable.toWeb(createReadStream(localPath)) as ReadableStream),
    );
    return artifactPath;
  }

  /**
   * Uploads every file under `localDir` (recursively; symlinked directories are not followed) below
   * `artifactDir`, keeping the relative layout. Returns the artifact paths written.
   */
  async uploadDir(runId: string, localDir: string, artifactDir = ''): Promise<string[]> {
    const info = await stat(localDir).catch(() => undefined);
    if (!info?.isDirectory()) throw new KeelError('INVALID_PARAMETER_VALUE', `No directory at '${localDir}'`);
    const files = await listLocalFiles(localDir);
    const written: string[] = [];
    await runPool(files, parallelTransfers, async (file) => {
      const rel = relative(localDir, file).split(sep).join('/');
      const target = joinArtifactPath(artifactDir, dirname(rel) === '.' ? '' : dirname(rel));
      written.push(await this.uploadFile(runId, file, target));
    });
    return written.sort();
  }

  /** Writes bytes (or UTF-8 text) as the artifact at `artifactPath`. */
  async uploadBytes(runId: string, artifactPath: string, data: Uint8Array | string): Promise<void> {
    await this.put(runId, checkArtifactPath(artifactPath), () => data);
  }

  /** Streams one artifact to `destPath` (written under a temporary name, then renamed). Returns its size. */
  async download(runId: string, artifactPath: string, destPath: string): Promise<number> {
    const url = await this.proxyPath(runId, checkArtifactPath(artifactPath));
    const response = await this.http.request('GET', url, { timeoutMs: null });
    await mkdir(dirname(resolve(destPath)), { recursive: true });
    const partial = `${destPath}.${randomBytes(4).toString('hex')}.partial`;
    let size = 0;
    try {
      const source = response.body
        ? Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
        : Readable.from([]);
      await pipeline(
        source,
        async function* count(chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            size += chunk.byteLength;
            yield chunk;
          }
        },
        createWriteStream(partial),
      );
      await rename(partial, destPath);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return size;
  }

  /** Downloads every file below `artifactDir` (default: all) into `destDir`; returns the local paths. */
  async downloadDir(runId: string, artifactDir: string, destDir: string): Promise<string[]> {
    const prefix = artifactDir === '' ? '' : checkArtifactPath(artifactDir);
    const root = resolve(destDir);
    const files: ArtifactFile[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await this.list(runId, dir)) {
        if (entry.isDir) await walk(entry.path);
        else files.push(entry);
      }
    };
    await walk(prefix);
    const written: string[] = [];
    await runPool(files, parallelTransfers, async (file) => {
      const rel = prefix === '' ? file.path : file.path.slice(prefix.length + 1);
      const target = resolve(root, ...rel.split('/'));
      if (!target.startsWith(root + sep)) {
        throw new KeelError('INVALID_PARAMETER_VALUE', `Artifact path '${file.path}' escapes '${destDir}'`);
      }
      await this.download(runId, file.path, target);
      written.push(target);
    });
    return written.sort();
  }

  /** The direct children of `path` (default: the run's artifact root); `[]` for a file or an empty path. */
  async list(runId: string, path = ''): Promise<ArtifactFile[]> {
    const dir = path === '' ? '' : checkArtifactPath(path);
    const root = await this.rootOf(runId);
    const response = await this.http.getJson<{
      files?: { path?: string; is_dir?: boolean; file_size?: number | string }[];
    }>(proxyBase, { path: [...root, ...(dir ? dir.split('/') : [])].join('/') });
    return (response.files ?? []).map((file) => {
      const name = file.path ?? '';
      const entry: ArtifactFile = {
        path: checkArtifactPath(joinArtifactPath(dir, name)),
        isDir: file.is_dir === true,
      };
      if (!entry.isDir && file.file_size !== undefined) entry.fileSize = Number(file.file_size);
      return entry;
    });
  }

  private async put(runId: string, artifactPath: string, body: () => RequestBody): Promise<void> {
    const url = await this.proxyPath(runId, artifactPath);
    const response = await this.http.request('PUT', url, {
      body,
      headers: { 'content-type': 'application/octet-stream' },
      timeoutMs: null,
    });
    await response.body?.cancel();
  }

  private async proxyPath(runId: string, artifactPath: string): Promise<string> {
    const segments = [...(await this.rootOf(runId)), ...artifactPath.split('/')];
    return `${proxyBase}/${segments.map(encodeURIComponent).join('/')}`;
  }

  /** The run's artifact root as proxy path segments, from its `mlflow-artifacts:` URI (cached per run). */
  private async rootOf(runId: string): Promise<string[]> {
    const cached = this.roots.get(runId);
    if (cached) return cached;
    const run = await this.runs.get(runId);
    const uri = run.info.artifactUri;
    let key: string | undefined;
    try {
      key = proxiedArtifactKey(uri);
    } catch (error) {
      if (isKeelError(error) && error.code === 'INVALID_PARAMETER_VALUE') {
        throw new KeelError('INVALID_PARAMETER_VALUE', `Invalid artifact URI '${uri}'`);
      }
      throw error;
    }
    if (key === undefined) {
      throw new KeelError(
        'NOT_IMPLEMENTED',
        `The artifacts of run ${runId} live at '${uri}', which the server does not proxy; ` +
          'start the server with --serve-artifacts (the default) to reach them over HTTP',
      );
    }
    const segments = key === '' ? [] : key.split('/');
    if (this.roots.size > 1000) this.roots.clear();
    this.roots.set(runId, segments);
    return segments;
  }
}

/**
 * A relative artifact path with `/` separators, confined the way the server confines blob keys
 * (`toBlobKey`: no leading `/`, no empty, `.` or `..` segments, no backslash or NUL), and not the
 * root. Returns it without a trailing `/`.
 */
export function checkArtifactPath(path: string): string {
  let key = '';
  try {
    key = toBlobKey(path);
  } catch (error) {
    if (!isKeelError(error) || error.code !== 'INVALID_PARAMETER_VALUE') throw error;
  }
  if (key === '') {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Invalid artifact path '${path}': use a relative path like 'plots/loss.svg' without '..'`,
    );
  }
  return key;
}

function joinArtifactPath(dir: string, name: string): string {
  if (dir === '' || dir === '.') return checkArtifactPath(name);
  if (name === '') return checkArtifactPath(dir);
  return checkArtifactPath(`${checkArtifactPath(dir)}/${name}`);
}

async function listLocalFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listLocalFiles(full)));
    else if (entry.isFile()) files.push(full);
    else if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => undefined);
      if (target?.isFile()) files.push(full);
    }
  }
  return files;
}

async function runPool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  await Promise.all(lanes);
}
