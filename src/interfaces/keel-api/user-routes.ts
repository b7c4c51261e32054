import { Type } from '@sinclair/typebox';
import type { User } from '../../core/auth/index.js';
import type { IdentityService } from '../../services/auth/index.js';
import type { KeelApiApp } from './keel-api-app.js';
import { EmptyJson, UserJson, userJson } from './wire.js';

const UsernameParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 256 }) });
const UserResponse = Type.Object({ user: UserJson });
const DisplayName = Type.String({ maxLength: 256 });

/**
 * `users` and `service-accounts`. Site administrators manage everyone; a user reads themself and
 * changes their own display name and password (the service decides).
 */
export function userRoutes(app: KeelApiApp, identity: IdentityService): void {
  app.post(
    '/users',
    {
      schema: {
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 256 }),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
          display_name: Type.Optional(DisplayName),
          is_admin: Type.Optional(Type.Boolean()),
        }),
        response: { 200: UserResponse },
      },
    },
    async (request) => {
      const body = request.body;
      const user = await identity.createUser(request.caller, {
        username: body.username,
        password: body.password,
        displayName: body.display_name,
        isAdmin: body.is_admin,
        kind: 'user',
      });
      return { user: userJson(user) };
    },
  );

  app.get(
    '/users',
    {
      schema: {
        querystring: Type.Object({
          max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          page_token: Type.Optional(Type.String({ maxLength: 1024 })),
        }),
        response: {
          200: Type.Object({ users: Type.Array(UserJson), next_page_token: Type.Optional(Type.String()) }),
        },
      },
    },
    async (request) => {
      const page = await identity.listUsers(request.caller, {
        maxResults: request.query.max_results,
        pageToken: request.query.page_token,
      });
      return {
        users: page.items.map(userJson),
        ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
      };
    },
  );

  app.get(
    '/users/:username',
    { schema: { params: UsernameParams, response: { 200: UserResponse } } },
    async (request) => ({ user: userJson(await identity.getUser(request.caller, request.params.username)) }),
  );

  app.patch(
    '/users/:username',
    {
      schema: {
        params: UsernameParams,
        body: Type.Object({
          display_name: Type.Optional(DisplayName),
          is_admin: Type.Optional(Type.Boolean()),
          disabled: Type.Optional(Type.Boolean()),
        }),
        response: { 200: UserResponse },
      },
    },
    async (request) => {
      const body = request.body;
      const user = await identity.updateUser(request.caller, request.params.username, {
        displayName: body.display_name,
        isAdmin: body.is_admin,
        disabled: body.disabled,
      });
      return { user: userJson(user) };
    },
  );

  app.post(
    '/users/:username/password',
    {
      schema: {
        params: UsernameParams,
        body: Type.Object({
          new_password: Type.String({ minLength: 1, maxLength: 1024 }),
          current_password: Type.Optional(Type.String({ maxLength: 1024 })),
        }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await identity.changePassword(request.caller, request.params.username, {
        newPassword: request.body.new_password,
        currentPassword: request.body.current_password,
      });
      return {};
    },
  );

  app.delete(
    '/users/:username',
    { schema: { params: UsernameParams, response: { 200: EmptyJson } } },
    async (request) => {
      await identity.deleteUser(request.caller, request.params.username);
      return {};
    },
  );

  app.post(
    '/service-accounts',
    {
      schema: {
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 256 }),
          display_name: Type.Optional(DisplayName),
        }),
        response: { 200: UserResponse },
      },
    },
    async (request) => {
      const user = await identity.createUser(request.caller, {
        username: request.body.username,
        displayName: request.body.display_name,
        kind: 'service_account',
      });
      return { user: userJson(user) };
    },
  );

  app.get(
    '/service-accounts',
    { schema: { response: { 200: Type.Object({ service_accounts: Type.Array(UserJson) }) } } },
    async (request) => {
      // Service accounts are few; the user list is walked whole and filtered.
      const found: User[] = [];
      let pageToken: string | undefined;
      do {
        const page = await identity.listUsers(request.caller, { maxResults: 1000, pageToken });
        found.push(...page.items.filter((user) => user.kind === 'service_account'));
        pageToken = page.nextPageToken;
      } while (pageToken);
      return { service_accounts: found.map(userJson) };
    },
  );
}
