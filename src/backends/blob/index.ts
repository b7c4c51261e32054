export { LocalBlobStore } from './local-blob-store.js';
export { openBlobStore } from './open-blob-store.js';
