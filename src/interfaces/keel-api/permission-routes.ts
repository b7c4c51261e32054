import { Type } from '@sinclair/typebox';
import { parseObjectType, parsePermission } from '../../core/auth/index.js';
import type { IdentityService } from '../../services/auth/index.js';
import type { KeelApiApp } from './keel-api-app.js';
import {
  EmptyJson,
  ObjectPermissionJson,
  objectPermissionJson,
  principalOf,
  PrincipalInput,
} from './wire.js';

const ObjectParams = Type.Object({
  object_type: Type.String({ maxLength: 64 }),
  object_id: Type.String({ minLength: 1, maxLength: 256 }),
});

/**
 * `permissions/{object_type}/{object_id}`: the grants on one object (experiment, registered model,
 * dataset). Listing and changing them needs MANAGE on the object; an object the caller cannot read
 * is a 404, as a missing one is.
 */
export function permissionRoutes(app: KeelApiApp, identity: IdentityService): void {
  const objectOf = (params: { object_type: string; object_id: string }) => ({
    type: parseObjectType(params.object_type),
    id: params.object_id,
  });

  app.get(
    '/permissions/:object_type/:object_id',
    {
      schema: {
        params: ObjectParams,
        response: { 200: Type.Object({ permissions: Type.Array(ObjectPermissionJson) }) },
      },
    },
    async (request) => ({
      permissions: (await identity.listPermissions(request.caller, objectOf(request.params))).map(
        objectPermissionJson,
      ),
    }),
  );

  app.put(
    '/permissions/:object_type/:object_id',
    {
      schema: {
        params: ObjectParams,
        body: Type.Object({ ...PrincipalInput, permission: Type.String({ maxLength: 64 }) }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      const object = objectOf(request.params);
      const permission = parsePermission(request.body.permission);
      await identity.setPermission(request.caller, object, principalOf(request.body), permission);
      return {};
    },
  );

  app.delete(
    '/permissions/:object_type/:object_id',
    {
      schema: {
        params: ObjectParams,
        querystring: Type.Object(PrincipalInput),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await identity.removePermission(request.caller, objectOf(request.params), principalOf(request.query));
      return {};
    },
  );
}
