import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KeelError } from '../../core/errors.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses, before authentication, a request that changes something (any method but GET, HEAD,
 * OPTIONS) when the browser says it comes from another site's page: `Sec-Fetch-Site` other than
 * `same-origin` or `none`, or, from a browser that does not send that header, an `Origin` whose
 * host is not the request's `Host`. Clients that are not browsers (MLflow's, curl, the SDK) send
 * neither header and pass.
 *
 * Why: MLflow's routes read any body as JSON whatever its media type (as MLflow does), so a plain
 * HTML form on any site can post `text/plain` JSON to them; and Basic credentials that a browser
 * remembered after the 401 challenge are sent with such a post, as is nothing at all to a server
 * without authentication on loopback. The session cookie has its CSRF token; this covers the rest.
 */
export function refuseCrossSiteWrites(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (safeMethods.has(request.method) || !isCrossSite(request)) {
      done();
      return;
    }
    done(
      new KeelError(
        'PERMISSION_DENIED',
        'Cross-site request refused: a page of another site may not change anything on this server. ' +
          'Use the Keel UI, or a client that is not a browser.',
      ),
    );
  });
}

function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.headers.host?.toLowerCase();
  } catch {
    // `null` (a sandboxed frame, a redirect across sites) or anything unparsable.
    return true;
  }
}
