import { openBlobStore } from '../backends/blob/index.js';
import {
  SqlAuditStore,
  SqlIdentityStore,
  SqlTrackingStore,
  type SqlDatabase,
} from '../backends/sql/index.js';
import type { IdentityStore } from '../core/auth/index.js';
import type { HttpServices } from '../interfaces/http/index.js';
import { ArtifactService } from '../services/artifacts/index.js';
import { AuditService } from '../services/audit/index.js';
import {
  AccessControl,
  AuthService,
  grantCreatorManage,
  IdentityService,
  PasswordHasher,
} from '../services/auth/index.js';
import { TrackingService } from '../services/tracking/index.js';
import type { KeelConfig } from './config.js';

/** Every service of one Keel, and the identity store the app itself sweeps and asks. */
export interface KeelServices extends HttpServices {
  identityStore: IdentityStore;
}

/**
 * Builds the services over one open (and migrated) database: the stores, access control with its
 * caches, authentication, identity administration, the audit trail, tracking and artifacts. The
 * creator of an experiment is granted MANAGE on it, as MLflow's auth app does.
 */
export function composeServices(
  database: SqlDatabase,
  config: Pick<KeelConfig, 'artifactsDestination' | 'auth'> & Partial<Pick<KeelConfig, 'maxArtifactBytes'>>,
): KeelServices {
  const { auth: authConfig } = config;
  const store = new SqlTrackingStore(database);
  const identityStore = new SqlIdentityStore(database);
  const hasher = new PasswordHasher({ cost: authConfig.passwordCost });
  const access = new AccessControl({ identity: identityStore, cacheTtlMs: authConfig.cacheTtlMs });
  const auth = new AuthService({
    identity: identityStore,
    access,
    hasher,
    enabled: authConfig.enabled,
    cacheTtlMs: authConfig.cacheTtlMs,
  });
  const tracking = new TrackingService({
    store,
    access,
    onExperimentCreated: grantCreatorManage({ identity: identityStore, access }),
  });
  const identity = new IdentityService({
    identity: identityStore,
    access,
    hasher,
    auth,
    objectWorkspace: (type, id) => tracking.objectWorkspace(type, id),
  });
  const artifacts = new ArtifactService({
    store,
    access,
    blobs: openBlobStore(config.artifactsDestination),
    maxUploadBytes: config.maxArtifactBytes,
  });
  const audit = new AuditService({ store: new SqlAuditStore(database), access });
  return { tracking, artifacts, auth, identity, audit, access, identityStore };
}
