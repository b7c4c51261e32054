import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlobStore } from '../../core/blob/index.js';
import { KeelError } from '../../core/errors.js';
import { LocalBlobStore } from './local-blob-store.js';

/**
 * Opens the blob store named by a URI or path: `file:///abs/dir`, `file://./rel/dir` (relative to
 * the working directory) and plain paths are local folders. Opening touches nothing on disk; the
 * folder is created by the first write.
 *
 * @example
 * openBlobStore('file://./keel-data/artifacts') // LocalBlobStore over <cwd>/keel-data/artifacts
 * openBlobStore('s3://bucket/prefix') // throws INVALID_PARAMETER_VALUE (not yet supported)
 */
export function openBlobStore(uri: string): BlobStore {
  const value = uri.trim();
  if (value === '')
    throw new KeelError('INVALID_PARAMETER_VALUE', 'The artifact store location is empty: give a folder');
  if (/^s3[an]?:\/\//i.test(value)) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      'S3 artifact stores arrive with data versioning (next release); use a local folder',
    );
  }
  if (value.startsWith('file://')) return new LocalBlobStore(fileUriToPath(value));
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !isAbsolute(value) && !/^[a-z]:[\\/]/i.test(value)) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Unsupported artifact store '${value.split(':')[0]}:': use a local folder (file:///path or a plain path)`,
    );
  }
  return new LocalBlobStore(resolve(value));
}

/**
 * The local folder a `file:` URI names: `file:///abs` and `file://localhost/abs` as standard file
 * URLs (Node's `fileURLToPath`), `file://./rel` and `file://rel` relative to the working directory,
 * as MLflow reads them. `INVALID_PARAMETER_VALUE` for a URI that names no folder.
 *
 * @example
 * fileUriToPath('file://localhost/srv/artifacts') // '/srv/artifacts'
 * fileUriToPath('file://./keel-data') // '<cwd>/keel-data'
 */
export function fileUriToPath(uri: string): string {
  const rest = uri.slice('file://'.length);
  // file:///abs or file://localhost/abs: a standard file URL.
  if (rest.startsWith('/') || rest.startsWith('localhost/')) {
    try {
      return fileURLToPath(uri);
    } catch {
      throw new KeelError('INVALID_PARAMETER_VALUE', `Invalid file URI '${uri}'`);
    }
  }
  // file://./rel and file://rel: relative to the working directory, as MLflow reads them.
  if (rest === '')
    throw new KeelError('INVALID_PARAMETER_VALUE', `Invalid file URI '${uri}': no folder given`);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    throw new KeelError('INVALID_PARAMETER_VALUE', `Invalid file URI '${uri}'`);
  }
  return resolve(decoded);
}
