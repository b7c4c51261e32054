import {
  validateGroupName,
  validateUsername,
  type Caller,
  type Group,
  type IdentityStore,
  type UserCredentials,
} from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import type { AccessControl } from './access-control.js';
import type { AuthService } from './auth-service.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';

/** What the identity use cases work with. */
export interface IdentityContext {
  identity: IdentityStore;
  access: AccessControl;
  hasher: PasswordHasher;
  auth: AuthService;
  throttle: LoginThrottle;
  now: () => number;
}

export function invalid(message: string): KeelError {
  return new KeelError('INVALID_PARAMETER_VALUE', message);
}

export async function findUser(ctx: IdentityContext, username: string): Promise<UserCredentials> {
  const user = await ctx.identity.findUserByName(validateUsername(username));
  if (user === undefined) throw new KeelError('RESOURCE_DOES_NOT_EXIST', `User '${username}' not found`);
  return user;
}

export async function findGroup(ctx: IdentityContext, name: string): Promise<Group> {
  const group = await ctx.identity.findGroupByName(validateGroupName(name));
  if (group === undefined) throw new KeelError('RESOURCE_DOES_NOT_EXIST', `Group '${name}' not found`);
  return group;
}

export function isSelf(caller: Caller, username: string): boolean {
  return caller.user !== null && caller.user.username.toLowerCase() === username.toLowerCase();
}

/** Passes for the user themself and for site administrators. Checked before any lookup, so it tells nothing about other usernames. */
export function requireSelfOrAdmin(
  ctx: IdentityContext,
  caller: Caller,
  username: string,
  what: string,
): void {
  if (ctx.access.isSiteAdmin(caller) || isSelf(caller, username)) return;
  throw new KeelError(
    'PERMISSION_DENIED',
    `Permission denied: only site administrators can ${what} other users.`,
  );
}

/** After a change to a user: their access snapshot, cached tokens and sessions are dropped at once. */
export function forgetUser(ctx: IdentityContext, userId: string): void {
  ctx.access.invalidate(userId);
  ctx.auth.forgetUser(userId);
}
