export { LocalBlobStore } from './local-blob-store.js';
export { fileUriToPath, openBlobStore } from './open-blob-store.js';
