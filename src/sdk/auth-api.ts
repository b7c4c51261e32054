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
    }>(keelPath('auth', 'session'));
    return {
      authEnabled: body.auth_enabled === true,
      user: body.user ? decodeUser(body.user) : null,
      via: body.via ?? 'none',
      workspace: body.workspace ?? 'default',
      workspaces: (body.workspaces ?? []).map(decodeWorkspace),
      roles: body.roles ?? [],
    };
  }
}
