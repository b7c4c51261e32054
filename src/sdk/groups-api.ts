import type { Group } from '../core/auth/index.js';
import type { HttpTransport } from './http-transport.js';
import { decodeGroup, decodeUser, type UserInfo, type WireGroup, type WireUser } from './identity-wire.js';
import { keelPath } from './principal.js';

/** Groups of users (site administrators): `client.groups`. */
export class GroupsApi {
  constructor(private readonly http: HttpTransport) {}

  async create(name: string, options: { description?: string } = {}): Promise<Group> {
    const body: Record<string, unknown> = { name };
    if (options.description !== undefined) body.description = options.description;
    const response = await this.http.sendJson<{ group?: WireGroup }>(keelPath('groups'), body);
    return decodeGroup(response.group ?? {});
  }

  async list(): Promise<Group[]> {
    const response = await this.http.getJson<{ groups?: WireGroup[] }>(keelPath('groups'));
    return (response.groups ?? []).map(decodeGroup);
  }

  /** Removes the group with its memberships, roles and grants. */
  async delete(name: string): Promise<void> {
    await this.http.deleteJson(keelPath('groups', name));
  }

  async members(name: string): Promise<UserInfo[]> {
    const response = await this.http.getJson<{ members?: WireUser[] }>(keelPath('groups', name, 'members'));
    return (response.members ?? []).map(decodeUser);
  }

  /** Adding a member twice is harmless. */
  async addMember(name: string, username: string): Promise<void> {
    await this.http.sendJson(keelPath('groups', name, 'members'), { username });
  }

  async removeMember(name: string, username: string): Promise<void> {
    await this.http.deleteJson(keelPath('groups', name, 'members', username));
  }
}
