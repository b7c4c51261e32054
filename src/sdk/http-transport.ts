import { KeelError, isErrorCode } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';
import { base64Utf8 } from './text-bytes.js';

export interface HttpTransportOptions {
  /** The server's base URL, `http(s)://host:port[/prefix]`. */
  trackingUri: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** With `password`, sent as HTTP basic auth (ignored when `token` is given). */
  username?: string;
  password?: string;
  /** Sent as `X-Keel-Workspace`: the workspace requests work in (the server's default when absent). */
  workspace?: string;
  /**
   * A browser signed in with a session cookie: called before each request that is not GET or HEAD,
   * and what it returns (the login's `csrf_token`) is sent as `X-CSRF-Token`. The server refuses
   * such a request without it (403), so that another site's page cannot act with the cookie.
   */
  csrfToken?: () => string | undefined;
  /** Retries of a request answered 429/502/503/504 or cut by a connection reset (default 3). */
  maxRetries?: number;
  /** First backoff delay; it doubles on each retry, with jitter (default 250 ms). */
  retryDelayMs?: number;
  /** Deadline of a JSON call, body included (default 120 s). Artifact transfers have none. */
  timeoutMs?: number;
}

/** A request body `fetch` accepts. */
export type RequestBody = NonNullable<RequestInit['body']>;

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Builds the body afresh for each attempt, so streamed bodies can be retried. */
  body?: () => RequestBody;
  headers?: Record<string, string>;
  /** Overrides the JSON deadline; `null` means no deadline (streamed transfers). */
  timeoutMs?: number | null;
}

const retryableStatuses = new Set([429, 502, 503, 504]);
const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
const maxErrorBodyBytes = 64 * 1024;

/**
 * The SDK's one door to the network: JSON calls to MLflow's REST API and raw artifact transfers over
 * the global `fetch` (undici keeps connections alive). Retries 429/502/503/504 and connection resets
 * with exponential backoff, never another 4xx or 5xx. Every failure is a `KeelError`: the server's own
 * `{error_code, message}` when it sent one, a code derived from the status otherwise, and
 * `TEMPORARILY_UNAVAILABLE` when no server answers.
 */
export class HttpTransport {
  readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly workspace: string | undefined;
  private readonly csrfToken: (() => string | undefined) | undefined;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;

