import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ArtifactService } from '../../services/artifacts/index.js';
import type { AuditService } from '../../services/audit/index.js';
import type { AccessControl, AuthService, IdentityService } from '../../services/auth/index.js';
import type { TrackingService } from '../../services/tracking/index.js';
import { keelApiPrefix, keelApiRoutes } from '../keel-api/index.js';
import { mlflowArtifactRoutes, mlflowRoutes } from '../mlflow/index.js';
import { authenticateRequests } from './authentication.js';
import { refuseCrossSiteWrites } from './cross-site.js';
import { answerClientError, handleHttpError } from './error-handler.js';
import { answerUnknownRoute } from './unknown-route.js';
import { serveWebUi } from './web-ui.js';

export interface HttpServices {
  tracking: TrackingService;
  artifacts: ArtifactService;
  auth: AuthService;
  identity: IdentityService;
  audit: AuditService;
  access: AccessControl;
}

export interface HttpAppOptions {
  services: HttpServices;
  /** A pino logger; every line a request logs carries its request id. */
  logger: FastifyBaseLogger;
  /** Keel's version, answered by `GET /version`. */
  version: string;
  /** Whether the artifact proxy (`/api/2.0/mlflow-artifacts/...`) serves bytes. */
  serveArtifacts: boolean;
  /**
   * The largest request body accepted, in bytes (default 16 MiB): over it, `413 PAYLOAD_TOO_LARGE`.
   * Endpoints with a smaller limit of their own (log-batch: 1,000,000 bytes, as MLflow) check it.
   */
  bodyLimitBytes?: number;
  /** Whether the session cookie is marked `Secure` (sent only over HTTPS). */
  cookieSecure: boolean;
  /** The built web UI (`dist/web`), served at `/`; null or absent: `/` says how to build it. */
  webUiRoot?: string | null;
}

export const defaultBodyLimitBytes = 16 * 1024 * 1024;

const saneRequestId = /^[\w.:-]{1,128}$/;

/**
 * Builds Keel's HTTP app without listening: the MLflow REST API (with MLflow's auth endpoints), the
 * artifact proxy, Keel's own API under `/api/keel/v1`, `/health`, `/version`, JSON errors for
 * everything (unknown routes and methods, and headers over Node's 16 KiB limit, included). Every
 * route but `/health`, `/version` and the login endpoint is authenticated first (see
 * `authenticateRequests`); with authentication off the auth service lets everyone in. A browser's
 * cross-site request that would change something is refused before that (see `refuseCrossSiteWrites`).
 *
 * @example
 * const app = buildHttpApp({ services, logger: pino(), version: '0.1.0', serveArtifacts: true, cookieSecure: false });
 * await app.listen({ host: '127.0.0.1', port: 5000 });
 */
export function buildHttpApp(options: HttpAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes ?? defaultBodyLimitBytes,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && saneRequestId.test(incoming) ? incoming : randomUUID();
    },
    // Keep-alive stays on; Node sets TCP_NODELAY on accepted sockets (see docs: the MLflow
    // server's 40 ms keep-alive stall comes from that flag being off).
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    // One access line per request (below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // MLflow keys run to 250 characters, up to ~750 URL-encoded (DELETE .../tags/{tag_key}); longer
    // parameters are refused by the routes' own validation, not by the router's 414.
    routerOptions: { maxParamLength: 2048 },
    // Errors the router raises before any route (a malformed URL, a parameter over the limit)
    // get the same `{error_code, message}` JSON as every other error.
    frameworkErrors: (error, request, reply) => handleHttpError(error, request, reply),
    // What Node's parser refuses (headers over 16 KiB: 431) answers JSON too.
    clientErrorHandler: answerClientError,
  });

  // Callback hooks: an async hook costs each request a promise.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
    done();
  });
  // Before authentication: a refused cross-site post neither checks a password nor counts a failure.
  refuseCrossSiteWrites(app);
  authenticateRequests(app, options.services.auth);
  app.setErrorHandler(handleHttpError);
  serveWebUi(app, options.webUiRoot);
  // Before any route is added: it records them all to tell 405 from 404.
  app.setNotFoundHandler(answerUnknownRoute(app));

  const open = { config: { public: true } };
  app.get('/health', open, async (_request, reply) => reply.type('text/plain; charset=utf-8').send('OK'));
  app.get('/version', open, async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(options.version),
  );

  const { tracking, artifacts, auth, identity, audit, access } = options.services;
  void app.register(mlflowRoutes, { tracking, identity, access });
  void app.register(mlflowArtifactRoutes, { artifacts, serveArtifacts: options.serveArtifacts });
  void app.register(keelApiRoutes, {
    prefix: keelApiPrefix,
    auth,
    identity,
    audit,
    cookieSecure: options.cookieSecure,
  });
  return app;
}
