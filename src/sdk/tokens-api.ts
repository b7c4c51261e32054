import type { ApiToken } from '../core/auth/index.js';
import type { HttpTransport } from './http-transport.js';
import { decodeToken, type WireToken } from './identity-wire.js';
import { keelPath } from './principal.js';

export interface CreateTokenOptions {
  /** Days until it expires: 90 by default, at most 365; null never (site administrators only). */
  expiresInDays?: number | null;
  /** Limit the token to one workspace. */
  workspace?: string;
  /** Another user's or a service account's token (site administrators). */
  username?: string;
}

/** API tokens: `client.tokens`. */
export class TokensApi {
  constructor(private readonly http: HttpTransport) {}

  /** Creates a token; `token` (the secret) is shown this once. */
  async create(name: string, options: CreateTokenOptions = {}): Promise<{ token: string; info: ApiToken }> {
    const body: Record<string, unknown> = { name };
    if (options.expiresInDays !== undefined) body.expires_in_days = options.expiresInDays;
    if (options.workspace !== undefined) body.workspace = options.workspace;
    if (options.username !== undefined) body.username = options.username;
    const response = await this.http.sendJson<WireToken & { token?: string }>(keelPath('tokens'), body);
    return { token: response.token ?? '', info: decodeToken(response) };
  }

  /** Your tokens (or, for site administrators, `username`'s), newest first, revoked and expired included. */
  async list(username?: string): Promise<ApiToken[]> {
    const response = await this.http.getJson<{ tokens?: WireToken[] }>(keelPath('tokens'), { username });
    return (response.tokens ?? []).map(decodeToken);
  }

  async revoke(tokenId: string): Promise<void> {
    await this.http.deleteJson(keelPath('tokens', tokenId));
  }
}
