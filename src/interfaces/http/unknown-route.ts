import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from './error-handler.js';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The not-found handler: `405 METHOD_NOT_ALLOWED` (with `Allow`) when the path is served for other
 * methods, else `404 ENDPOINT_NOT_FOUND`; both as JSON, so MLflow's client reads the error code
 * (MLflow itself answers Flask HTML pages here).
 */
export function answerUnknownRoute(app: FastifyInstance) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<ErrorBody> => {
    const path = request.url.split('?', 1)[0] ?? '/';
    const allowed = methods.filter(
      (method) => method !== request.method && app.findRoute({ method, url: path }) !== null,
    );
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
