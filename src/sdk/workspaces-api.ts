import type { Role, RoleBinding, Workspace } from '../core/auth/index.js';
import type { HttpTransport } from './http-transport.js';
import {
  decodeRoleBinding,
  decodeWorkspace,
  type WireRoleBinding,
  type WireWorkspace,
} from './identity-wire.js';
import { keelPath, principalFields, type Principal } from './principal.js';

/** Workspaces (created and deleted by site administrators): `client.workspaces`. */
export class WorkspacesApi {
  constructor(private readonly http: HttpTransport) {}

  /** `name` is a DNS label: lowercase letters, digits and inner `-`. */
  async create(name: string, options: { description?: string } = {}): Promise<Workspace> {
    const body: Record<string, unknown> = { name };
    if (options.description !== undefined) body.description = options.description;
    const response = await this.http.sendJson<{ workspace?: WireWorkspace }>(keelPath('workspaces'), body);
    return decodeWorkspace(response.workspace ?? {});
  }

  /** The workspaces the caller may select. */
  async list(): Promise<Workspace[]> {
    const response = await this.http.getJson<{ workspaces?: WireWorkspace[] }>(keelPath('workspaces'));
    return (response.workspaces ?? []).map(decodeWorkspace);
  }

  /** Only an empty workspace (`INVALID_STATE` otherwise), never `default`. */
  async delete(name: string): Promise<void> {
    await this.http.deleteJson(keelPath('workspaces', name));
  }
}

/** Roles on a workspace (site administrators and the workspace's admins): `client.roles`. */
export class RolesApi {
  constructor(private readonly http: HttpTransport) {}

  async list(workspace: string): Promise<RoleBinding[]> {
    const response = await this.http.getJson<{ roles?: WireRoleBinding[] }>(
      keelPath('workspaces', workspace, 'roles'),
    );
    return (response.roles ?? []).map(decodeRoleBinding);
  }

  /** Grants `role` (reader, editor, manager, admin), replacing the principal's role there. */
  async grant(workspace: string, principal: Principal, role: Role): Promise<void> {
    await this.http.sendJson(
      keelPath('workspaces', workspace, 'roles'),
      { ...principalFields(principal), role },
      'PUT',
    );
  }

  async revoke(workspace: string, principal: Principal): Promise<void> {
    await this.http.deleteJson(keelPath('workspaces', workspace, 'roles'), principalFields(principal));
  }
}
