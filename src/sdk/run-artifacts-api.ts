import { isKeelError } from '../core/errors.js';
import type { HttpTransport } from './http-transport.js';

const listPath = '/api/2.0/mlflow/artifacts/list';
const getPath = '/get-artifact';

/** One entry of a run's artifact listing; `path` is relative to the run's artifact root. */
export interface RunArtifactEntry {
  path: string;
  isDir: boolean;
  /** Bytes; absent for directories. */
  fileSize?: number;
}

/** The first bytes of an artifact, read with a `Range` request. */
export interface ArtifactHead {
  bytes: Uint8Array;
  /**
   * The file's whole size in bytes (from `Content-Range` or `Content-Length`, or the bytes read when
   * the body ended); undefined when the server did not say and the reading stopped at the limit.
   */
  size: number | undefined;
  /** True when the file is longer than the bytes read. */
  truncated: boolean;
  contentType: string;
}

/**
 * A run's artifacts by run id, without Node modules (the browser's door uses it): list one folder
 * (`mlflow/artifacts/list`), read the first bytes of a file with a `Range` header (`get-artifact`),
 * and the address a browser downloads a file from. Nothing here reads a whole file.
 */
export class RunArtifactsApi {
  constructor(private readonly http: HttpTransport) {}

  /** The direct children of `path` in the run's artifacts (default: the root), folders first. */
  async list(runId: string, path = ''): Promise<RunArtifactEntry[]> {
    const entries: RunArtifactEntry[] = [];
    let pageToken: string | undefined;
    do {
      const response = await this.http.getJson<{
        files?: { path?: string; is_dir?: boolean; file_size?: number | string }[];
        next_page_token?: string;
      }>(listPath, { run_id: runId, path: path === '' ? undefined : path, page_token: pageToken });
      for (const file of response.files ?? []) {
        const entry: RunArtifactEntry = { path: file.path ?? '', isDir: file.is_dir === true };
        if (!entry.isDir && file.file_size !== undefined) entry.fileSize = Number(file.file_size);
        entries.push(entry);
      }
      pageToken = response.next_page_token || undefined;
    } while (pageToken !== undefined);
    return entries.sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.path.localeCompare(b.path));
  }

  /**
   * The first `maxBytes` bytes of an artifact (one `Range: bytes=0-<maxBytes-1>` request); the reading
   * stops at `maxBytes` even when a server ignores the range and sends the whole file.
   */
  async head(runId: string, path: string, maxBytes: number): Promise<ArtifactHead> {
    const limit = Math.max(1, Math.floor(maxBytes));
    let response: Response;
    try {
      response = await this.http.request('GET', getPath, {
        query: { run_id: runId, path },
        headers: { range: `bytes=0-${limit - 1}` },
      });
    } catch (error) {
      // 416 to a range that starts at 0: the file is empty.
      if (isKeelError(error) && / HTTP 416\b/.test(error.message)) {
        return {
          bytes: new Uint8Array(),
          size: 0,
          truncated: false,
          contentType: 'application/octet-stream',
        };
      }
      throw error;
    }
    const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
    const range = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '');
    const declared = Number(response.headers.get('content-length'));
    const { bytes, ended } = await readAtMost(response, limit);
    const size = range
      ? Number(range[1])
      : response.status === 200 && Number.isSafeInteger(declared) && declared > 0
        ? declared
        : ended
          ? bytes.byteLength
          : undefined;
    const truncated = size === undefined ? true : size > bytes.byteLength;
    return { bytes, size, truncated, contentType };
  }

  /** The address that downloads an artifact (a same-origin link: the browser's session cookie applies). */
  downloadUrl(runId: string, path: string): string {
    const query = new URLSearchParams({ run_id: runId, path });
    return `${this.http.baseUrl}${getPath}?${query.toString()}`;
  }
}

/** At most `limit` bytes of the body; `ended`: the body ended within them. */
async function readAtMost(response: Response, limit: number): Promise<{ bytes: Uint8Array; ended: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(), ended: true };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.byteLength - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
    if (offset >= bytes.byteLength) break;
  }
  return { bytes, ended: ended && size <= limit };
}
