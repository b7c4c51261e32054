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
export { proxiedArtifactKey, proxiedArtifactUri } from './artifact-uri.js';
