export type { BlobListing, BlobStat, BlobStore } from './blob-store.js';
export {
  MAX_BLOB_KEY_BYTES,
  MAX_BLOB_KEY_SEGMENT_BYTES,
  checkBlobKeyLength,
  joinBlobKey,
  toBlobKey,
} from './blob-key.js';
export { proxiedArtifactKey } from './artifact-uri.js';
