export {
  ArtifactService,
  defaultMaxUploadBytes,
  type ArtifactDownload,
  type ArtifactFile,
  type ArtifactOwnerStore,
  type ArtifactServiceOptions,
  type ByteRange,
  type RootedArtifactListing,
} from './artifact-service.js';
export { artifactContentType } from './artifact-content-type.js';
/** Re-exported for the garbage collector, which reaches artifacts through this door. */
export { proxiedArtifactKey } from '../../core/blob/index.js';
