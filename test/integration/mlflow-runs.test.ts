import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engines } from '../support/databases.js';
import { asMap, expectError, MlflowRest } from '../support/mlflow-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

const t0 = 1_700_000_000_000;

describe.each(engines)('MLflow runs REST API on %s', (engine) => {
  let server: TestServer;
  let rest: MlflowRest;
  let experimentId: string;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    rest = new MlflowRest(server.url);
    experimentId = await rest.createExperiment('runs');
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('create, get, update, delete, restore', () => {
    test('create answers the run as start_run sees it', async () => {
      const answer = await rest.post('/runs/create', {
        experiment_id: experimentId,
        user_id: 'alice',
        run_name: 'baseline',
        start_time: t0,
        tags: [
          { key: 'mlflow.user', value: 'alice' },
          { key: 'mlflow.source.name', value: 'train.py' },
        ],
      });
      expect(answer.status).toBe(200);
      const { run } = answer.body;
      expect(Object.keys(run).sort()).toEqual(['data', 'info', 'inputs']);
      expect(run.info).toEqual({
        run_id: run.info.run_id,
        run_uuid: run.info.run_id,
        run_name: 'baseline',
        experiment_id: experimentId,
        user_id: 'alice',
        status: 'RUNNING',
        start_time: t0,
        artifact_uri: `mlflow-artifacts:/${experimentId}/${run.info.run_id}/artifacts`,
        lifecycle_stage: 'active',
      });
      expect(run.info.run_id).toMatch(/^[0-9a-f]{32}$/);
      expect(run.data).not.toHaveProperty('metrics');
      expect(run.data).not.toHaveProperty('params');
      expect(asMap(run.data.tags)).toEqual({
        'mlflow.user': 'alice',
        'mlflow.source.name': 'train.py',
        'mlflow.runName': 'baseline',
      });
      expect(run.inputs).toEqual({});
      expect(await rest.getRun(run.info.run_id)).toEqual(run);
    });

    test('a run without a name gets a generated one, in the field and the mlflow.runName tag', async () => {
      const { run } = await rest.ok('/runs/create', { experiment_id: experimentId, start_time: t0 });
      expect(run.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
      expect(asMap(run.data.tags)['mlflow.runName']).toBe(run.info.run_name);
      expect(run.info).not.toHaveProperty('user_id');
    });

    test('the name may come from the mlflow.runName tag; user_id writes the mlflow.user tag', async () => {
      const { run } = await rest.ok('/runs/create', {
        experiment_id: experimentId,
        user_id: 'bob',
        tags: [{ key: 'mlflow.runName', value: 'from-tag' }],
      });
      expect(run.info.run_name).toBe('from-tag');
      expect(asMap(run.data.tags)).toMatchObject({ 'mlflow.runName': 'from-tag', 'mlflow.user': 'bob' });
      expect(run.info.start_time).toBeGreaterThan(0);
    });

    test('conflicting run_name and mlflow.runName tag is 400 and creates nothing', async () => {
      const before = await rest.ok('/runs/search', { experiment_ids: [experimentId], max_results: 1000 });
      expectError(
        await rest.post('/runs/create', {
          experiment_id: experimentId,
          run_name: 'a',
          tags: [{ key: 'mlflow.runName', value: 'b' }],
        }),
        400,
        'INVALID_PARAMETER_VALUE',
        /run_name='a', mlflow.runName='b'/,
      );
      const after = await rest.ok('/runs/search', { experiment_ids: [experimentId], max_results: 1000 });
      expect(after.runs).toHaveLength(before.runs.length);
    });

    test('create in an unknown experiment is 404; in a deleted one 400', async () => {
      expectError(
        await rest.post('/runs/create', { experiment_id: '999999', start_time: t0 }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      const doomed = await rest.createExperiment('runs-deleted-experiment');
      await rest.ok('/experiments/delete', { experiment_id: doomed });
      expectError(
        await rest.post('/runs/create', { experiment_id: doomed, start_time: t0 }),
        400,
        'INVALID_PARAMETER_VALUE',
        `The experiment ${doomed} must be in the 'active' state. Current state is deleted.`,
      );
      const page = await rest.ok('/runs/search', { experiment_ids: [doomed], run_view_type: 'ALL' });
      expect(page).toEqual({});
    });

    test('update sets status, end time and name (keeping the tag in sync) and answers run_info', async () => {
      const run = await rest.createRun(experimentId, { run_name: 'before' });
      const { run_info: info } = await rest.ok('/runs/update', {
        run_id: run.info.run_id,
        status: 'FINISHED',
        end_time: t0 + 5000,
        run_name: 'after',
      });
      expect(info).toMatchObject({
        run_id: run.info.run_id,
        run_uuid: run.info.run_id,
        status: 'FINISHED',
        end_time: t0 + 5000,
        run_name: 'after',
      });
      const stored = await rest.getRun(run.info.run_id);
      expect(stored.info).toEqual(info);
      expect(asMap(stored.data.tags)['mlflow.runName']).toBe('after');

      // The deprecated run_uuid field is accepted in place of run_id.
      await rest.ok('/runs/update', { run_uuid: run.info.run_id, status: 'KILLED' });
      expect((await rest.getRun(run.info.run_id)).info.status).toBe('KILLED');
    });

    test('update errors: unknown run 404, unknown status 400, missing run_id 400; nothing changes', async () => {
      const run = await rest.createRun(experimentId);
      expectError(
        await rest.post('/runs/update', { run_id: 'f'.repeat(32), status: 'FINISHED' }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expectError(
        await rest.post('/runs/update', { run_id: run.info.run_id, status: 'DONE', end_time: t0 + 1 }),
        400,
        'INVALID_PARAMETER_VALUE',
        /DONE/,
      );
      expectError(
        await rest.post('/runs/update', { status: 'FINISHED' }),
        400,
        'INVALID_PARAMETER_VALUE',
        /Missing value for required parameter 'run_id'/,
      );
      const stored = await rest.getRun(run.info.run_id);
      expect(stored.info.status).toBe('RUNNING');
      expect(stored.info).not.toHaveProperty('end_time');
    });

    test("get of an unknown run is 404 with MLflow's message", async () => {
      const missing = '0'.repeat(32);
      expectError(
        await rest.get('/runs/get', { run_id: missing }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
        `Run with id=${missing} not found`,
      );
    });

    test('delete and restore; a deleted run still answers get and refuses writes', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      await rest.ok('/runs/log-parameter', { run_id: runId, key: 'p', value: '1' });
      expect(await rest.ok('/runs/delete', { run_id: runId })).toEqual({});
      expect((await rest.getRun(runId)).info.lifecycle_stage).toBe('deleted');

      const deletedMessage = `The run ${runId} must be in the 'active' state. Current state is deleted.`;
      const writes: [string, object][] = [
        ['/runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: t0, step: 0 }],
        ['/runs/log-parameter', { run_id: runId, key: 'q', value: '1' }],
        ['/runs/set-tag', { run_id: runId, key: 't', value: '1' }],
        ['/runs/delete-tag', { run_id: runId, key: 'mlflow.user' }],
        ['/runs/log-batch', { run_id: runId, metrics: [{ key: 'm', value: 1, timestamp: t0, step: 0 }] }],
        ['/runs/update', { run_id: runId, status: 'FINISHED' }],
        ['/runs/log-inputs', { run_id: runId, datasets: [] }],
        ['/runs/outputs', { run_id: runId, models: [] }],
      ];
      for (const [path, body] of writes) {
        expectError(await rest.post(path, body), 400, 'INVALID_PARAMETER_VALUE', deletedMessage);
      }
      const stored = await rest.getRun(runId);
      expect(stored.data).not.toHaveProperty('metrics');
      expect(asMap(stored.data.params)).toEqual({ p: '1' });
      expect(asMap(stored.data.tags)).not.toHaveProperty('t');
      expect(asMap(stored.data.tags)).toHaveProperty('mlflow.user');
      expect(stored.info.status).toBe('RUNNING');

      expect(await rest.ok('/runs/restore', { run_id: runId })).toEqual({});
      expect((await rest.getRun(runId)).info.lifecycle_stage).toBe('active');
      expect(await rest.ok('/runs/restore', { run_id: runId })).toEqual({});
      expectError(
        await rest.post('/runs/delete', { run_id: 'e'.repeat(32) }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expectError(
        await rest.post('/runs/restore', { run_id: 'e'.repeat(32) }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });
  });
});
