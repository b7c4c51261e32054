import {
  auditStamp,
  validateDisplayName,
  validatePassword,
  validateUsername,
  type Caller,
  type User,
  type UserCredentials,
  type UserKind,
} from '../../core/auth/index.js';
import { systemStamp } from '../../core/audit/index.js';
import { isKeelError, KeelError } from '../../core/errors.js';
import {
  findUser,
  forgetUser,
  invalid,
  requireSelfOrAdmin,
  type IdentityContext,
} from './identity-context.js';
import { publicUser } from './public-user.js';

/** Users and service accounts: the use cases behind `IdentityService`'s user methods. */

export interface CreateUserInput {
  username: string;
  /** Required for a user (12 to 1,024 characters); a service account has none. */
  password?: string;
  displayName?: string;
  isAdmin?: boolean;
  kind?: UserKind;
}

function checkFlag(value: unknown, field: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalid(`Invalid ${field}: expected true or false.`);
}

export async function createUser(
  ctx: IdentityContext,
  caller: Caller,
  input: CreateUserInput,
): Promise<User> {
  ctx.access.requireAdmin(caller);
  const username = validateUsername(input.username);
  const kind = input.kind ?? 'user';
  if (kind !== 'user' && kind !== 'service_account')
    throw invalid(`Invalid kind '${String(kind)}': use user or service_account.`);
  const displayName = validateDisplayName(input.displayName);
  const isAdmin = checkFlag(input.isAdmin, 'is_admin') ?? false;
  let passwordHash: string | null = null;
  if (kind === 'service_account') {
    if (input.password !== undefined && input.password !== null)
      throw invalid('A service account has no password: it signs in with API tokens only.');
  } else {
    if (input.password === undefined || input.password === null)
      throw invalid(
        'A user needs a password (at least 12 characters); create a service account for token-only access.',
      );
    passwordHash = await ctx.hasher.hash(validatePassword(input.password));
  }
  const user = await ctx.identity.createUser(
    { username, displayName, kind, isAdmin, passwordHash, now: ctx.now() },
    auditStamp(caller),
  );
  return publicUser(user);
}

export async function bootstrapAdmin(
  ctx: IdentityContext,
  input: { username: string; password: string },
): Promise<{ user: User; created: boolean }> {
  const username = validateUsername(input.username);
  const password = validatePassword(input.password);
  const existing = await ctx.identity.findUserByName(username);
  if (existing !== undefined) return { user: adoptedAdmin(existing), created: false };
  try {
    const user = await ctx.identity.createUser(
      {
        username,
        displayName: '',
        kind: 'user',
        isAdmin: true,
        passwordHash: await ctx.hasher.hash(password),
        now: ctx.now(),
      },
      systemStamp,
    );
    return { user: publicUser(user), created: true };
  } catch (error) {
    // Another replica starting at the same moment created it first.
    if (!isKeelError(error) || error.code !== 'RESOURCE_ALREADY_EXISTS') throw error;
    const winner = await ctx.identity.findUserByName(username);
    if (winner === undefined) throw error;
    return { user: adoptedAdmin(winner), created: false };
  }
}

export async function listUsers(
  ctx: IdentityContext,
  caller: Caller,
  page: { maxResults?: number; pageToken?: string },
): Promise<{ items: User[]; nextPageToken?: string }> {
  ctx.access.requireAdmin(caller);
  const maxResults = page.maxResults ?? 100;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000)
    throw invalid(`Invalid max_results ${String(maxResults)}: use a whole number from 1 to 1000.`);
  const listed = await ctx.identity.listUsers({ maxResults, pageToken: page.pageToken || undefined });
  return { ...listed, items: listed.items.map(publicUser) };
}

export async function updateUser(
  ctx: IdentityContext,
  caller: Caller,
  username: string,
  changes: { displayName?: string; isAdmin?: boolean; disabled?: boolean },
): Promise<User> {
  const isAdmin = checkFlag(changes.isAdmin, 'is_admin');
  const disabled = checkFlag(changes.disabled, 'disabled');
  if (isAdmin !== undefined || disabled !== undefined) ctx.access.requireAdmin(caller);
  else requireSelfOrAdmin(ctx, caller, username, 'update');
  const valid: { displayName?: string; isAdmin?: boolean; disabled?: boolean } = {};
  if (changes.displayName !== undefined) valid.displayName = validateDisplayName(changes.displayName);
  if (isAdmin !== undefined) valid.isAdmin = isAdmin;
  if (disabled !== undefined) valid.disabled = disabled;
  const user = await findUser(ctx, username);
  if (Object.keys(valid).length === 0) return publicUser(user);
  // The store refuses to demote or disable the last active site administrator, inside its
  // transaction: a check here would race with a concurrent change to another administrator.
  const updated = await ctx.identity.updateUser(user.userId, valid, ctx.now(), auditStamp(caller));
  forgetUser(ctx, user.userId);
  return publicUser(updated);
}

export async function changePassword(
  ctx: IdentityContext,
  caller: Caller,
  username: string,
  input: { newPassword: string; currentPassword?: string },
): Promise<void> {
  const admin = ctx.access.isSiteAdmin(caller);
  requireSelfOrAdmin(ctx, caller, username, 'change the password of');
  const user = await findUser(ctx, username);
  if (user.kind === 'service_account')
    throw new KeelError(
      'INVALID_STATE',
      `Service account '${user.username}' has no password: it signs in with API tokens only.`,
    );
  const password = validatePassword(input.newPassword, 'new password');
  if (!admin) {
    if (!input.currentPassword) throw invalid('Give your current password to change it.');
    try {
      await ctx.auth.verifyPassword(user.username, input.currentPassword, caller.ip);
    } catch (error) {
      if (isKeelError(error) && error.code === 'UNAUTHENTICATED')
        throw new KeelError('PERMISSION_DENIED', 'The current password is not correct.');
      throw error;
    }
  }
  const passwordHash = await ctx.hasher.hash(password);
  await ctx.identity.updateUser(user.userId, { passwordHash }, ctx.now(), auditStamp(caller));
  forgetUser(ctx, user.userId);
}

export async function deleteUser(ctx: IdentityContext, caller: Caller, username: string): Promise<void> {
  ctx.access.requireAdmin(caller);
  const user = await findUser(ctx, username);
  // Never the last active site administrator: the store checks that inside its transaction.
  await ctx.identity.deleteUser(user.userId, auditStamp(caller));
  forgetUser(ctx, user.userId);
}

function adoptedAdmin(user: UserCredentials): User {
  if (user.isAdmin && user.kind === 'user') return publicUser(user);
  throw new KeelError(
    'INVALID_STATE',
    `User '${user.username}' already exists and is not a site administrator: choose another username, or have an administrator grant it admin rights.`,
  );
}
