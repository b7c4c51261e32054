import type { Role, Workspace } from '../core/auth/index.js';
import type { HttpTransport } from './http-transport.js';
import {
  decodeUser,
  decodeWorkspace,
  type UserInfo,
  type WireUser,
  type WireWorkspace,
} from './identity-wire.js';
import { keelPath } from './principal.js';

export interface WhoAmI {
  /** False on a server without authentication: everyone is allowed everything there. */
  authEnabled: boolean;
  /** Null when authentication is off. */
  user: UserInfo | null;
  /** How the request proved who it is: `token`, `password`, `session` or `none`. */
  via: string;
  /** The workspace requests work in. */
  workspace: string;
  /** The workspaces the caller may select. */
  workspaces: Workspace[];
  /** The caller's roles, by workspace. */
  roles: { workspace: string; role: Role }[];
  /** With a session cookie: the token to send as `X-CSRF-Token` (see `HttpTransportOptions.csrfToken`). */
  csrfToken?: string;
}

/** A browser session started by `login`. */
export interface SessionLogin {
  user: UserInfo;
  /** Send it as `X-CSRF-Token` on every request that is not GET or HEAD. */
  csrfToken: string;
  /** When the session ends at the latest, epoch ms. */
  expiresTime: number;
}

/** Who the client is on the server: `client.auth`. */
export class AuthApi {
  constructor(private readonly http: HttpTransport) {}

  /** The signed-in user, their workspace, the workspaces they see and their roles. */
  async whoami(): Promise<WhoAmI> {
    const body = await this.http.getJson<{
      auth_enabled?: boolean;
      user?: WireUser | null;
      via?: string;
      workspace?: string;
      workspaces?: WireWorkspace[];
      roles?: { workspace: string; role: Role }[];
      csrf_token?: string;
    }>(keelPath('auth', 'session'));
    const who: WhoAmI = {
      authEnabled: body.auth_enabled === true,
      user: body.user ? decodeUser(body.user) : null,
      via: body.via ?? 'none',
      workspace: body.workspace ?? 'default',
      workspaces: (body.workspaces ?? []).map(decodeWorkspace),
      roles: body.roles ?? [],
    };
    if (body.csrf_token) who.csrfToken = body.csrf_token;
    return who;
  }

  /**
   * Signs in with a password and starts a session: the server sets an HttpOnly session cookie, which
   * a browser then sends by itself. `UNAUTHENTICATED` for a wrong username or password,
   * `REQUEST_LIMIT_EXCEEDED` after too many failed attempts.
   */
  async login(username: string, password: string): Promise<SessionLogin> {
    const body = await this.http.sendJson<{ user?: WireUser; csrf_token?: string; expires_time?: number }>(
      keelPath('auth', 'login'),
      { username, password },
    );
    return {
      user: decodeUser(body.user ?? {}),
      csrfToken: body.csrf_token ?? '',
      expiresTime: body.expires_time ?? 0,
    };
  }

  /** Ends the session the cookie names; the server clears the cookie. */
  async logout(): Promise<void> {
    await this.http.sendJson(keelPath('auth', 'logout'), {});
  }
}