  constructor(options: HttpTransportOptions) {
    this.baseUrl = normaliseTrackingUri(options.trackingUri);
    if (options.token) this.authorization = `Bearer ${options.token}`;
    else if (options.username !== undefined && options.password !== undefined) {
      this.authorization = `Basic ${base64Utf8(`${options.username}:${options.password}`)}`;
    }
    this.workspace = options.workspace || undefined;
    this.csrfToken = options.csrfToken;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** GET with the request message in the query string; returns the parsed JSON body. */
  async getJson<T>(path: string, query?: Record<string, QueryValue>): Promise<T> {
    const response = await this.request('GET', path, { query });
    return parseJsonBody<T>(await response.text());
  }

  /** DELETE with the request in the query string; returns the parsed JSON body. */
  async deleteJson<T>(path: string, query?: Record<string, QueryValue>): Promise<T> {
    const response = await this.request('DELETE', path, { query });
    return parseJsonBody<T>(await response.text());
  }

  /** POST (or PUT/PATCH/DELETE) with a JSON body; returns the parsed JSON body. */
  async sendJson<T>(
    path: string,
    body: unknown,
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' = 'POST',
  ): Promise<T> {
    const text = JSON.stringify(body);
    const response = await this.request(method, path, {
      body: () => text,
      headers: { 'content-type': 'application/json' },
    });
    return parseJsonBody<T>(await response.text());
  }

  /** Sends one request (with retries) and returns a 2xx response; anything else throws a `KeelError`. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = this.urlFor(path, options.query);
    const headers: Record<string, string> = { 'user-agent': 'keel-sdk', ...options.headers };
    if (this.authorization) headers.authorization = this.authorization;
    if (this.workspace) headers['x-keel-workspace'] = this.workspace;
    if (this.csrfToken !== undefined && method !== 'GET' && method !== 'HEAD') {
      const token = this.csrfToken();
      if (token) headers['x-csrf-token'] = token;
    }
    const timeoutMs = options.timeoutMs === undefined ? this.timeoutMs : options.timeoutMs;

    for (let attempt = 0; ; attempt++) {
      const body = options.body?.();
      const init: RequestInit & { duplex?: 'half' } = { method, headers, body };
      if (body !== undefined && typeof body === 'object' && 'getReader' in body) init.duplex = 'half';
      if (timeoutMs !== null) init.signal = AbortSignal.timeout(timeoutMs);

      let response: Response;
      try {
        response = await fetch(url, init);
      } catch (error) {
        const code = networkErrorCode(error);
        if (code !== undefined && resetCodes.has(code) && attempt < this.maxRetries) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw this.networkError(error, code, timeoutMs);
      }
      if (response.ok) return response;
      if (retryableStatuses.has(response.status) && attempt < this.maxRetries) {
        await response.body?.cancel();
        await sleep(retryAfterMs(response) ?? this.backoff(attempt));
        continue;
      }
      throw await errorFromResponse(response, method, path);
    }
  }

  private urlFor(path: string, query: Record<string, QueryValue> | undefined): string {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else url.searchParams.append(key, String(value));
    }
    return url.toString();
  }

  private backoff(attempt: number): number {
    const base = this.retryDelayMs * 2 ** attempt;
    return base / 2 + Math.random() * (base / 2);
  }

  private networkError(error: unknown, code: string | undefined, timeoutMs: number | null): KeelError {
    if (error instanceof Error && error.name === 'TimeoutError') {
      return new KeelError(
        'TEMPORARILY_UNAVAILABLE',
        `The Keel server at ${this.baseUrl} did not answer within ${timeoutMs} ms`,
      );
    }
    if (code === 'ECONNREFUSED') {
      return new KeelError(
        'TEMPORARILY_UNAVAILABLE',
        `Cannot reach a Keel server at ${this.baseUrl} (connection refused). ` +
          'Start one with `keel server` (or `npm run demo`), or point the tracking URI at a running server.',
      );
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new KeelError(
        'TEMPORARILY_UNAVAILABLE',
        `Cannot resolve the host of the tracking URI ${this.baseUrl}; check the address.`,
      );
    }
    const detail = code ?? innermostMessage(error);
    return new KeelError(
      'TEMPORARILY_UNAVAILABLE',
      `The connection to the Keel server at ${this.baseUrl} failed (${detail})`,
    );
  }
}

/** Checks and normalises a tracking URI: http(s) only, no trailing slash. */
export function normaliseTrackingUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Invalid tracking URI '${uri}': expected http(s)://host:port`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Unsupported tracking URI '${uri}': Keel talks to a server over HTTP, use http(s)://host:port`,
    );
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** The code MLflow's clients derive from a status when the body carries none. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'BAD_REQUEST';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'ENDPOINT_NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status === 409) return 'ABORTED';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'REQUEST_LIMIT_EXCEEDED';
  if (status === 501) return 'NOT_IMPLEMENTED';
  if (status === 503 || status === 502 || status === 504) return 'TEMPORARILY_UNAVAILABLE';
  if (status >= 500) return 'INTERNAL_ERROR';
  return 'BAD_REQUEST';
}

/** MLflow codes outside Keel's catalog, mapped to the nearest catalog code. */
const foreignCodes: Record<string, ErrorCode> = {
  NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  CUSTOMER_UNAUTHORIZED: 'UNAUTHENTICATED',
  ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  RESOURCE_CONFLICT: 'ABORTED',
  RESOURCE_EXHAUSTED: 'REQUEST_LIMIT_EXCEEDED',
  DEADLINE_EXCEEDED: 'TEMPORARILY_UNAVAILABLE',
};

async function errorFromResponse(response: Response, method: string, path: string): Promise<KeelError> {
  const text = await readBounded(response, maxErrorBodyBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body !== null && typeof body === 'object') {
    const { error_code: errorCode, message } = body as { error_code?: unknown; message?: unknown };
    if (typeof errorCode === 'string' && typeof message === 'string') {
      const code = isErrorCode(errorCode)
        ? errorCode
        : (foreignCodes[errorCode] ?? codeForStatus(response.status));
      return new KeelError(code, message);
    }
  }
  const excerpt = text.trim().slice(0, 200);
  return new KeelError(
    codeForStatus(response.status),
    `${method} ${path} failed with HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
  );
}

async function readBounded(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= bytes.length) break;
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
  }
  // A character cut at the limit decodes as U+FFFD rather than failing.
  return new TextDecoder().decode(bytes);
}

function parseJsonBody<T>(text: string): T {
  if (text.trim() === '') return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new KeelError(
      'INTERNAL_ERROR',
      `The server answered with a body that is not JSON: ${text.slice(0, 200)}`,
    );
  }
}

/** The system error code behind a failed fetch (undici wraps it in `cause`, sometimes an AggregateError). */
export function networkErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') return code;
    if (cause !== undefined) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return undefined;
}

function innermostMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Math.min(Number(header) * 1000, 30_000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
