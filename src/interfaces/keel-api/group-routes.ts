import { Type } from '@sinclair/typebox';
import type { IdentityService } from '../../services/auth/index.js';
import type { KeelApiApp } from './keel-api-app.js';
import { EmptyJson, GroupJson, groupJson, UserJson, userJson } from './wire.js';

const GroupParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 256 }) });

/** `groups` and their `members` (site administrators). */
export function groupRoutes(app: KeelApiApp, identity: IdentityService): void {
  app.post(
    '/groups',
    {
      schema: {
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 256 }),
          description: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: { 200: Type.Object({ group: GroupJson }) },
      },
    },
    async (request) => {
      const group = await identity.createGroup(request.caller, {
        name: request.body.name,
        description: request.body.description,
      });
      return { group: groupJson(group) };
    },
  );

  app.get(
    '/groups',
    { schema: { response: { 200: Type.Object({ groups: Type.Array(GroupJson) }) } } },
    async (request) => ({ groups: (await identity.listGroups(request.caller)).map(groupJson) }),
  );

  app.delete(
    '/groups/:name',
    { schema: { params: GroupParams, response: { 200: EmptyJson } } },
    async (request) => {
      await identity.deleteGroup(request.caller, request.params.name);
      return {};
    },
  );

  app.get(
    '/groups/:name/members',
    { schema: { params: GroupParams, response: { 200: Type.Object({ members: Type.Array(UserJson) }) } } },
    async (request) => ({
      members: (await identity.listGroupMembers(request.caller, request.params.name)).map(userJson),
    }),
  );

  app.post(
    '/groups/:name/members',
    {
      schema: {
        params: GroupParams,
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await identity.addGroupMember(request.caller, request.params.name, request.body.username);
      return {};
    },
  );

  app.delete(
    '/groups/:name/members/:username',
    {
      schema: {
        params: Type.Object({
          ...GroupParams.properties,
          username: Type.String({ minLength: 1, maxLength: 256 }),
        }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await identity.removeGroupMember(request.caller, request.params.name, request.params.username);
      return {};
    },
  );
}
