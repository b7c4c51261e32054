import { auditStamp, type Caller, type IdentityStore } from '../../core/auth/index.js';
import type { AccessControl } from './access-control.js';

/**
 * What `TrackingService`'s `onExperimentCreated` should do: grant the creator MANAGE on the new
 * experiment (as MLflow does), audited under their name, applied at once to their access snapshot.
 *
 * @example
 * new TrackingService({ store, access, onExperimentCreated: grantCreatorManage({ identity, access }) });
 */
export function grantCreatorManage(options: {
  identity: IdentityStore;
  access: AccessControl;
}): (caller: Caller, experimentId: string, workspace: string) => Promise<void> {
  const { identity, access } = options;
  return async (caller, experimentId, workspace) => {
    if (caller.user === null) return;
    await identity.setPermission(
      { type: 'experiment', id: experimentId, workspace },
      { type: 'user', id: caller.user.userId },
      'MANAGE',
      auditStamp(caller),
    );
    access.invalidate(caller.user.userId);
  };
}
