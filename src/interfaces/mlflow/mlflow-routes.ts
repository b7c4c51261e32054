import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TObject } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KeelError } from '../../core/errors.js';
import type { AccessControl, IdentityService } from '../../services/auth/index.js';
import type { TrackingService } from '../../services/tracking/index.js';
import { mlflowAuthRoutes } from './auth-routes.js';
import { experimentRoutes } from './experiment-routes.js';
import { loggedModelRoutes } from './logged-model-routes.js';
import { metricRoutes } from './metric-routes.js';
import type { MlflowApp } from './mlflow-app.js';
import { runLoggingRoutes } from './run-logging-routes.js';
import { runRoutes } from './run-routes.js';
import { decodeJsonBody, parseMessage } from './request-parsing.js';

export interface MlflowRoutesOptions {
  tracking: TrackingService;
  /** For MLflow's basic-auth API (users, experiment permissions). */
  identity: IdentityService;
  access: AccessControl;
}

/** Every MLflow path is served under the REST prefix and the UI's `ajax-api` prefix. */
export const mlflowPrefixes = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;

/**
 * The MLflow tracking REST API (experiments, runs, metrics, logged models) and its basic-auth API
 * (users, experiment permissions) as a Fastify plugin.
 * Inside its scope, requests are read the way MLflow's server reads them (see `request-parsing.ts`)
 * and answers are plain `JSON.stringify` of the proto-JSON the handlers build.
 */
export async function mlflowRoutes(instance: FastifyInstance, options: MlflowRoutesOptions): Promise<void> {
  const app: MlflowApp = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(({ schema, httpPart }) => {
    const source = httpPart === 'body' ? 'json' : 'query';
    return (data: unknown) => {
      try {
        const message = source === 'json' ? decodeJsonBody(data) : data;
        return { value: parseMessage(schema as TObject, message, source) };
      } catch (error) {
        return { error: error as Error };
      }
    };
  });
  // The handlers build exactly the proto-JSON shape; the response schemas document it.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // MLflow reads every body as JSON whatever its media type; bodies stay text until validation,
  // which decodes them (and a double-encoded JSON string) with MLflow's error answers.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    try {
      bodySizeCheckOf(request)?.(Buffer.byteLength(body as string));
      done(null, body);
    } catch (error) {
      done(error as Error);
    }
  });

  app.addHook('onRequest', (request, _reply, done) => {
    if (
      (request.method === 'POST' || request.method === 'PUT') &&
      request.headers['content-type'] === undefined
    ) {
      done(new KeelError('INVALID_PARAMETER_VALUE', 'Bad Request. Content-Type header is missing.'));
      return;
    }
    done();
  });

  for (const prefix of mlflowPrefixes) {
    await app.register(
      async (scope) => {
        const scoped = scope.withTypeProvider<TypeBoxTypeProvider>();
        experimentRoutes(scoped, options.tracking);
        runRoutes(scoped, options.tracking);
        runLoggingRoutes(scoped, options.tracking);
        metricRoutes(scoped, options.tracking);
        loggedModelRoutes(scoped, options.tracking);
        mlflowAuthRoutes(scoped, options.identity, options.access);
      },
      { prefix },
    );
  }

  const ServerInfo = Type.Object({ store_type: Type.String(), workspaces_enabled: Type.Boolean() });
  for (const prefix of ['/api/3.0/mlflow', '/ajax-api/3.0/mlflow']) {
    app.get(`${prefix}/server-info`, { schema: { response: { 200: ServerInfo } } }, async () => ({
      store_type: 'SqlStore',
      workspaces_enabled: false,
    }));
  }
}

/**
 * A route may declare `config: { checkBodySize(bytes) }` to refuse bodies by size with its own
 * answer (log-batch: MLflow's 400 over 1,000,000 bytes, where the app-wide limit gives 413).
 */
export interface MlflowRouteConfig {
  checkBodySize?: (bytes: number) => void;
}

function bodySizeCheckOf(request: FastifyRequest): ((bytes: number) => void) | undefined {
  return (request.routeOptions.config as MlflowRouteConfig).checkBodySize;
}
