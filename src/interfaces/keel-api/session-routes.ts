import { Type } from '@sinclair/typebox';
import type { AuthService, IdentityService } from '../../services/auth/index.js';
import {
  clearedSessionCookie,
  readCookie,
  sessionCookieName,
  sessionSetCookie,
} from '../http/session-cookie.js';
import type { KeelApiApp } from './keel-api-app.js';
import { EmptyJson, RoleName, UserJson, userJson, WorkspaceJson, workspaceJson } from './wire.js';

const LoginResponse = Type.Object({
  user: UserJson,
  /** Send it back as `X-CSRF-Token` on every request that changes something. */
  csrf_token: Type.String(),
  expires_time: Type.Integer(),
});

const SessionResponse = Type.Object({
  auth_enabled: Type.Boolean(),
  /** Null when authentication is off. */
  user: Type.Union([UserJson, Type.Null()]),
  via: Type.String(),
  workspace: Type.String(),
  workspaces: Type.Array(WorkspaceJson),
  roles: Type.Array(Type.Object({ workspace: Type.String(), role: RoleName })),
  csrf_token: Type.Optional(Type.String()),
});

/**
 * `auth/login`, `auth/logout`, `auth/session`: the web UI's sign-in with an HttpOnly, SameSite=Strict
 * session cookie. Login is the one public route of the API; its body (the password) is never logged.
 */
export function sessionRoutes(
  app: KeelApiApp,
  services: { auth: AuthService; identity: IdentityService },
  cookie: { secure: boolean },
): void {
  const { auth, identity } = services;

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 256 }),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: { 200: LoginResponse },
      },
    },
    async (request, reply) => {
      const session = await auth.login({
        username: request.body.username,
        password: request.body.password,
        ip: request.ip,
        requestId: request.id,
      });
      void reply
        .header('set-cookie', sessionSetCookie(session.cookieValue, session.endTime, cookie))
        .header('cache-control', 'no-store');
      return {
        user: userJson(session.user),
        csrf_token: session.csrfToken,
        expires_time: session.expiresTime,
      };
    },
  );

  app.post('/auth/logout', { schema: { response: { 200: EmptyJson } } }, async (request, reply) => {
    await auth.logout(request.caller, readCookie(request.headers.cookie, sessionCookieName));
    void reply.header('set-cookie', clearedSessionCookie(cookie));
    return {};
  });

  app.get('/auth/session', { schema: { response: { 200: SessionResponse } } }, async (request, reply) => {
    const caller = request.caller;
    const who = await identity.whoami(caller);
    const sessionCookie =
      caller.via === 'session' ? readCookie(request.headers.cookie, sessionCookieName) : undefined;
    void reply.header('cache-control', 'no-store');
    return {
      auth_enabled: auth.enabled,
      user: who.user === null ? null : userJson(who.user),
      via: caller.via,
      workspace: who.workspace,
      workspaces: who.workspaces.map(workspaceJson),
      roles: who.roles,
      ...(sessionCookie === undefined ? {} : { csrf_token: auth.csrfTokenFor(sessionCookie) }),
    };
  });
}
