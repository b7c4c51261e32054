import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from './error-handler.js';

/** Hashed file names change with their content, so a browser may keep them for good. */
const immutableAsset = { maxAge: 365 * 24 * 3600 * 1000, immutable: true };
const publicRoute = { config: { public: true } };
/** Paths that belong to the APIs: never answered with the UI's page, whatever the Accept header. */
const apiPath = /^\/(api|ajax-api)(\/|$)/;

/**
 * A request for one of the UI's pages: a browser navigating (GET or HEAD, accepting HTML) to a
 * path outside the APIs. Only such requests can match the page route (a route constraint), so an
 * API client that calls an unknown endpoint still gets the JSON 404 (or 401) it always got.
 */
function pageRequest(request: { method?: string; url?: string; headers: FastifyRequest['headers'] }) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const accept = request.headers.accept;
  if (typeof accept !== 'string' || !accept.includes('text/html')) return undefined;
  return apiPath.test(request.url ?? '') ? undefined : 'page';
}

/**
 * The web UI, a single-page app built into `root` (`npm run build` writes `dist/web`):
 *
 * - `GET /` and every other page path a browser opens (deep links such as
 *   `/experiments/3/runs?filter=...`) answer `index.html` with `Cache-Control: no-cache`, so a
 *   new build reaches users at once; the app's router then shows the page.
 * - `GET /assets/*` answers the content-hashed scripts and styles with
 *   `Cache-Control: public, max-age=31536000, immutable`; an unknown file is the usual JSON 404.
 *
 * These routes are public: the files hold no data (every call the UI makes for data is
 * authenticated). When `root` holds no build, the server still starts, and `/` answers how to
 * build the UI.
 *
 * Call it before the app's not-found handler is set: that handler counts the API's routes to tell
 * 405 from 404, and the page route, which catches every path, must not count among them.
 */
export function serveWebUi(app: FastifyInstance, root: string | null | undefined): void {
  if (root === null || root === undefined || !existsSync(join(root, 'index.html'))) {
    app.get('/', publicRoute, async (_request, reply): Promise<ErrorBody> => {
      void reply.status(404);
      return {
        error_code: 'ENDPOINT_NOT_FOUND',
        message:
          'This Keel server has no web UI to serve: it is not built. Run `npm run build` (it writes ' +
          'dist/web) and restart `keel server`. The APIs answer under /api/2.0/mlflow and /api/keel/v1.',
      };
    });
    return;
  }

  // Only `reply.sendFile` (confined to `root`, with ETag and Last-Modified); the routes are ours.
  void app.register(fastifyStatic, { root, serve: false, index: false });
  app.addConstraintStrategy({
    name: 'webUiPage',
    storage() {
      const handlers = new Map<string, unknown>();
      return {
        get: (value: string) => (handlers.get(value) ?? null) as never,
        set: (value: string, store: unknown) => void handlers.set(value, store),
      };
    },
    deriveConstraint: pageRequest,
    mustMatchWhenDerived: false,
  });

  const sendPage = (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  app.get('/', publicRoute, sendPage);
  app.get('/*', { ...publicRoute, constraints: { webUiPage: 'page' } }, sendPage);
  app.get<{ Params: { '*': string } }>('/assets/*', publicRoute, (request, reply) =>
    reply.sendFile(`assets/${request.params['*']}`, immutableAsset),
  );
}
