import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectError, MlflowRest } from '../support/mlflow-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('MLflow REST API: HTTP edges and error answers', () => {
  let server: TestServer;
  let rest: MlflowRest;

  beforeAll(async () => {
    server = await startTestServer({ engine: 'sqlite' });
    rest = new MlflowRest(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  const raw = (path: string, init: RequestInit) =>
    rest.send(init.method ?? 'GET', path, {
      raw: init.body as string | undefined,
      headers: init.headers as Record<string, string> | undefined,
    });

  test('an unknown route is a JSON 404 ENDPOINT_NOT_FOUND', async () => {
    expectError(await rest.get('/experiments/nothing-here'), 404, 'ENDPOINT_NOT_FOUND');
    expectError(await rest.post('/api/2.0/mlflow/no/such/endpoint', {}), 404, 'ENDPOINT_NOT_FOUND');
    expectError(await rest.get('/api/9.0/unknown'), 404, 'ENDPOINT_NOT_FOUND');
  });

  test('a known path with the wrong method is a JSON 405 METHOD_NOT_ALLOWED with Allow', async () => {
    const getCreate = await rest.get('/experiments/create');
    expectError(getCreate, 405, 'METHOD_NOT_ALLOWED');
    expect(getCreate.headers.get('allow')).toBe('POST');
    const deleteGet = await rest.delete('/runs/get');
    expectError(deleteGet, 405, 'METHOD_NOT_ALLOWED');
    expect(deleteGet.headers.get('allow')).toContain('GET');
    expectError(await rest.post('/logged-models/m-0123'), 405, 'METHOD_NOT_ALLOWED');
  });

  test('POST without Content-Type is 400 "Bad Request. Content-Type header is missing."', async () => {
    const message = 'Bad Request. Content-Type header is missing.';
    const bytes = new TextEncoder().encode('{"name":"no-ct"}');
    expectError(
      await rest.send('POST', '/experiments/create', { raw: bytes }),
      400,
      'INVALID_PARAMETER_VALUE',
      message,
    );
    expectError(await raw('/runs/search', { method: 'POST' }), 400, 'INVALID_PARAMETER_VALUE', message);
    expectError(
      await rest.get('/experiments/get-by-name', { experiment_name: 'no-ct' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  test('malformed JSON is 400 MALFORMED_REQUEST and stores nothing', async () => {
    const answer = await raw('/experiments/create', {
      method: 'POST',
      body: '{"name": "broken"',
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('MALFORMED_REQUEST');
    expectError(
      await rest.get('/experiments/get-by-name', { experiment_name: 'broken' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  test('a JSON value that is not an object is 400', async () => {
    const answer = await raw('/experiments/create', {
      method: 'POST',
      body: '[1,2]',
      headers: { 'content-type': 'application/json' },
    });
    expectError(answer, 400, 'INVALID_PARAMETER_VALUE');
  });

  test('an empty body is {}; a double-encoded body and a text/plain body are read as JSON', async () => {
    const empty = await raw('/runs/search', {
      method: 'POST',
      body: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({});
    expectError(
      await raw('/experiments/create', {
        method: 'POST',
        body: '',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'INVALID_PARAMETER_VALUE',
      /Missing value for required parameter 'name'/,
    );
    const doubled = await raw('/experiments/create', {
      method: 'POST',
      body: JSON.stringify(JSON.stringify({ name: 'double-encoded' })),
      headers: { 'content-type': 'application/json' },
    });
    expect(doubled.status, doubled.text).toBe(200);
    const text = await raw('/experiments/create', {
      method: 'POST',
      body: JSON.stringify({ name: 'as-text' }),
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    expect(text.status, text.text).toBe(200);
    for (const name of ['double-encoded', 'as-text']) {
      expect((await rest.getOk('/experiments/get-by-name', { experiment_name: name })).experiment.name).toBe(
        name,
      );
    }
  });

  test('unknown fields are ignored; null is an unset field', async () => {
    const { experiment_id: id } = await rest.ok('/experiments/create', {
      name: 'extra-fields',
      surprise: { nested: [1] },
      artifact_location: null,
    });
    const { experiment } = await rest.getOk('/experiments/get', { experiment_id: id, another: 'x' });
    expect(experiment.artifact_location).toBe(`mlflow-artifacts:/${id}`);
  });

  test('wrong JSON types name the field, its value and its Python type', async () => {
    expectError(
      await rest.post('/runs/search', { experiment_ids: ['0'], max_results: 'ten' }),
      400,
      'INVALID_PARAMETER_VALUE',
      `Invalid value "ten" for parameter 'max_results' supplied: Hint: Value was of type 'str'. See the API docs for more information about request parameters.`,
    );
    expectError(
      await rest.post('/runs/create', { experiment_id: '0', tags: [{ key: 'k', value: 5 }] }),
      400,
      'INVALID_PARAMETER_VALUE',
      /Invalid value 5 for parameter 'tags\[0\].value' supplied: Hint: Value was of type 'int'/,
    );
    expectError(
      await rest.post('/runs/create', { experiment_id: '0', tags: { key: 'k' } }),
      400,
      'INVALID_PARAMETER_VALUE',
      /parameter 'tags' supplied: Hint: Value was of type 'dict'/,
    );
    expectError(
      await rest.post('/runs/create', { experiment_id: '0', start_time: 1.5 }),
      400,
      'INVALID_PARAMETER_VALUE',
      /parameter 'start_time' supplied: Hint: Value was of type 'float'/,
    );
  });

  test('numeric strings are accepted for int64 and double fields', async () => {
    const { run } = await rest.ok('/runs/create', { experiment_id: '0', start_time: '1700000000000' });
    expect(run.info.start_time).toBe(1_700_000_000_000);
    await rest.ok('/runs/log-metric', {
      run_id: run.info.run_id,
      key: 'm',
      value: '1e-3',
      timestamp: '5',
      step: '-2',
    });
    const history = await rest.getOk('/metrics/get-history', {
      run_id: run.info.run_id,
      metric_key: 'm',
      max_results: '5',
    });
    expect(history.metrics).toEqual([{ key: 'm', value: 0.001, timestamp: 5, step: -2 }]);
  });

  test('the request id: an incoming sane x-request-id is echoed, anything else replaced', async () => {
    const echoed = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'trace-abc_123' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-abc_123');
    const replaced = await fetch(`${server.url}/health`, {
      headers: { 'x-request-id': 'bad id\twith spaces' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await rest.get('/experiments/get', { experiment_id: '0' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await rest.get('/experiments/get', { experiment_id: '12345678' });
    expect(failed.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('/health, /version and server-info', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await health.text()).toBe('OK');
    const version = await fetch(`${server.url}/version`);
    expect(version.status).toBe(200);
    expect(await version.text()).toMatch(/^\d+\.\d+\.\d+/);
    for (const prefix of ['/api/3.0/mlflow', '/ajax-api/3.0/mlflow']) {
      const info = await rest.get(`${prefix}/server-info`);
      expect(info.status).toBe(200);
      expect(info.body).toEqual({ store_type: 'SqlStore', workspaces_enabled: false });
    }
  });
});

describe('MLflow REST API: body size limits', () => {
  let server: TestServer;
  let rest: MlflowRest;

  beforeAll(async () => {
    server = await startTestServer({ engine: 'sqlite', config: { bodyLimitBytes: 4096 } });
    rest = new MlflowRest(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  test('a body over the server limit is 413 PAYLOAD_TOO_LARGE and stores nothing', async () => {
    const answer = await rest.post('/experiments/create', {
      name: 'too-big',
      tags: [{ key: 'k', value: 'x'.repeat(5000) }],
    });
    expectError(answer, 413, 'PAYLOAD_TOO_LARGE');
    expectError(
      await rest.get('/experiments/get-by-name', { experiment_name: 'too-big' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect((await rest.post('/experiments/create', { name: 'small-enough' })).status).toBe(200);
  });
});
