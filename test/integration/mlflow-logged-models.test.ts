import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engines } from '../support/databases.js';
import { asMap, expectError, MlflowRest } from '../support/mlflow-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(engines)('MLflow logged models REST API on %s', (engine) => {
  let server: TestServer;
  let rest: MlflowRest;
  let experimentId: string;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    rest = new MlflowRest(server.url);
    experimentId = await rest.createExperiment('logged-models');
  });
  afterAll(async () => {
    await server?.close();
  });

  test('the pyfunc.log_model sequence: create, outputs, get, finalize', async () => {
    const run = await rest.createRun(experimentId);
    const runId = run.info.run_id;
    const before = Date.now();
    const created = await rest.post('/logged-models', {
      experiment_id: experimentId,
      name: 'model',
      model_type: 'python_function',
      source_run_id: runId,
      params: [{ key: 'alpha', value: '0.5' }],
      tags: [{ key: 'mlflow.source.name', value: 'train.py' }],
    });
    expect(created.status).toBe(200);
    const { model } = created.body;
    const modelId = model.info.model_id;
    expect(modelId).toMatch(/^m-[0-9a-f]{32}$/);
    expect(model).toEqual({
      info: {
        model_id: modelId,
        experiment_id: experimentId,
        name: 'model',
        creation_timestamp_ms: expect.any(Number),
        last_updated_timestamp_ms: expect.any(Number),
        artifact_uri: `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`,
        status: 'LOGGED_MODEL_PENDING',
        model_type: 'python_function',
        source_run_id: runId,
        tags: [{ key: 'mlflow.source.name', value: 'train.py' }],
      },
      data: { params: [{ key: 'alpha', value: '0.5' }] },
    });
    expect(model.info.creation_timestamp_ms).toBeGreaterThanOrEqual(before - 5000);

    await rest.ok('/runs/outputs', { run_id: runId, models: [{ model_id: modelId, step: 0 }] });
    const fetched = await rest.getOk(`/logged-models/${modelId}`);
    expect(fetched.model).toEqual(model);

    const finalized = await rest.patch(`/logged-models/${modelId}`, {
      model_id: modelId,
      status: 'LOGGED_MODEL_READY',
    });
    expect(finalized.status).toBe(200);
    expect(finalized.body.model.info.status).toBe('LOGGED_MODEL_READY');
    expect((await rest.getOk(`/logged-models/${modelId}`)).model.info.status).toBe('LOGGED_MODEL_READY');
  });

  test('a model without a name gets a generated one', async () => {
    const { model } = await rest.ok('/logged-models', { experiment_id: experimentId });
    expect(model.info.name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
    expect(model.data).toEqual({});
  });

  test('register_model writes mlflow.modelVersions through PATCH tags; tags can be deleted', async () => {
    const { model } = await rest.ok('/logged-models', { experiment_id: experimentId, name: 'tagged' });
    const modelId = model.info.model_id;
    const value = JSON.stringify([{ name: 'churn', version: '1' }]);
    const answer = await rest.patch(`/logged-models/${modelId}/tags`, {
      tags: [{ key: 'mlflow.modelVersions', value }],
    });
    expect(answer.status).toBe(200);
    expect(asMap(answer.body.model.info.tags)).toEqual({ 'mlflow.modelVersions': value });
    expect(await rest.delete(`/logged-models/${modelId}/tags/mlflow.modelVersions`)).toMatchObject({
      status: 200,
      body: {},
    });
    expect((await rest.getOk(`/logged-models/${modelId}`)).model.info).not.toHaveProperty('tags');
    expectError(
      await rest.delete(`/logged-models/${modelId}/tags/mlflow.modelVersions`),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  test('params are logged with POST .../params', async () => {
    const { model } = await rest.ok('/logged-models', { experiment_id: experimentId, name: 'with-params' });
    const modelId = model.info.model_id;
    expect(
      await rest.ok(`/logged-models/${modelId}/params`, {
        params: [
          { key: 'k', value: 'v' },
          { key: 'n', value: '3' },
        ],
      }),
    ).toEqual({});
    expect(asMap((await rest.getOk(`/logged-models/${modelId}`)).model.data.params)).toEqual({
      k: 'v',
      n: '3',
    });
    expectError(
      await rest.post(`/logged-models/${modelId}/params`, { params: [{ key: 'bad key!', value: 'v' }] }),
      400,
      'INVALID_PARAMETER_VALUE',
      /Names may only contain/,
    );
    expect(asMap((await rest.getOk(`/logged-models/${modelId}`)).model.data.params)).toEqual({
      k: 'v',
      n: '3',
    });
  });

  test('metrics logged with a model_id are linked to the model', async () => {
    const run = await rest.createRun(experimentId);
    const { model } = await rest.ok('/logged-models', {
      experiment_id: experimentId,
      name: 'scored',
      source_run_id: run.info.run_id,
    });
    const modelId = model.info.model_id;
    await rest.ok('/runs/log-metric', {
      run_id: run.info.run_id,
      key: 'rmse',
      value: 0.3,
      timestamp: 1_700_000_000_000,
      step: 0,
      model_id: modelId,
      dataset_name: 'eval',
      dataset_digest: 'abc',
    });
    const { model: stored } = await rest.getOk(`/logged-models/${modelId}`);
    expect(stored.data.metrics).toEqual([
      expect.objectContaining({
        key: 'rmse',
        value: 0.3,
        step: 0,
        model_id: modelId,
        dataset_name: 'eval',
        dataset_digest: 'abc',
      }),
    ]);
    const runMetrics = (await rest.getRun(run.info.run_id)).data.metrics;
    expect(runMetrics).toEqual([expect.objectContaining({ key: 'rmse', value: 0.3 })]);
  });

  test('search finds models by name as register_model does, with paging and ordering', async () => {
    const other = await rest.createExperiment('logged-models-search');
    const run = await rest.createRun(other);
    const made: string[] = [];
    for (const name of ['model', 'encoder', 'decoder', 'head']) {
      const { model } = await rest.ok('/logged-models', {
        experiment_id: other,
        name,
        source_run_id: run.info.run_id,
      });
      made.push(model.info.model_id);
    }
    const byName = await rest.ok('/logged-models/search', {
      experiment_ids: [other],
      filter: "name = 'model'",
    });
    expect(byName.models.map((m: { info: { model_id: string } }) => m.info.model_id)).toEqual([made[0]]);
    expect(byName.models[0].info.source_run_id).toBe(run.info.run_id);

    const ordered = await rest.ok('/logged-models/search', {
      experiment_ids: [other],
      order_by: [{ field_name: 'name', ascending: true }],
    });
    expect(ordered.models.map((m: { info: { name: string } }) => m.info.name)).toEqual([
      'decoder',
      'encoder',
      'head',
      'model',
    ]);

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await rest.ok('/logged-models/search', {
        experiment_ids: [other],
        max_results: 3,
        page_token: token,
      });
      seen.push(...page.models.map((m: { info: { model_id: string } }) => m.info.model_id));
      token = page.next_page_token;
    } while (token);
    expect(new Set(seen)).toEqual(new Set(made));
    expect(seen).toHaveLength(4);

    expect(
      await rest.ok('/logged-models/search', { experiment_ids: [other], filter: "name = 'absent'" }),
    ).toEqual({});
    expect(await rest.ok('/logged-models/search', {})).toEqual({});
    expectError(
      await rest.post('/logged-models/search', { experiment_ids: [other], filter: 'name = ' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await rest.post('/logged-models/search', {
        experiment_ids: [other],
        order_by: [{ field_name: 'bogus' }],
      }),
      400,
      'INVALID_PARAMETER_VALUE',
      /bogus/,
    );
    expectError(
      await rest.post('/logged-models/search', { experiment_ids: [other], order_by: [{ ascending: true }] }),
      400,
      'INVALID_PARAMETER_VALUE',
      /'order_by\[0\].field_name'/,
    );
  });

  test('delete removes the model from get', async () => {
    const { model } = await rest.ok('/logged-models', { experiment_id: experimentId, name: 'doomed' });
    const modelId = model.info.model_id;
    expect(await rest.delete(`/logged-models/${modelId}`)).toMatchObject({ status: 200, body: {} });
    expectError(await rest.get(`/logged-models/${modelId}`), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  test('errors: unknown model, bad status, bad name, unknown or deleted experiment; nothing stored', async () => {
    const missing = `m-${'0'.repeat(32)}`;
    expectError(
      await rest.get(`/logged-models/${missing}`),
      404,
      'RESOURCE_DOES_NOT_EXIST',
      `Logged model with ID '${missing}' not found.`,
    );
    expectError(
      await rest.patch(`/logged-models/${missing}`, { status: 'LOGGED_MODEL_READY' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await rest.patch(`/logged-models/${missing}/tags`, { tags: [{ key: 'a', value: 'b' }] }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );

    const { model } = await rest.ok('/logged-models', {
      experiment_id: experimentId,
      name: 'status-checked',
    });
    const modelId = model.info.model_id;
    expectError(
      await rest.patch(`/logged-models/${modelId}`, { status: 'DONE' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /DONE/,
    );
    expectError(
      await rest.patch(`/logged-models/${modelId}`, { status: 'LOGGED_MODEL_STATUS_UNSPECIFIED' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await rest.patch(`/logged-models/${modelId}`, {}),
      400,
      'INVALID_PARAMETER_VALUE',
      /'status'/,
    );
    expect((await rest.getOk(`/logged-models/${modelId}`)).model.info.status).toBe('LOGGED_MODEL_PENDING');

    const searchNamed = async (name: string) =>
      rest.ok('/logged-models/search', { experiment_ids: [experimentId], filter: `name = '${name}'` });
    expectError(
      await rest.post('/logged-models', { experiment_id: experimentId, name: 'a/b' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /a\/b/,
    );
    expect(await searchNamed('a/b')).toEqual({});
    expectError(
      await rest.post('/logged-models', { name: 'no-experiment' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /'experiment_id'/,
    );
    expectError(
      await rest.post('/logged-models', { experiment_id: '8888888', name: 'x' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    const doomed = await rest.createExperiment('logged-models-deleted');
    await rest.ok('/experiments/delete', { experiment_id: doomed });
    expectError(
      await rest.post('/logged-models', { experiment_id: doomed, name: 'late' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /active/,
    );
  });
});
