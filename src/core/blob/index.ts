export type { BlobListing, BlobStat, BlobStore } from './blob-store.js';
export { joinBlobKey, toBlobKey } from './blob-key.js';
