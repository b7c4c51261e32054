import { expect } from 'vitest';

/** One HTTP answer, body parsed as JSON when it is JSON. */
export interface RestAnswer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

type QueryValue = string | number | boolean | readonly string[] | undefined;

/**
 * Raw MLflow REST calls shaped as the Python client (3.5) sends them: POST/PATCH/DELETE with a JSON
 * body and `Content-Type: application/json`, GET with the message fields as query parameters
 * (a list as the key repeated).
 */
export class MlflowRest {
  constructor(
    readonly baseUrl: string,
    readonly prefix = '/api/2.0/mlflow',
    /** Sent with every request (credentials, as the client's env vars make it send them). */
    readonly headers: Record<string, string> = {},
  ) {}

  /** The same client, sending these headers too (an `Authorization`, say). */
  withHeaders(headers: Record<string, string>): MlflowRest {
    return new MlflowRest(this.baseUrl, this.prefix, { ...this.headers, ...headers });
  }

  /** `path` is relative to the MLflow prefix, unless it starts with `/api/`, `/ajax-api/` or is `/health`, `/version`. */
  url(path: string, query: Record<string, QueryValue> = {}): string {
    const absolute = /^\/(api|ajax-api)\//.test(path) || path === '/health' || path === '/version';
    const url = new URL(`${this.baseUrl}${absolute ? '' : this.prefix}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else url.searchParams.append(key, String(value));
    }
    return url.toString();
  }

  /** `raw` is sent as is: a string gets fetch's text/plain Content-Type, bytes get none. */
  async send(
    method: string,
    path: string,
    init: { body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {},
  ): Promise<RestAnswer> {
    const hasJson = init.body !== undefined;
    const response = await fetch(this.url(path), {
      method,
      headers: {
        ...(hasJson ? { 'content-type': 'application/json' } : {}),
        ...this.headers,
        ...init.headers,
      },
      body: init.raw ?? (hasJson ? JSON.stringify(init.body) : undefined),
    });
    return read(response);
  }

  post(path: string, body: unknown = {}): Promise<RestAnswer> {
    return this.send('POST', path, { body });
  }

  patch(path: string, body: unknown = {}): Promise<RestAnswer> {
    return this.send('PATCH', path, { body });
  }

  delete(path: string, body?: unknown): Promise<RestAnswer> {
    return this.send('DELETE', path, body === undefined ? {} : { body });
  }

  async get(path: string, query: Record<string, QueryValue> = {}): Promise<RestAnswer> {
    return read(await fetch(this.url(path, query), { headers: this.headers }));
  }

  /** POST that must answer 200; returns the body. */
  async ok(path: string, body: unknown = {}): Promise<any> {
    const answer = await this.post(path, body);
    expect(answer.status, `${path}: ${answer.text}`).toBe(200);
    return answer.body;
  }

  /** GET that must answer 200; returns the body. */
  async getOk(path: string, query: Record<string, QueryValue> = {}): Promise<any> {
    const answer = await this.get(path, query);
    expect(answer.status, `${path}: ${answer.text}`).toBe(200);
    return answer.body;
  }

  async createExperiment(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const body = await this.ok('/experiments/create', { name, ...extra });
    return body.experiment_id as string;
  }

  /** A run as `mlflow.start_run()` creates it. */
  async createRun(experimentId: string, extra: Record<string, unknown> = {}): Promise<any> {
    const body = await this.ok('/runs/create', {
      experiment_id: experimentId,
      user_id: 'alice',
      start_time: 1_700_000_000_000,
      tags: [
        { key: 'mlflow.user', value: 'alice' },
        { key: 'mlflow.source.name', value: 'train.py' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
      ],
      ...extra,
    });
    return body.run;
  }

  async getRun(runId: string): Promise<any> {
    return (await this.getOk('/runs/get', { run_id: runId })).run;
  }
}

async function read(response: Response): Promise<RestAnswer> {
  const text = await response.text();
  let body: unknown = undefined;
  if ((response.headers.get('content-type') ?? '').includes('application/json') && text !== '') {
    body = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Asserts an MLflow error answer: status, `error_code`, and the message (exactly, or matching). */
export function expectError(
  answer: RestAnswer,
  status: number,
  errorCode: string,
  message?: string | RegExp,
): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/application\/json/);
  expect(answer.body.error_code).toBe(errorCode);
  expect(typeof answer.body.message).toBe('string');
  if (typeof message === 'string') expect(answer.body.message).toBe(message);
  else if (message) expect(answer.body.message).toMatch(message);
}

/** A tag/param list as a plain object, for order-independent comparisons. */
export function asMap(entries: { key: string; value: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((entries ?? []).map((entry) => [entry.key, entry.value]));
}
