import { Type } from '@sinclair/typebox';
import type { IdentityService } from '../../services/auth/index.js';
import type { KeelApiApp } from './keel-api-app.js';
import { EmptyJson, TokenJson, tokenJson } from './wire.js';

/**
 * `tokens`: API tokens for `Authorization: Bearer` (and as a Basic password). The secret is in the
 * creation answer only; the server keeps its hash. Users manage their own; site administrators
 * anyone's, and those of service accounts.
 */
export function tokenRoutes(app: KeelApiApp, identity: IdentityService): void {
  app.post(
    '/tokens',
    {
      schema: {
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 128 }),
          /** Default 90, at most 365; null for a token that never expires (administrators only). */
          expires_in_days: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
          /** Limit the token to one workspace. */
          workspace: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 63 }), Type.Null()])),
          /** Whose token: yourself by default; another user or a service account for administrators. */
          username: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        }),
        response: { 200: Type.Object({ token: Type.String(), ...TokenJson.properties }) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await identity.createToken(request.caller, {
        name: body.name,
        username: body.username,
        workspace: body.workspace,
        expiresInDays: body.expires_in_days,
      });
      void reply.header('cache-control', 'no-store');
      return { token: created.token, ...tokenJson(created.info) };
    },
  );

  app.get(
    '/tokens',
    {
      schema: {
        querystring: Type.Object({ username: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) }),
        response: { 200: Type.Object({ tokens: Type.Array(TokenJson) }) },
      },
    },
    async (request) => ({
      tokens: (await identity.listTokens(request.caller, request.query.username)).map(tokenJson),
    }),
  );

  app.delete(
    '/tokens/:token_id',
    {
      schema: {
        params: Type.Object({ token_id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: EmptyJson },
      },
    },
    async (request) => {
      await identity.revokeToken(request.caller, request.params.token_id);
      return {};
    },
  );
}
