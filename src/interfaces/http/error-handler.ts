import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { isKeelError, type ErrorCode } from '../../core/errors.js';
import { basicChallenge, challengesWith401 } from './authentication.js';

/** The body of every error answer: MLflow's shape, which its client turns into a `RestException`. */
export interface ErrorBody {
  error_code: ErrorCode;
  message: string;
}

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
}

/**
 * Turns anything thrown while serving a request into a status and a JSON body.
 *
 * - `KeelError`: the status of its code in the catalog, its own message.
 * - Fastify's request errors (validation, malformed JSON, body too large, media type): a 4xx with
 *   the matching catalog code; these messages are Fastify's own and safe to show.
 * - Anything else is a bug: `500 INTERNAL_ERROR` naming only the request id, so the log can be
 *   searched for the stack; nothing of the error itself reaches the client.
 */
export function errorAnswer(error: unknown, requestId: string): ErrorAnswer {
  if (isKeelError(error)) {
    return {
      status: error.status,
      body: { error_code: error.code, message: error.message },
    };
  }
  const fastifyError = error as Partial<FastifyError> | undefined;
  const status = fastifyError?.statusCode;
  if (
    typeof fastifyError?.code === 'string' &&
    fastifyError.code.startsWith('FST_') &&
    status &&
    status < 500
  ) {
    return { status: statusFor(fastifyError.code, status), body: requestErrorBody(fastifyError, status) };
  }
  return {
    status: 500,
    body: { error_code: 'INTERNAL_ERROR', message: `Internal error, request id ${requestId}` },
  };
}

function statusFor(code: string, status: number): number {
  if (code === 'FST_ERR_VALIDATION') return 400;
  return status;
}

function requestErrorBody(error: Partial<FastifyError>, status: number): ErrorBody {
  const message = error.message ?? 'Bad request';
  switch (error.code) {
    case 'FST_ERR_VALIDATION':
      return { error_code: 'INVALID_PARAMETER_VALUE', message };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { error_code: 'MALFORMED_REQUEST', message };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: 'A path parameter of the URL is too long (at most 2048 characters).',
      };
    case 'FST_ERR_BAD_URL':
      return {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: 'The URL path is not valid: check its percent-encoding.',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        error_code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is larger than this server accepts.',
      };
    default:
      break;
  }
  if (status === 404) return { error_code: 'ENDPOINT_NOT_FOUND', message };
  if (status === 405) return { error_code: 'METHOD_NOT_ALLOWED', message };
  if (status === 413) return { error_code: 'PAYLOAD_TOO_LARGE', message };
  if (status === 429) return { error_code: 'REQUEST_LIMIT_EXCEEDED', message };
  return { error_code: 'BAD_REQUEST', message };
}

/**
 * The app's one error handler; 5xx answers are logged with their stack, 4xx at debug level. A 401
 * carries the Basic challenge (see `challengesWith401`).
 */
export function handleHttpError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = errorAnswer(error, request.id);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.debug({ errorCode: body.error_code, message: body.message }, 'request rejected');
  if (status === 401 && challengesWith401(request.url)) void reply.header('www-authenticate', basicChallenge);
  void reply.status(status).type('application/json; charset=utf-8').send(body);
}

const clientErrors = {
  header_overflow: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    message:
      'The request headers are larger than this server accepts (16 KiB in all): send shorter credentials, cookies or headers.',
  },
  timeout: {
    status: 408,
    reason: 'Request Timeout',
    message: 'The request was not received in time.',
  },
  malformed: {
    status: 400,
    reason: 'Bad Request',
    message: 'The request is not valid HTTP.',
  },
} as const;

/**
 * Answers what Node's HTTP parser refuses before any route runs — headers over its 16 KiB limit
 * (431), a request that never finished arriving (408), anything that is not HTTP (400) — with the
 * same `{error_code, message}` JSON as every other error, then closes the connection.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const kind =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? clientErrors.header_overflow
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? clientErrors.timeout
        : clientErrors.malformed;
  const body = JSON.stringify({ error_code: 'BAD_REQUEST', message: kind.message } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${kind.status} ${kind.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
