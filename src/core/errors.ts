/**
 * The one catalog of error codes Keel answers with. Codes are MLflow's names where MLflow has one, so
 * that the Python client builds the same `RestException` it would from MLflow's own server.
 *
 * Each code carries the HTTP status every API answers it with and a sentence for `docs/errors.md`;
 * a test ties this table to that file.
 */
export const errorCatalog = {
  INVALID_PARAMETER_VALUE: {
    status: 400,
    description: 'A request field is missing, malformed or out of range; the message names the field.',
  },
  RESOURCE_ALREADY_EXISTS: {
    status: 400,
    description: 'An entity with that name or id already exists (MLflow answers this with 400, not 409).',
  },
  BAD_REQUEST: { status: 400, description: 'The request as a whole is malformed (for example, not JSON).' },
  MALFORMED_REQUEST: { status: 400, description: 'The request body could not be parsed.' },
  UNAUTHENTICATED: { status: 401, description: 'No valid credentials were sent.' },
  PERMISSION_DENIED: { status: 403, description: 'The caller may not perform this action.' },
  RESOURCE_DOES_NOT_EXIST: { status: 404, description: 'The addressed entity does not exist.' },
  ENDPOINT_NOT_FOUND: { status: 404, description: 'No endpoint answers at this path.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The endpoint exists but not for this HTTP method.' },
  ABORTED: { status: 409, description: 'The write conflicted with a concurrent one; retrying may succeed.' },
  REQUEST_LIMIT_EXCEEDED: { status: 429, description: 'Too many requests; slow down and retry later.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is larger than the server accepts.' },
  INVALID_STATE: {
    status: 400,
    description:
      'The entity is in a state that forbids the operation (for example, renaming a deleted experiment).',
  },
  INTERNAL_ERROR: {
    status: 500,
    description: 'An unexpected failure inside the server; the message carries a request id to find the log.',
  },
  NOT_IMPLEMENTED: { status: 501, description: 'The server does not offer this operation in this setup.' },
  TEMPORARILY_UNAVAILABLE: {
    status: 503,
    description: 'The server is starting, stopping or a backend is unreachable; retry later.',
  },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof errorCatalog;

/**
 * An expected failure with a stable code. Bugs are plain `Error`s and become `INTERNAL_ERROR`
 * at the edge without their message reaching the client.
 *
 * @example
 * throw new KeelError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
 */
export class KeelError extends Error {
  override readonly name = 'KeelError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** The HTTP status this error is answered with on every API. */
  get status(): number {
    return errorCatalog[this.code].status;
  }
}

export function isKeelError(value: unknown): value is KeelError {
  return value instanceof KeelError;
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCatalog, value);
}
