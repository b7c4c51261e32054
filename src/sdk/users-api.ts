import type { Page } from '../core/tracking/index.js';
import type { HttpTransport } from './http-transport.js';
import { decodeUser, type UserInfo, type WireUser } from './identity-wire.js';
import { iteratePages } from './page-iterator.js';
import { keelPath } from './principal.js';

export interface CreateUserOptions {
  displayName?: string;
  /** A site administrator. */
  isAdmin?: boolean;
}

export interface UserChanges {
  displayName?: string;
  isAdmin?: boolean;
  disabled?: boolean;
}

/** Users (site administrators manage them; a user reads and updates themself): `client.users`. */
export class UsersApi {
  constructor(private readonly http: HttpTransport) {}

  /** `RESOURCE_ALREADY_EXISTS` when the username is taken; the password needs 12 characters or more. */
  async create(username: string, password: string, options: CreateUserOptions = {}): Promise<UserInfo> {
    const body: Record<string, unknown> = { username, password };
    if (options.displayName !== undefined) body.display_name = options.displayName;
    if (options.isAdmin !== undefined) body.is_admin = options.isAdmin;
    const response = await this.http.sendJson<{ user?: WireUser }>(keelPath('users'), body);
    return decodeUser(response.user ?? {});
  }

  /** One page of users, by username (100 a page by default, at most 1,000). */
  async list(page: { maxResults?: number; pageToken?: string } = {}): Promise<Page<UserInfo>> {
    const response = await this.http.getJson<{ users?: WireUser[]; next_page_token?: string }>(
      keelPath('users'),
      { max_results: page.maxResults, page_token: page.pageToken },
    );
    const result: Page<UserInfo> = { items: (response.users ?? []).map(decodeUser) };
    if (response.next_page_token) result.nextPageToken = response.next_page_token;
    return result;
  }

  /** Every user, page after page. */
  iterate(maxResults = 1000): AsyncGenerator<UserInfo> {
    return iteratePages((pageToken) => this.list({ maxResults, pageToken }));
  }

  async get(username: string): Promise<UserInfo> {
    const response = await this.http.getJson<{ user?: WireUser }>(keelPath('users', username));
    return decodeUser(response.user ?? {});
  }

  async update(username: string, changes: UserChanges): Promise<UserInfo> {
    const body: Record<string, unknown> = {};
    if (changes.displayName !== undefined) body.display_name = changes.displayName;
    if (changes.isAdmin !== undefined) body.is_admin = changes.isAdmin;
    if (changes.disabled !== undefined) body.disabled = changes.disabled;
    const response = await this.http.sendJson<{ user?: WireUser }>(
      keelPath('users', username),
      body,
      'PATCH',
    );
    return decodeUser(response.user ?? {});
  }

  /** Your own password needs `currentPassword`; site administrators set anyone's without it. */
  async setPassword(username: string, newPassword: string, currentPassword?: string): Promise<void> {
    const body: Record<string, unknown> = { new_password: newPassword };
    if (currentPassword !== undefined) body.current_password = currentPassword;
    await this.http.sendJson(keelPath('users', username, 'password'), body);
  }

  /** Removes the user with their tokens, sessions, memberships, roles and grants. */
  async delete(username: string): Promise<void> {
    await this.http.deleteJson(keelPath('users', username));
  }
}

/** Service accounts: users without a password that sign in with API tokens. `client.serviceAccounts`. */
export class ServiceAccountsApi {
  constructor(private readonly http: HttpTransport) {}

  async create(username: string, options: { displayName?: string } = {}): Promise<UserInfo> {
    const body: Record<string, unknown> = { username };
    if (options.displayName !== undefined) body.display_name = options.displayName;
    const response = await this.http.sendJson<{ user?: WireUser }>(keelPath('service-accounts'), body);
    return decodeUser(response.user ?? {});
  }

  async list(): Promise<UserInfo[]> {
    const response = await this.http.getJson<{ service_accounts?: WireUser[] }>(keelPath('service-accounts'));
    return (response.service_accounts ?? []).map(decodeUser);
  }
}
