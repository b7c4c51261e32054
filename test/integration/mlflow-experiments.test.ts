import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engines } from '../support/databases.js';
import { asMap, expectError, MlflowRest } from '../support/mlflow-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(engines)('MLflow experiments REST API on %s', (engine) => {
  let server: TestServer;
  let rest: MlflowRest;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    rest = new MlflowRest(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  test('the Default experiment "0" exists on a fresh database', async () => {
    const { experiment } = await rest.getOk('/experiments/get', { experiment_id: '0' });
    expect(experiment).toMatchObject({
      experiment_id: '0',
      name: 'Default',
      artifact_location: 'mlflow-artifacts:/0',
      lifecycle_stage: 'active',
    });
  });

  test('create answers the new id; get answers the experiment in proto-JSON', async () => {
    const before = Date.now();
    const { experiment_id: id } = await rest.ok('/experiments/create', {
      name: 'exp-create',
      tags: [
        { key: 'team', value: 'fraud' },
        { key: 'empty', value: '' },
      ],
    });
    expect(id).toMatch(/^\d+$/);
    const answer = await rest.get('/experiments/get', { experiment_id: id });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const { experiment } = answer.body;
    expect(Object.keys(experiment).sort()).toEqual(
      [
        'artifact_location',
        'creation_time',
        'experiment_id',
        'last_update_time',
        'lifecycle_stage',
        'name',
        'tags',
        // Keel's addition; MLflow's clients ignore fields their proto does not name.
        'workspace',
      ].sort(),
    );
    expect(experiment.workspace).toBe('default');
    expect(experiment.experiment_id).toBe(id);
    expect(experiment.name).toBe('exp-create');
    expect(experiment.artifact_location).toBe(`mlflow-artifacts:/${id}`);
    expect(experiment.lifecycle_stage).toBe('active');
    expect(typeof experiment.creation_time).toBe('number');
    expect(experiment.creation_time).toBeGreaterThanOrEqual(before - 5000);
    expect(experiment.last_update_time).toBe(experiment.creation_time);
    expect(asMap(experiment.tags)).toEqual({ team: 'fraud', empty: '' });
  });

  test('an experiment without tags answers no tags field', async () => {
    const id = await rest.createExperiment('exp-no-tags');
    const { experiment } = await rest.getOk('/experiments/get', { experiment_id: id });
    expect(experiment).not.toHaveProperty('tags');
  });

  test('create keeps a given artifact_location; its runs go under it', async () => {
    const id = await rest.createExperiment('exp-located', { artifact_location: 's3://bucket/prefix/' });
    const { experiment } = await rest.getOk('/experiments/get', { experiment_id: id });
    expect(experiment.artifact_location).toBe('s3://bucket/prefix/');
    const run = await rest.createRun(id);
    expect(run.info.artifact_uri).toBe(`s3://bucket/prefix/${run.info.run_id}/artifacts`);
  });

  test('create rejects a runs:/ artifact location and stores nothing', async () => {
    const answer = await rest.post('/experiments/create', {
      name: 'exp-runs-uri',
      artifact_location: 'runs:/abc/x',
    });
    expectError(answer, 400, 'INVALID_PARAMETER_VALUE', /runs:\//);
    expectError(
      await rest.get('/experiments/get-by-name', { experiment_name: 'exp-runs-uri' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  test('a duplicate name is 400 RESOURCE_ALREADY_EXISTS, also when the holder is deleted', async () => {
    const id = await rest.createExperiment('exp-dup');
    expectError(
      await rest.post('/experiments/create', { name: 'exp-dup' }),
      400,
      'RESOURCE_ALREADY_EXISTS',
      /exp-dup/,
    );
    await rest.ok('/experiments/delete', { experiment_id: id });
    expectError(await rest.post('/experiments/create', { name: 'exp-dup' }), 400, 'RESOURCE_ALREADY_EXISTS');
    const page = await rest.ok('/experiments/search', {
      max_results: 1000,
      view_type: 'ALL',
      filter: "name = 'exp-dup'",
    });
    expect(page.experiments).toHaveLength(1);
  });

  test('empty, missing and over-long names are 400 INVALID_PARAMETER_VALUE', async () => {
    expectError(
      await rest.post('/experiments/create', {}),
      400,
      'INVALID_PARAMETER_VALUE',
      "Missing value for required parameter 'name'. See the API docs for more information about request parameters.",
    );
    expectError(
      await rest.post('/experiments/create', { name: '' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /'name'/,
    );
    expectError(
      await rest.post('/experiments/create', { name: 'x'.repeat(501) }),
      400,
      'INVALID_PARAMETER_VALUE',
      /500/,
    );
    expectError(
      await rest.post('/experiments/create', { name: 123 }),
      400,
      'INVALID_PARAMETER_VALUE',
      "Invalid value 123 for parameter 'name' supplied: Hint: Value was of type 'int'. See the API docs for more information about request parameters.",
    );
    const created = await rest.post('/experiments/create', { name: 'x'.repeat(500) });
    expect(created.status).toBe(200);
  });

  test('get with an unknown or non-numeric id is 404, never 500', async () => {
    expectError(
      await rest.get('/experiments/get', { experiment_id: '987654' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
      'No Experiment with id=987654 exists',
    );
    expectError(await rest.get('/experiments/get', { experiment_id: 'abc' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(
      await rest.get('/experiments/get', {}),
      400,
      'INVALID_PARAMETER_VALUE',
      "Missing value for required parameter 'experiment_id'. See the API docs for more information about request parameters.",
    );
  });

  test('get-by-name finds active and deleted experiments; an unknown name is 404', async () => {
    const id = await rest.createExperiment('exp-by-name');
    const { experiment } = await rest.getOk('/experiments/get-by-name', { experiment_name: 'exp-by-name' });
    expect(experiment.experiment_id).toBe(id);
    await rest.ok('/experiments/delete', { experiment_id: id });
    const deleted = await rest.getOk('/experiments/get-by-name', { experiment_name: 'exp-by-name' });
    expect(deleted.experiment.lifecycle_stage).toBe('deleted');
    expectError(
      await rest.get('/experiments/get-by-name', { experiment_name: 'no such experiment' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
      "Could not find experiment with name 'no such experiment'",
    );
  });

  test('delete soft-deletes the experiment and its runs; restore brings both back', async () => {
    const id = await rest.createExperiment('exp-lifecycle');
    const run = await rest.createRun(id);
    expect(await rest.ok('/experiments/delete', { experiment_id: id })).toEqual({});
    expect((await rest.getOk('/experiments/get', { experiment_id: id })).experiment.lifecycle_stage).toBe(
      'deleted',
    );
    expect((await rest.getRun(run.info.run_id)).info.lifecycle_stage).toBe('deleted');
    expectError(
      await rest.post('/experiments/delete', { experiment_id: id }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );

    expect(await rest.ok('/experiments/restore', { experiment_id: id })).toEqual({});
    expect((await rest.getOk('/experiments/get', { experiment_id: id })).experiment.lifecycle_stage).toBe(
      'active',
    );
    expect((await rest.getRun(run.info.run_id)).info.lifecycle_stage).toBe('active');
    expectError(
      await rest.post('/experiments/restore', { experiment_id: id }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await rest.post('/experiments/delete', { experiment_id: '424242' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  test('update renames; a taken name, a deleted experiment or a missing new_name are 4xx and change nothing', async () => {
    const id = await rest.createExperiment('exp-rename');
    await rest.createExperiment('exp-rename-taken');
    expect(await rest.ok('/experiments/update', { experiment_id: id, new_name: 'exp-renamed' })).toEqual({});
    const { experiment } = await rest.getOk('/experiments/get', { experiment_id: id });
    expect(experiment.name).toBe('exp-renamed');
    expect(experiment.last_update_time).toBeGreaterThanOrEqual(experiment.creation_time);

    expectError(
      await rest.post('/experiments/update', { experiment_id: id, new_name: 'exp-rename-taken' }),
      400,
      'RESOURCE_ALREADY_EXISTS',
    );
    expectError(
      await rest.post('/experiments/update', { experiment_id: id }),
      400,
      'INVALID_PARAMETER_VALUE',
      /'new_name'/,
    );
    await rest.ok('/experiments/delete', { experiment_id: id });
    const renameDeleted = await rest.post('/experiments/update', {
      experiment_id: id,
      new_name: 'exp-rename-zombie',
    });
    expect(renameDeleted.status).toBe(400);
    expect(renameDeleted.body.error_code).toBe('INVALID_STATE');
    expect((await rest.getOk('/experiments/get', { experiment_id: id })).experiment.name).toBe('exp-renamed');
    expectError(
      await rest.post('/experiments/update', { experiment_id: '313131', new_name: 'whatever' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  test('set-experiment-tag sets and overwrites; delete-experiment-tag removes', async () => {
    const id = await rest.createExperiment('exp-tags');
    await rest.ok('/experiments/set-experiment-tag', { experiment_id: id, key: 'stage', value: 'dev' });
    await rest.ok('/experiments/set-experiment-tag', { experiment_id: id, key: 'stage', value: 'prod' });
    await rest.ok('/experiments/set-experiment-tag', {
      experiment_id: id,
      key: 'mlflow.note.content',
      value: 'x'.repeat(5000),
    });
    let { experiment } = await rest.getOk('/experiments/get', { experiment_id: id });
    expect(asMap(experiment.tags).stage).toBe('prod');
    expect(asMap(experiment.tags)['mlflow.note.content']).toHaveLength(5000);

    expect(await rest.ok('/experiments/delete-experiment-tag', { experiment_id: id, key: 'stage' })).toEqual(
      {},
    );
    ({ experiment } = await rest.getOk('/experiments/get', { experiment_id: id }));
    expect(asMap(experiment.tags)).not.toHaveProperty('stage');
    expectError(
      await rest.post('/experiments/delete-experiment-tag', { experiment_id: id, key: 'stage' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
      `No tag with name: stage in experiment with id ${id}`,
    );
  });

  test('experiment tag errors: value over 5000, bad key, deleted or unknown experiment; nothing stored', async () => {
    const id = await rest.createExperiment('exp-tag-errors');
    expectError(
      await rest.post('/experiments/set-experiment-tag', {
        experiment_id: id,
        key: 'big',
        value: 'x'.repeat(5001),
      }),
      400,
      'INVALID_PARAMETER_VALUE',
      /5000/,
    );
    expectError(
      await rest.post('/experiments/set-experiment-tag', { experiment_id: id, key: 'a*b', value: 'v' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /Names may only contain alphanumerics/,
    );
    expectError(
      await rest.post('/experiments/set-experiment-tag', { experiment_id: id, key: 'k' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /Missing value for required parameter 'value'/,
    );
    expectError(
      await rest.post('/experiments/set-experiment-tag', { experiment_id: '777777', key: 'k', value: 'v' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    await rest.ok('/experiments/delete', { experiment_id: id });
    expectError(
      await rest.post('/experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'v' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /must be in the 'active' state/,
    );
    const { experiment } = await rest.getOk('/experiments/get', { experiment_id: id });
    expect(experiment).not.toHaveProperty('tags');
  });

  test('the ajax-api prefix serves the same endpoints', async () => {
    const ajax = new MlflowRest(server.url, '/ajax-api/2.0/mlflow');
    const id = await ajax.createExperiment('exp-ajax');
    const { experiment } = await rest.getOk('/experiments/get', { experiment_id: id });
    expect(experiment.name).toBe('exp-ajax');
  });
});
