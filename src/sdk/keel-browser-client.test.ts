import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { KeelBrowserClient } from './keel-browser-client.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server that answers `body` to everything and records the requests. */
async function serve(body: unknown, status = 200) {
  const requests: IncomingMessage[] = [];
  server = createServer((req, res) => {
    requests.push(req);
    req.resume();
    req.on('end', () =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('KeelBrowserClient', () => {
  it('sends the CSRF token on changes only, read afresh each time, and the workspace on every call', async () => {
    const { url, requests } = await serve({ experiment_id: '7' });
    let csrf: string | undefined;
    const client = new KeelBrowserClient({ trackingUri: url, workspace: 'ml', csrfToken: () => csrf });
    await client.experiments.create('before-login');
    csrf = 'token-1';
    await client.experiments.create('after-login');
    await client.experiments.search();
    await client.experiments.get('7');
    expect(requests.map((request) => request.headers['x-csrf-token'])).toEqual([
      undefined,
      'token-1',
      'token-1',
      undefined,
    ]);
    expect(requests.every((request) => request.headers['x-keel-workspace'] === 'ml')).toBe(true);
  });

  it('logs in and reads the session, with its CSRF token', async () => {
    const user = { user_id: 'u1', username: 'ada', display_name: 'Ada', kind: 'user', is_admin: false };
    const { url, requests } = await serve({ user, csrf_token: 'c-1', expires_time: 5, auth_enabled: true });
    const client = new KeelBrowserClient({ trackingUri: url });
    const login = await client.auth.login('ada', 'secret');
    expect(login).toMatchObject({ csrfToken: 'c-1', expiresTime: 5, user: { username: 'ada' } });
    expect((await client.auth.whoami()).csrfToken).toBe('c-1');
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /api/keel/v1/auth/login',
      'GET /api/keel/v1/auth/session',
    ]);
  });

  it('refuses captureGit, which needs Node, before sending anything', async () => {
    const { url, requests } = await serve({});
    const client = new KeelBrowserClient({ trackingUri: url });
    const error = await client.runs.create({ captureGit: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('INVALID_PARAMETER_VALUE');
    expect(requests).toHaveLength(0);
  });
  it('reads a sampled metric history (get-history-bulk-interval), whole or a step range', async () => {
    const { url, requests } = await serve({
      metrics: [{ key: 'loss', value: 'NaN', timestamp: '5', step: '10', run_id: 'r1' }],
    });
    const client = new KeelBrowserClient({ trackingUri: url });
    expect(
      await client.runs.getMetricHistorySampled({ runIds: ['r1'], key: 'loss', maxResults: 2000 }),
    ).toEqual([{ key: 'loss', value: Number.NaN, timestamp: 5, step: 10, runId: 'r1' }]);
    await client.runs.getMetricHistorySampled({ runIds: ['r1', 'r2'], key: 'a b', startStep: 3, endStep: 9 });
    expect(requests.map((request) => request.url)).toEqual([
      '/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=r1&metric_key=loss&max_results=2000',
      '/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=r1&run_ids=r2&metric_key=a+b&start_step=3&end_step=9',
    ]);
  });
});
