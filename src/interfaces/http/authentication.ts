import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { Caller } from '../../core/auth/index.js';
import type { AuthService } from '../../services/auth/index.js';
import { readCookie, sessionCookieName } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Who is asking, set by the authentication hook before any handler runs. Null only on public
     * routes (`config: { public: true }`), whose handlers never read it; reading it there fails
     * closed (a service given null throws, which answers 500).
     */
    caller: Caller;
  }
  interface FastifyContextConfig {
    /** Served without authentication: `/health`, `/version`, the login endpoint. */
    public?: boolean;
  }
}

/**
 * Authenticates every request to a non-public route, before its body is read: the credentials
 * (`Authorization: Basic|Bearer`, or the session cookie with its CSRF header), the selected
 * workspace (`X-Keel-Workspace`), the client address and the request id go to the auth service,
 * and the `Caller` it returns is stored on the request. A refusal (401, 403 for a missing CSRF
 * token, 404 for an unknown workspace, 429 when throttled) goes to the app's error handler.
 *
 * A callback hook, not an async one: the hot path (a cached token or password) is decided
 * synchronously, without a promise. It is attached to each non-public route as it is declared
 * (whether a route is public is known then, not looked up per request: Fastify builds a new
 * object for every read of `request.routeOptions`), and runs globally only for requests that
 * match no route, so that an unknown path tells an anonymous caller nothing. Call this before
 * any route is declared.
 */
export function authenticateRequests(app: FastifyInstance, auth: AuthService): void {
  // Every request object gets the property up front: one hidden class, no shape change later.
  app.decorateRequest('caller', null as unknown as Caller);
  const authenticate: onRequestHookHandler = (request, _reply, done) => {
    const headers = request.headers;
    const input = {
      method: request.method,
      authorization: headers.authorization,
      sessionCookie: readCookie(headers.cookie, sessionCookieName),
      csrfToken: single(headers['x-csrf-token']),
      workspace: single(headers['x-keel-workspace']),
      ip: request.ip,
      requestId: request.id,
    };
    // The hot path: a cached credential is decided without a promise.
    let cached: Caller | undefined;
    try {
      cached = auth.authenticateCached(input);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (cached !== undefined) {
      request.caller = cached;
      done();
      return;
    }
    auth.authenticate(input).then(
      (caller) => {
        request.caller = caller;
        done();
      },
      (error: Error) => done(error),
    );
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.public === true) return;
    const own =
      route.onRequest === undefined
        ? []
        : Array.isArray(route.onRequest)
          ? route.onRequest
          : [route.onRequest];
    route.onRequest = [authenticate, ...own];
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (request.is404) authenticate.call(app, request, reply, done);
    else done();
  });
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The challenge a 401 carries, so that HTTP clients (MLflow's Python client, curl) know to send
 * Basic credentials. Left off on the paths a browser page calls with `fetch` (`/ajax-api/`, Keel's
 * own `/api/keel/`): there the header would pop up the browser's password dialog over the UI's
 * login page.
 */
export const basicChallenge = 'Basic realm="keel", charset="UTF-8"';

export function challengesWith401(url: string): boolean {
  return !url.startsWith('/ajax-api/') && !url.startsWith('/api/keel/');
}
