import type { ObjectPermission, ObjectType, Permission } from '../core/auth/index.js';
import type { HttpTransport } from './http-transport.js';
import { decodeObjectPermission, type WireObjectPermission } from './identity-wire.js';
import { keelPath, principalFields, type Principal } from './principal.js';

/**
 * Permissions on one object (`experiment`, `registered_model`, `dataset`), which narrow or widen
 * workspace roles; managing them needs MANAGE on the object. `client.permissions`.
 */
export class PermissionsApi {
  constructor(private readonly http: HttpTransport) {}

  async list(objectType: ObjectType, objectId: string): Promise<ObjectPermission[]> {
    const response = await this.http.getJson<{ permissions?: WireObjectPermission[] }>(
      keelPath('permissions', objectType, objectId),
    );
    return (response.permissions ?? []).map(decodeObjectPermission);
  }

  /** Grants READ, EDIT, MANAGE or NO_PERMISSIONS, replacing the principal's grant on the object. */
  async grant(
    objectType: ObjectType,
    objectId: string,
    principal: Principal,
    permission: Permission,
  ): Promise<void> {
    await this.http.sendJson(
      keelPath('permissions', objectType, objectId),
      { ...principalFields(principal), permission },
      'PUT',
    );
  }

  async revoke(objectType: ObjectType, objectId: string, principal: Principal): Promise<void> {
    await this.http.deleteJson(keelPath('permissions', objectType, objectId), principalFields(principal));
  }
}
