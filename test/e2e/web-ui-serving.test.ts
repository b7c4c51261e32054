import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultWebUiRoot, readKeelVersion } from '../../src/app/index.js';
import { adminCredentials } from '../support/auth-fixture.js';
import { requireBuiltUi } from './browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

async function get(url: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(url, { method, headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('keel server serves the built web UI', () => {
  let server: TestServer;
  let asset: string;
  beforeAll(async () => {
    requireBuiltUi();
    server = await startTestServer({ webUi: true, auth: { admin: adminCredentials } });
    asset = readdirSync(join(defaultWebUiRoot()!, 'assets')).find((name) => name.endsWith('.js'))!;
  });
  afterAll(() => server.close());

  test('/ and every page path a browser opens answer index.html, never cached stale, without credentials', async () => {
    for (const path of [
      '/',
      '/experiments',
      `/experiments/1,2/runs?filter=${encodeURIComponent("params.a = 'b'")}`,
      '/runs/abc',
    ]) {
      const answer = await get(`${server.url}${path}`, html);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(answer.headers.get('cache-control')).toBe('no-cache');
      expect(answer.text).toContain('<div id="root"></div>');
    }
    expect((await get(`${server.url}/experiments`, html, 'HEAD')).status).toBe(200);
  });

  test('hashed assets are cached for a year; a missing one is the JSON 404', async () => {
    const answer = await get(`${server.url}/assets/${asset}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(answer.headers.get('content-type')).toMatch(/javascript/);
    const missing = await get(`${server.url}/assets/nope-123.js`, html);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).error_code).toBe('ENDPOINT_NOT_FOUND');
    expect((await get(`${server.url}/assets/..%2f..%2fpackage.json`)).status).not.toBe(200);
  });

  test('API paths and non-browser requests keep their JSON answers (401 before 404, 405 with Allow)', async () => {
    const api = await get(`${server.url}/api/2.0/mlflow/no-such-endpoint`, html);
    expect(api.status).toBe(401);
    expect(JSON.parse(api.text).error_code).toBe('UNAUTHENTICATED');
    const json = await get(`${server.url}/experiments`, { accept: 'application/json' });
    expect(json.status).toBe(401);
    const basic = {
      authorization: `Basic ${Buffer.from(`${adminCredentials.username}:${adminCredentials.password}`).toString('base64')}`,
    };
    const unknown = await get(`${server.url}/api/2.0/mlflow/no-such-endpoint`, { ...html, ...basic });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error_code).toBe('ENDPOINT_NOT_FOUND');
    const wrongMethod = await get(`${server.url}/api/2.0/mlflow/experiments/search`, basic, 'PUT');
    expect(wrongMethod.status).toBe(405);
    const post = await get(`${server.url}/somewhere/else`, { ...html, ...basic }, 'POST');
    expect(post.status).toBe(404);
    expect((await get(`${server.url}/version`, html)).text).toBe(readKeelVersion());
  });
});

describe('keel server without a built web UI', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  test('/ says how to build the UI, and page paths are the usual 404', async () => {
    const root = await get(`${server.url}/`, html);
    expect(root.status).toBe(404);
    const body = JSON.parse(root.text) as { error_code: string; message: string };
    expect(body.error_code).toBe('ENDPOINT_NOT_FOUND');
    expect(body.message).toContain('npm run build');
    const page = await get(`${server.url}/experiments`, html);
    expect(page.status).toBe(404);
    expect(JSON.parse(page.text).error_code).toBe('ENDPOINT_NOT_FOUND');
  });
});
