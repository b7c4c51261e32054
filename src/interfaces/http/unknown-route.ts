import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { ErrorBody } from './error-handler.js';

interface KnownRoute {
  method: string;
  pattern: RegExp;
}

/** A route's URL pattern as a regular expression over request paths. */
function routePattern(url: string): RegExp {
  let source = '';
  for (const [index, segment] of url.split('/').entries()) {
    if (index > 0) source += '/';
    if (segment === '*') source += '.*';
    else if (segment.startsWith(':')) source += '[^/]+';
    else if (segment.endsWith('*')) source += `${escapeRegExp(segment.slice(0, -1))}.*`;
    else source += escapeRegExp(segment);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Records every route registered on `app` from now on (call it before registering routes) and
 * returns the not-found handler: `405 METHOD_NOT_ALLOWED` (with `Allow`) when the request's path
 * is served for other methods, else `404 ENDPOINT_NOT_FOUND`; both as JSON, so MLflow's client
 * reads the error code (MLflow itself answers Flask HTML pages here).
 *
 * Paths are matched against the routes' patterns (`/logged-models/:model_id` matches
 * `/logged-models/m-abc`), not looked up as patterns themselves.
 */
export function answerUnknownRoute(app: FastifyInstance) {
  const routes: KnownRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const pattern = routePattern(route.url);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method: String(method).toUpperCase(), pattern });
  });

  return async (request: FastifyRequest, reply: FastifyReply): Promise<ErrorBody> => {
    const path = request.url.split('?', 1)[0] ?? '/';
    const allowed = [
      ...new Set(
        routes
          .filter((route) => route.method !== request.method && route.pattern.test(path))
          .map((route) => route.method),
      ),
    ];
    if (allowed.length > 0) {
      void reply.status(405).header('allow', allowed.join(', '));
      return {
        error_code: 'METHOD_NOT_ALLOWED',
        message: `The method ${request.method} is not allowed for ${path}; use ${allowed.join(' or ')}.`,
      };
    }
    void reply.status(404);
    return { error_code: 'ENDPOINT_NOT_FOUND', message: `No endpoint at ${request.method} ${path}.` };
  };
}
