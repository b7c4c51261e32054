import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { HttpTransport, normaliseTrackingUri } from './http-transport.js';

type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void;

const servers: Server[] = [];

async function serve(handler: Handler): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function failure(promise: Promise<unknown>): Promise<KeelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeelError);
  return error as KeelError;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('HttpTransport', () => {
  it('sends JSON, repeats array query keys and returns the parsed body', async () => {
    const { url, requests } = await serve((req, res) => json(res, 200, { url: req.url }));
    const http = new HttpTransport({ trackingUri: `${url}/` });
    const body = await http.getJson<{ url: string }>('/x', { a: ['1', '2'], b: 3, c: undefined });
    expect(body.url).toBe('/x?a=1&a=2&b=3');
    expect(requests[0]?.headers['user-agent']).toBe('keel-sdk');
  });

  it('turns an empty body into {}', async () => {
    const { url } = await serve((_req, res) => res.writeHead(200).end());
    expect(await new HttpTransport({ trackingUri: url }).sendJson('/x', {})).toEqual({});
  });

  it('maps a JSON error body to a KeelError with the same code and message', async () => {
    const { url, requests } = await serve((_req, res) =>
      json(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=abc not found' }),
    );
    const error = await failure(new HttpTransport({ trackingUri: url, retryDelayMs: 1 }).getJson('/x'));
    expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(error.message).toBe('Run with id=abc not found');
    expect(requests).toHaveLength(1);
  });

  it('maps MLflow codes outside the catalog, and bodies without a code, by meaning and status', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/foreign') json(res, 404, { error_code: 'NOT_FOUND', message: 'gone' });
      else if (req.url === '/odd') json(res, 409, { error_code: 'SOMETHING_NEW', message: 'conflict' });
      else res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    const http = new HttpTransport({ trackingUri: url });
    expect((await failure(http.getJson('/foreign'))).code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await failure(http.getJson('/odd'))).code).toBe('ABORTED');
    const html = await failure(http.getJson('/html'));
    expect(html.code).toBe('ENDPOINT_NOT_FOUND');
    expect(html.message).toContain('HTTP 404');
  });

  it('retries 503 and 429 with backoff, then succeeds', async () => {
    const { url, requests } = await serve((_req, res, n) => {
      if (n === 1) json(res, 503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' });
      else if (n === 2) res.writeHead(429, { 'retry-after': '0' }).end();
      else json(res, 200, { ok: true });
    });
    const body = await new HttpTransport({ trackingUri: url, retryDelayMs: 1 }).sendJson('/x', { a: 1 });
    expect(body).toEqual({ ok: true });
    expect(requests).toHaveLength(3);
  });

  it('never retries a 4xx or a 500', async () => {
    const { url, requests } = await serve((req, res) =>
      req.url === '/bad'
        ? json(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'nope' })
        : json(res, 500, { error_code: 'INTERNAL_ERROR', message: 'boom' }),
    );
    const http = new HttpTransport({ trackingUri: url, retryDelayMs: 1 });
    expect((await failure(http.sendJson('/bad', {}))).code).toBe('INVALID_PARAMETER_VALUE');
    expect((await failure(http.sendJson('/boom', {}))).code).toBe('INTERNAL_ERROR');
    expect(requests).toHaveLength(2);
  });

  it('gives up after maxRetries and reports the last answer', async () => {
    const { url, requests } = await serve((_req, res) => res.writeHead(502).end('bad gateway'));
    const error = await failure(
      new HttpTransport({ trackingUri: url, retryDelayMs: 1, maxRetries: 2 }).getJson('/x'),
    );
    expect(error.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(requests).toHaveLength(3);
  });

  it('retries a request whose connection was reset', async () => {
    const { url, requests } = await serve((req, res, n) => {
      if (n === 1) req.socket.destroy();
      else json(res, 200, { ok: n });
    });
    const body = await new HttpTransport({ trackingUri: url, retryDelayMs: 1 }).sendJson('/x', {});
    expect(body).toEqual({ ok: 2 });
    expect(requests).toHaveLength(2);
  });

  it('says how to start a server when the connection is refused', async () => {
    const { url } = await serve(() => undefined);
    const server = servers.pop() as Server;
    await new Promise((resolve) => server.close(resolve));
    const error = await failure(new HttpTransport({ trackingUri: url }).getJson('/x'));
    expect(error.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(error.message).toContain(url);
    expect(error.message).toContain('keel server');
    expect(error.message).toContain('npm run demo');
  });

  it('sends bearer or basic credentials', async () => {
    const { url, requests } = await serve((_req, res) => json(res, 200, {}));
    await new HttpTransport({ trackingUri: url, token: 't0k' }).getJson('/x');
    await new HttpTransport({ trackingUri: url, username: 'ann', password: 'pw' }).getJson('/x');
    expect(requests[0]?.headers.authorization).toBe('Bearer t0k');
    expect(requests[1]?.headers.authorization).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
  });

  it('sends the workspace header when one is chosen, and DELETE with a query string', async () => {
    const { url, requests } = await serve((_req, res) => json(res, 200, {}));
    await new HttpTransport({ trackingUri: url, workspace: 'research' }).deleteJson('/x', { user: 'ann' });
    await new HttpTransport({ trackingUri: url }).sendJson('/y', { a: 1 }, 'PUT');
    expect(requests[0]?.method).toBe('DELETE');
    expect(requests[0]?.url).toBe('/x?user=ann');
    expect(requests[0]?.headers['x-keel-workspace']).toBe('research');
    expect(requests[1]?.method).toBe('PUT');
    expect(requests[1]?.headers['x-keel-workspace']).toBeUndefined();
  });

  it('times out a call that gets no answer', async () => {
    const { url } = await serve(() => undefined);
    const error = await failure(new HttpTransport({ trackingUri: url, timeoutMs: 50 }).getJson('/x'));
    expect(error.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(error.message).toContain('did not answer within 50 ms');
  });
});

describe('normaliseTrackingUri', () => {
  it('keeps a path prefix and drops trailing slashes', () => {
    expect(normaliseTrackingUri('http://h:5000/mlflow/')).toBe('http://h:5000/mlflow');
  });

  it('rejects URIs that are not HTTP', () => {
    for (const uri of ['file:///tmp/mlruns', 'databricks', './mlruns']) {
      expect(() => normaliseTrackingUri(uri)).toThrowError(KeelError);
    }
  });
});
