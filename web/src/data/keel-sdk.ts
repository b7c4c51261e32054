/**
 * The UI's one door to the SDK: everything the pages use from it comes through here, and only from
 * the SDK's browser-safe entry (the layer rule in docs/architecture.md).
 */
export { KeelBrowserClient, KeelError, isKeelError, parentRunIdTag } from '../../../src/sdk/browser.js';
export type {
  ArtifactHead,
  DatasetInput,
  ErrorCode,
  Experiment,
  Metric,
  Page,
  Param,
  Run,
  RunArtifactEntry,
  RunInfo,
  RunStatus,
  SessionLogin,
  Tag,
  UserInfo,
  ViewType,
  WhoAmI,
  Workspace,
} from '../../../src/sdk/browser.js';
