import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectError, MlflowRest } from '../support/mlflow-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Oversized but well-formed input must be a 4xx `{error_code, message}` naming the limit, never a
 * database or file-system failure (5xx), and must leave everything stored as it was.
 */
describe.each(['sqlite', 'postgres'] as const)('MLflow REST API: input limits (%s)', (engine) => {
  let server: TestServer;
  let rest: MlflowRest;
  let experimentId: string;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    rest = new MlflowRest(server.url);
    experimentId = await rest.createExperiment(`limits-${engine}`);
  });
  afterAll(async () => {
    await server?.close();
  });

  const runCount = async () =>
    ((await rest.ok('/runs/search', { experiment_ids: [experimentId] })).runs ?? []).length as number;

  test('runs/search with more than 1000 experiment ids is 400 naming the field and the limit', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => String(i + 1));
    expectError(
      await rest.post('/runs/search', { experiment_ids: ids }),
      400,
      'INVALID_PARAMETER_VALUE',
      "Invalid value for parameter 'experiment_ids': at most 1000 items are allowed in one request, got 1001. Split the request into smaller ones.",
    );
    const fits = await rest.post('/runs/search', { experiment_ids: ids.slice(0, 1000) });
    expect(fits.status, fits.text).toBe(200);
  });

  test('logged-models/search caps experiment ids (1000) and datasets (100)', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => String(i + 1));
    expectError(
      await rest.post('/logged-models/search', { experiment_ids: ids }),
      400,
      'INVALID_PARAMETER_VALUE',
      /'experiment_ids': at most 1000 items/,
    );
    const datasets = Array.from({ length: 101 }, (_, i) => ({ dataset_name: `d${i}` }));
    expectError(
      await rest.post('/logged-models/search', { experiment_ids: [experimentId], datasets }),
      400,
      'INVALID_PARAMETER_VALUE',
      /'datasets': at most 100 items are allowed in one request, got 101/,
    );
    const fits = await rest.post('/logged-models/search', {
      experiment_ids: [experimentId],
      datasets: datasets.slice(0, 100),
    });
    expect(fits.status, fits.text).toBe(200);
  });

  test('a filter with more than 10000 IN values in total is 400, even split over lists', async () => {
    const half = Array.from({ length: 5000 }, (_, i) => `'r${i}'`).join(',');
    const fits = await rest.post('/runs/search', {
      experiment_ids: [experimentId],
      filter: `run_id IN (${half}) AND run_id NOT IN (${half})`,
    });
    expect(fits.status, fits.text).toBe(200);
    expectError(
      await rest.post('/runs/search', {
        experiment_ids: [experimentId],
        filter: `run_id IN (${half}) AND run_id NOT IN (${half}) AND run_id IN ('x')`,
      }),
      400,
      'INVALID_PARAMETER_VALUE',
      /^A filter may hold at most 10000 values across all its IN and NOT IN lists/,
    );
  });

  test('a LIKE pattern over 8000 characters is 400, not a database error', async () => {
    const pattern = `%${'é'.repeat(30_000)}%`;
    expectError(
      await rest.post('/runs/search', { experiment_ids: [experimentId], filter: `tags.t LIKE '${pattern}'` }),
      400,
      'INVALID_PARAMETER_VALUE',
      /is 30002 characters long; at most 8000 are allowed/,
    );
    const fits = await rest.post('/runs/search', {
      experiment_ids: [experimentId],
      filter: `tags.t ILIKE '%${'é'.repeat(7998)}%'`,
    });
    expect(fits.status, fits.text).toBe(200);
  });

  test('sorting by several long multi-byte tag values pages without failing', async () => {
    const experiment = await rest.createExperiment(`long-sort-${engine}`);
    const value = (i: number) => `${String.fromCharCode(0x4e00 + i)}\u0001${'界'.repeat(7990)}`;
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const runIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await rest.createRun(experiment);
      runIds.push(run.info.run_id);
      await rest.ok('/runs/log-batch', {
        run_id: run.info.run_id,
        tags: keys.map((key) => ({ key, value: value(i) })),
      });
    }
    const orderBy = keys.map((key) => `tags.${key} DESC`);
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await rest.post('/runs/search', {
        experiment_ids: [experiment],
        order_by: orderBy,
        max_results: 1,
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      expect(page.status, page.text.slice(0, 300)).toBe(200);
      seen.push(...((page.body.runs ?? []) as { info: { run_id: string } }[]).map((r) => r.info.run_id));
      pageToken = page.body.next_page_token as string | undefined;
    } while (pageToken);
    expect(seen).toEqual([...runIds].reverse());
  });

  test('artifact names over 255 bytes and paths over 4096 bytes are 400 "Invalid path"', async () => {
    const run = await rest.createRun(experimentId);
    const before = await runCount();
    const root = (run.info.artifact_uri as string).replace(/^mlflow-artifacts:\/+/, '');
    const put = (path: string) =>
      fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${root}/${path}`, { method: 'PUT', body: 'x' });
    const longName = await put('n'.repeat(256));
    expect(longName.status).toBe(400);
    expect(await longName.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringMatching(/^Invalid path: the name 'n{40}\.\.\.' is 256 bytes long/) as unknown,
    });
    const longPath = await put(Array.from({ length: 20 }, () => 'p'.repeat(250)).join('/'));
    expect(longPath.status).toBe(400);
    expect(((await longPath.json()) as { message: string }).message).toMatch(
      /^Invalid path: it is \d+ bytes long; a path may be at most 4096 bytes/,
    );
    const listed = await rest.getOk('/artifacts/list', { run_id: run.info.run_id });
    expect(listed.files ?? []).toEqual([]);
    expect(await runCount()).toBe(before);
  });

  test('a tag key over 100 characters in the URL reaches the route (no 414)', async () => {
    const { model } = await rest.ok('/logged-models', { experiment_id: experimentId, name: 'tagged' });
    const modelId = model.info.model_id as string;
    const key = `k${'é'.repeat(249)}`; // 250 characters, ~750 URL-encoded
    await rest.patch(`/logged-models/${modelId}/tags`, { tags: [{ key, value: 'v' }] });
    const deleted = await rest.delete(`/logged-models/${modelId}/tags/${encodeURIComponent(key)}`);
    expect(deleted.status, deleted.text).toBe(200);
    const after = await rest.getOk(`/logged-models/${modelId}`);
    expect((after.model.data?.tags ?? []).map((t: { key: string }) => t.key)).not.toContain(key);
    const tooLong = await rest.delete(`/logged-models/${modelId}/tags/${'k'.repeat(2049)}`);
    expectError(tooLong, 414, 'INVALID_PARAMETER_VALUE', /too long/);
  });

  test('the wrong method on a parametric route is 405 with Allow; unknown paths 404', async () => {
    const put = await rest.send('PUT', '/logged-models/m-abc', { body: {} });
    expectError(put, 405, 'METHOD_NOT_ALLOWED');
    expect(put.headers.get('allow')).toMatch(/GET/);
    const post = await rest.send('POST', '/api/2.0/mlflow-artifacts/artifacts/x/y', { body: {} });
    expectError(post, 405, 'METHOD_NOT_ALLOWED');
    expect(post.headers.get('allow')).toMatch(/PUT/);
    expectError(
      await rest.send('PUT', '/logged-models/m-abc/nothing/here', { body: {} }),
      404,
      'ENDPOINT_NOT_FOUND',
    );
    expectError(await rest.get('/api/2.0/mlflow-nothing/x'), 404, 'ENDPOINT_NOT_FOUND');
  });

  test('a malformed percent-encoding in the path is a JSON 400', async () => {
    const answer = await rest.get('/logged-models/%E0%A4%A');
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(typeof answer.body.error_code).toBe('string');
  });
});
