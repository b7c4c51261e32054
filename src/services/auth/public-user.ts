import type { User, UserCredentials } from '../../core/auth/index.js';

/** The user without the stored password hash: what leaves the service. */
export function publicUser(user: User | UserCredentials): User {
  return {
    userId: user.userId,
    username: user.username,
    displayName: user.displayName,
    kind: user.kind,
    isAdmin: user.isAdmin,
    disabled: user.disabled,
    createdTime: user.createdTime,
    lastUpdateTime: user.lastUpdateTime,
    credentialsChangedTime: user.credentialsChangedTime,
  };
}
