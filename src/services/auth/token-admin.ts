import {
  auditStamp,
  formatApiToken,
  validateTokenName,
  type ApiToken,
  type Caller,
  type UserCredentials,
} from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';
import { findUser, invalid, isSelf, type IdentityContext } from './identity-context.js';
import { newSecret, secretHash } from './secrets.js';

/** API tokens: the use cases behind `IdentityService`'s token methods. */

export interface CreateTokenInput {
  /** What the token is for. */
  name: string;
  /** Whose token: the caller's own when absent (another user's, or a service account's: site administrators only). */
  username?: string;
  /** Limits the token to one workspace; null or absent for no limit. */
  workspace?: string | null;
  /** 90 by default, at most 365; null for a token that never expires (site administrators only). */
  expiresInDays?: number | null;
}

export const defaultTokenDays = 90;
export const maxTokenDays = 365;
const dayMs = 24 * 3600_000;

export async function createToken(
  ctx: IdentityContext,
  caller: Caller,
  input: CreateTokenInput,
): Promise<{ token: string; info: ApiToken }> {
  const name = validateTokenName(input.name);
  const owner = await tokenOwner(ctx, caller, input.username);
  if (owner.disabled)
    throw new KeelError(
      'INVALID_STATE',
      `User '${owner.username}' is disabled: enable them before creating tokens.`,
    );
  const workspace = await tokenWorkspace(ctx, caller, input.workspace);
  const expiresTime = tokenExpiry(ctx, caller, input.expiresInDays);
  await ctx.throttle.countTokenCreation(caller.user?.userId ?? owner.userId);
  const secret = newSecret();
  const info = await ctx.identity.createToken(
    { userId: owner.userId, name, workspace, secretHash: secretHash(secret), expiresTime, now: ctx.now() },
    auditStamp(caller),
  );
  return { token: formatApiToken(info.tokenId, secret), info };
}

export async function listTokens(
  ctx: IdentityContext,
  caller: Caller,
  username?: string,
): Promise<ApiToken[]> {
  return ctx.identity.listTokens((await tokenOwner(ctx, caller, username)).userId);
}

export async function revokeToken(ctx: IdentityContext, caller: Caller, tokenId: string): Promise<void> {
  const token =
    typeof tokenId === 'string' && tokenId !== '' ? await ctx.identity.findToken(tokenId) : undefined;
  const mine = token !== undefined && caller.user !== null && token.userId === caller.user.userId;
  if (token === undefined || !(mine || ctx.access.isSiteAdmin(caller)))
    throw new KeelError('RESOURCE_DOES_NOT_EXIST', `API token '${String(tokenId).slice(0, 64)}' not found`);
  await ctx.identity.revokeToken(token.tokenId, ctx.now(), auditStamp(caller));
  ctx.auth.forgetToken(token.tokenId);
}

/** Whose tokens a request is about: the caller's own, or (site administrators) the named user's. */
async function tokenOwner(
  ctx: IdentityContext,
  caller: Caller,
  username: string | undefined,
): Promise<UserCredentials> {
  if (username === undefined || username === '') {
    if (caller.user === null)
      throw invalid('Name the user: authentication is off, so there is no signed-in user to act for.');
    const self = await ctx.identity.findUserById(caller.user.userId);
    if (self === undefined)
      throw new KeelError('RESOURCE_DOES_NOT_EXIST', `User '${caller.user.username}' not found`);
    if (self.kind === 'service_account') ctx.access.requireAdmin(caller);
    return self;
  }
  // Checked before the lookup, so a non-administrator learns nothing about other usernames.
  if (!isSelf(caller, username)) ctx.access.requireAdmin(caller);
  const owner = await findUser(ctx, username);
  if (owner.kind === 'service_account') ctx.access.requireAdmin(caller);
  return owner;
}

/** A token made with a workspace-limited token is limited the same way; a requested workspace must be visible. */
async function tokenWorkspace(
  ctx: IdentityContext,
  caller: Caller,
  requested: string | null | undefined,
): Promise<string | null> {
  if (requested === undefined || requested === null || requested === '') return caller.tokenWorkspace;
  return ctx.access.resolveWorkspace(caller, requested);
}

function tokenExpiry(ctx: IdentityContext, caller: Caller, days: number | null | undefined): number | null {
  if (days === null) {
    if (!ctx.access.isSiteAdmin(caller)) {
      throw new KeelError(
        'PERMISSION_DENIED',
        `Only site administrators can create tokens that never expire; give expires_in_days (1 to ${maxTokenDays}).`,
      );
    }
    return null;
  }
  const given = days ?? defaultTokenDays;
  if (!Number.isInteger(given) || given < 1 || given > maxTokenDays)
    throw invalid(
      `Invalid expires_in_days ${String(given)}: use a whole number of days from 1 to ${maxTokenDays}.`,
    );
  return ctx.now() + given * dayMs;
}
