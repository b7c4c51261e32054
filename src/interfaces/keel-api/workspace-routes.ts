import { Type } from '@sinclair/typebox';
import { parseRole } from '../../core/auth/index.js';
import type { IdentityService } from '../../services/auth/index.js';
import type { KeelApiApp } from './keel-api-app.js';
import {
  EmptyJson,
  principalOf,
  PrincipalInput,
  RoleBindingJson,
  roleBindingJson,
  WorkspaceJson,
  workspaceJson,
} from './wire.js';

const WorkspaceParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 63 }) });

/**
 * `workspaces` (created and deleted by site administrators; listed as far as the caller may see) and
 * their `roles` (granted by site administrators and the workspace's admins).
 */
export function workspaceRoutes(app: KeelApiApp, identity: IdentityService): void {
  app.post(
    '/workspaces',
    {
      schema: {
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 256 }),
          description: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: { 200: Type.Object({ workspace: WorkspaceJson }) },
      },
    },
    async (request) => {
      const workspace = await identity.createWorkspace(request.caller, {
        name: request.body.name,
        description: request.body.description,
      });
      return { workspace: workspaceJson(workspace) };
    },
  );

  app.get(
    '/workspaces',
    { schema: { response: { 200: Type.Object({ workspaces: Type.Array(WorkspaceJson) }) } } },
    async (request) => ({ workspaces: (await identity.listWorkspaces(request.caller)).map(workspaceJson) }),
  );

  app.delete(
    '/workspaces/:name',
    { schema: { params: WorkspaceParams, response: { 200: EmptyJson } } },
    async (request) => {
      await identity.deleteWorkspace(request.caller, request.params.name);
      return {};
    },
  );

  app.get(
    '/workspaces/:name/roles',
    {
      schema: {
        params: WorkspaceParams,
        response: { 200: Type.Object({ roles: Type.Array(RoleBindingJson) }) },
      },
    },
    async (request) => ({
      roles: (await identity.listRoles(request.caller, request.params.name)).map(roleBindingJson),
    }),
  );

  app.put(
    '/workspaces/:name/roles',
    {
      schema: {
        params: WorkspaceParams,
        body: Type.Object({ ...PrincipalInput, role: Type.String({ maxLength: 64 }) }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      const role = parseRole(request.body.role);
      await identity.grantRole(request.caller, request.params.name, principalOf(request.body), role);
      return {};
    },
  );

  app.delete(
    '/workspaces/:name/roles',
    {
      schema: {
        params: WorkspaceParams,
        querystring: Type.Object(PrincipalInput),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await identity.revokeRole(request.caller, request.params.name, principalOf(request.query));
      return {};
    },
  );
}
