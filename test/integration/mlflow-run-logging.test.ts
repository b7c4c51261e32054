import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engines } from '../support/databases.js';
import { asMap, expectError, MlflowRest } from '../support/mlflow-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

const t0 = 1_700_000_000_000;

describe.each(engines)('MLflow run logging REST API on %s', (engine) => {
  let server: TestServer;
  let rest: MlflowRest;
  let experimentId: string;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    rest = new MlflowRest(server.url);
    experimentId = await rest.createExperiment('run-logging');
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('logging', () => {
    test('log-metric, log-parameter, set-tag: one call each, read back through get', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      expect(
        await rest.ok('/runs/log-metric', { run_id: runId, key: 'loss', value: 0.5, timestamp: t0, step: 1 }),
      ).toEqual({});
      await rest.ok('/runs/log-metric', {
        run_id: runId,
        key: 'loss',
        value: 0.25,
        timestamp: t0 + 1,
        step: 2,
      });
      await rest.ok('/runs/log-metric', {
        run_uuid: runId,
        key: 'acc',
        value: '0.75',
        timestamp: String(t0),
      });
      expect(await rest.ok('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.01' })).toEqual({});
      expect(await rest.ok('/runs/set-tag', { run_id: runId, key: 'phase', value: 'train' })).toEqual({});
      await rest.ok('/runs/set-tag', { run_id: runId, key: 'phase', value: 'eval' });

      const stored = await rest.getRun(runId);
      const metrics = Object.fromEntries(stored.data.metrics.map((m: { key: string }) => [m.key, m]));
      expect(metrics.loss).toEqual({ key: 'loss', value: 0.25, timestamp: t0 + 1, step: 2 });
      expect(metrics.acc).toEqual({ key: 'acc', value: 0.75, timestamp: t0, step: 0 });
      expect(stored.data.params).toEqual([{ key: 'lr', value: '0.01' }]);
      expect(asMap(stored.data.tags).phase).toBe('eval');
    });

    test('NaN and infinities travel as strings both ways', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      await rest.ok('/runs/log-batch', {
        run_id: runId,
        metrics: [
          { key: 'nan', value: 'NaN', timestamp: t0, step: 0 },
          { key: 'pinf', value: 'Infinity', timestamp: t0, step: 0 },
          { key: 'ninf', value: '-Infinity', timestamp: t0, step: 0 },
        ],
      });
      const stored = await rest.getRun(runId);
      const values = Object.fromEntries(
        stored.data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]),
      );
      expect(values).toEqual({ nan: 'NaN', pinf: 'Infinity', ninf: '-Infinity' });
      const history = await rest.getOk('/metrics/get-history', {
        run_id: runId,
        metric_key: 'nan',
        max_results: 10,
      });
      expect(history.metrics).toEqual([{ key: 'nan', value: 'NaN', timestamp: t0, step: 0 }]);
    });

    test('a param logged again with the same value is fine; another value is 400 and keeps the first', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      await rest.ok('/runs/log-parameter', { run_id: runId, key: 'p', value: '1' });
      await rest.ok('/runs/log-parameter', { run_id: runId, key: 'p', value: '1' });
      expectError(
        await rest.post('/runs/log-parameter', { run_id: runId, key: 'p', value: '2' }),
        400,
        'INVALID_PARAMETER_VALUE',
        /Changing param values is not allowed. Param with key='p' was already logged with value='1'/,
      );
      expect((await rest.getRun(runId)).data.params).toEqual([{ key: 'p', value: '1' }]);
    });

    test('long param and tag values are truncated to 6000 and 8000 characters', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      await rest.ok('/runs/log-parameter', { run_id: runId, key: 'cmd', value: 'p'.repeat(7000) });
      await rest.ok('/runs/set-tag', { run_id: runId, key: 'note', value: 't'.repeat(9000) });
      await rest.ok('/runs/log-batch', {
        run_id: runId,
        params: [{ key: 'cmd2', value: 'q'.repeat(6001) }],
        tags: [{ key: 'note2', value: 'u'.repeat(8001) }],
      });
      const stored = await rest.getRun(runId);
      const params = asMap(stored.data.params);
      const tags = asMap(stored.data.tags);
      expect(params.cmd).toBe('p'.repeat(6000));
      expect(params.cmd2).toBe('q'.repeat(6000));
      expect(tags.note).toBe('t'.repeat(8000));
      expect(tags.note2).toBe('u'.repeat(8000));
    });

    test('setting the mlflow.runName tag renames the run', async () => {
      const run = await rest.createRun(experimentId, { run_name: 'old-name' });
      await rest.ok('/runs/set-tag', { run_id: run.info.run_id, key: 'mlflow.runName', value: 'new-name' });
      expect((await rest.getRun(run.info.run_id)).info.run_name).toBe('new-name');
    });

    test('log-metric errors: bad key, missing or negative timestamp, missing value, wrong type, unknown run', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      expectError(
        await rest.post('/runs/log-metric', { run_id: runId, key: 'a*b', value: 1, timestamp: t0 }),
        400,
        'INVALID_PARAMETER_VALUE',
        /Invalid value "a\*b" for parameter 'name' supplied: Names may only contain alphanumerics/,
      );
      expectError(
        await rest.post('/runs/log-metric', { run_id: runId, key: 'm', value: 1 }),
        400,
        'INVALID_PARAMETER_VALUE',
        "Missing value for required parameter 'timestamp'. See the API docs for more information about request parameters.",
      );
      expectError(
        await rest.post('/runs/log-metric', { run_id: runId, key: 'm', timestamp: t0 }),
        400,
        'INVALID_PARAMETER_VALUE',
        /Missing value for required parameter 'value'/,
      );
      expectError(
        await rest.post('/runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: -1 }),
        400,
        'INVALID_PARAMETER_VALUE',
        /Timestamp must be a nonnegative long/,
      );
      expectError(
        await rest.post('/runs/log-metric', { run_id: runId, key: 'm', value: true, timestamp: t0 }),
        400,
        'INVALID_PARAMETER_VALUE',
        /Invalid value true for parameter 'value' supplied: Hint: Value was of type 'bool'/,
      );
      expectError(
        await rest.post('/runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: t0, step: 1.5 }),
        400,
        'INVALID_PARAMETER_VALUE',
        /'step'/,
      );
      expectError(
        await rest.post('/runs/log-metric', { run_id: 'a'.repeat(32), key: 'm', value: 1, timestamp: t0 }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expect((await rest.getRun(runId)).data).not.toHaveProperty('metrics');
    });

    test('log-batch writes metrics, params and tags together', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      const metrics = Array.from({ length: 500 }, (_, i) => ({
        key: `m${i % 5}`,
        value: i,
        timestamp: t0 + i,
        step: i,
      }));
      expect(
        await rest.ok('/runs/log-batch', {
          run_id: runId,
          metrics,
          params: [
            { key: 'a', value: '1' },
            { key: 'b', value: '2' },
          ],
          tags: [
            { key: 't', value: 'x' },
            { key: 't', value: 'y' },
          ],
        }),
      ).toEqual({});
      const stored = await rest.getRun(runId);
      expect(stored.data.metrics).toHaveLength(5);
      expect(asMap(stored.data.params)).toEqual({ a: '1', b: '2' });
      expect(asMap(stored.data.tags).t).toBe('y');
      const history = await rest.getOk('/metrics/get-history', {
        run_id: runId,
        metric_key: 'm0',
        max_results: 25000,
      });
      expect(history.metrics).toHaveLength(100);
      expect(history).not.toHaveProperty('next_page_token');
      // A retried batch stores nothing twice.
      await rest.ok('/runs/log-batch', { run_id: runId, metrics });
      const again = await rest.getOk('/metrics/get-history', {
        run_id: runId,
        metric_key: 'm0',
        max_results: 25000,
      });
      expect(again.metrics).toHaveLength(100);
      // An empty batch is fine.
      expect(await rest.ok('/runs/log-batch', { run_id: runId })).toEqual({});
    });

    test('log-batch that fails validation stores nothing', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      await rest.ok('/runs/log-parameter', { run_id: runId, key: 'fixed', value: 'v1' });
      const good = { key: 'ok', value: 1, timestamp: t0, step: 0 };
      const cases: [object, RegExp][] = [
        [
          { metrics: Array.from({ length: 1001 }, (_, i) => ({ ...good, step: i })) },
          /at most 1000 metrics. Got 1001 metrics/,
        ],
        [
          { params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' })) },
          /at most 100 params/,
        ],
        [{ tags: Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: 'v' })) }, /at most 100 tags/],
        [
          {
            params: [
              { key: 'd', value: '1' },
              { key: 'd', value: '1' },
            ],
            metrics: [good],
          },
          /Duplicate parameter keys have been submitted: \['d'\]/,
        ],
        [
          { metrics: [good, { key: 'late', value: 1, step: 0 }] },
          /Missing value for required parameter 'metrics\[1\].timestamp'/,
        ],
        [{ metrics: [good], tags: [{ key: 'bad key!', value: 'v' }] }, /Names may only contain/],
        [
          { metrics: [good], params: [{ key: 'fixed', value: 'v2' }] },
          /Changing param values is not allowed/,
        ],
      ];
      for (const [body, message] of cases) {
        expectError(
          await rest.post('/runs/log-batch', { run_id: runId, ...body }),
          400,
          'INVALID_PARAMETER_VALUE',
          message,
        );
      }
      const stored = await rest.getRun(runId);
      expect(stored.data).not.toHaveProperty('metrics');
      expect(asMap(stored.data.params)).toEqual({ fixed: 'v1' });
    });

    test('a log-batch body over 1,000,000 bytes is 400; 100 tags of 8000 characters pass', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      const bigTags = Array.from({ length: 100 }, (_, i) => ({ key: `big${i}`, value: 'x'.repeat(8000) }));
      expect(await rest.ok('/runs/log-batch', { run_id: runId, tags: bigTags })).toEqual({});
      const tooBig = Array.from({ length: 100 }, (_, i) => ({ key: `huge${i}`, value: 'y'.repeat(10_001) }));
      expectError(
        await rest.post('/runs/log-batch', { run_id: runId, tags: tooBig }),
        400,
        'INVALID_PARAMETER_VALUE',
        /at most 1000000 bytes/,
      );
      expect(asMap((await rest.getRun(runId)).data.tags)).not.toHaveProperty('huge0');
    });

    test('delete-tag removes a tag; a missing tag is 404', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      await rest.ok('/runs/set-tag', { run_id: runId, key: 'gone', value: 'soon' });
      expect(await rest.ok('/runs/delete-tag', { run_id: runId, key: 'gone' })).toEqual({});
      expect(asMap((await rest.getRun(runId)).data.tags)).not.toHaveProperty('gone');
      expectError(
        await rest.post('/runs/delete-tag', { run_id: runId, key: 'gone' }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
        `No tag with name: gone in run with id ${runId}`,
      );
    });

    test('log-inputs records datasets with their tags; logging one twice is a no-op', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      const input = {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: {
          name: 'iris',
          digest: 'abc123',
          source_type: 'local',
          source: '{"uri": "/data/iris.csv"}',
          schema: '{"mlflow_colspec": []}',
        },
      };
      expect(await rest.ok('/runs/log-inputs', { run_id: runId, datasets: [input] })).toEqual({});
      await rest.ok('/runs/log-inputs', { run_id: runId, datasets: [input] });
      const stored = await rest.getRun(runId);
      expect(stored.inputs.dataset_inputs).toEqual([input]);
      expectError(
        await rest.post('/runs/log-inputs', {
          run_id: runId,
          datasets: [{ dataset: { ...input.dataset, name: 'other', digest: 'd'.repeat(37) } }],
        }),
        400,
        'INVALID_PARAMETER_VALUE',
        /digest/,
      );
      expectError(
        await rest.post('/runs/log-inputs', { run_id: runId, datasets: [{ dataset: { name: 'x' } }] }),
        400,
        'INVALID_PARAMETER_VALUE',
        /Missing value for required parameter 'datasets\[0\].dataset.digest'/,
      );
      expect((await rest.getRun(runId)).inputs.dataset_inputs).toHaveLength(1);
    });

    test('metrics/get-history pages through a long history', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      const metrics = Array.from({ length: 250 }, (_, i) => ({
        key: 'curve',
        value: i / 2,
        timestamp: t0 + i,
        step: i,
      }));
      await rest.ok('/runs/log-batch', { run_id: runId, metrics });
      const seen: number[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await rest.getOk('/metrics/get-history', {
          run_id: runId,
          metric_key: 'curve',
          max_results: 100,
          page_token: token,
        });
        seen.push(...page.metrics.map((m: { step: number }) => m.step));
        token = page.next_page_token;
        pages += 1;
      } while (token);
      expect(pages).toBe(3);
      expect(seen).toEqual(metrics.map((m) => m.step));
      const all = await rest.getOk('/metrics/get-history', { run_id: runId, metric_key: 'curve' });
      expect(all.metrics).toHaveLength(250);
      expect(
        await rest.getOk('/metrics/get-history', { run_id: runId, metric_key: 'nope', max_results: 10 }),
      ).toEqual({});
      expect(
        await rest.getOk('/metrics/get-history', {
          run_id: 'c'.repeat(32),
          metric_key: 'curve',
          max_results: 10,
        }),
      ).toEqual({});
      expectError(
        await rest.get('/metrics/get-history', {
          run_id: runId,
          metric_key: 'curve',
          max_results: 10,
          page_token: 'garbage!',
        }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
      expectError(
        await rest.get('/metrics/get-history', { run_id: runId }),
        400,
        'INVALID_PARAMETER_VALUE',
        /'metric_key'/,
      );
    });

    test('metrics/get-history-bulk-interval samples steps per run with run ids', async () => {
      const a = (await rest.createRun(experimentId)).info.run_id;
      const b = (await rest.createRun(experimentId)).info.run_id;
      for (const runId of [a, b]) {
        await rest.ok('/runs/log-batch', {
          run_id: runId,
          metrics: Array.from({ length: 100 }, (_, i) => ({
            key: 'bulk',
            value: i,
            timestamp: t0 + i,
            step: i,
          })),
        });
      }
      const all = await rest.getOk('/metrics/get-history-bulk-interval', {
        run_ids: [a, b],
        metric_key: 'bulk',
        max_results: 1000,
      });
      expect(all.metrics).toHaveLength(200);
      expect(all.metrics[0]).toEqual({
        key: 'bulk',
        value: expect.any(Number),
        timestamp: expect.any(Number),
        step: expect.any(Number),
        run_id: expect.any(String),
      });
      const sampled = await rest.getOk('/metrics/get-history-bulk-interval', {
        run_ids: [a],
        metric_key: 'bulk',
        start_step: 10,
        end_step: 50,
        max_results: 5,
      });
      const steps = sampled.metrics.map((m: { step: number }) => m.step);
      expect(steps[0]).toBe(10);
      expect(steps[steps.length - 1]).toBe(50);
      expect(steps.length).toBeLessThanOrEqual(7);
      expect(sampled.metrics.every((m: { run_id: string }) => m.run_id === a)).toBe(true);

      expectError(
        await rest.get('/metrics/get-history-bulk-interval', {
          run_ids: [a],
          metric_key: 'bulk',
          start_step: 1,
        }),
        400,
        'INVALID_PARAMETER_VALUE',
        /both must be specified/,
      );
      expectError(
        await rest.get('/metrics/get-history-bulk-interval', {
          run_ids: Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(32, '0')),
          metric_key: 'bulk',
        }),
        400,
        'INVALID_PARAMETER_VALUE',
        /100/,
      );
      expectError(
        await rest.get('/metrics/get-history-bulk-interval', { metric_key: 'bulk' }),
        400,
        'INVALID_PARAMETER_VALUE',
        /run_ids/,
      );
    });

    test('legacy runs/log-model appends to the mlflow.log-model.history tag', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      const first = {
        artifact_path: 'model',
        flavors: { python_function: { loader_module: 'm' } },
        run_id: runId,
      };
      const second = { ...first, artifact_path: 'model2', signature: { inputs: 'x'.repeat(9000) } };
      expect(await rest.ok('/runs/log-model', { run_id: runId, model_json: JSON.stringify(first) })).toEqual(
        {},
      );
      await rest.ok('/runs/log-model', { run_id: runId, model_json: JSON.stringify(second) });
      const history = JSON.parse(asMap((await rest.getRun(runId)).data.tags)['mlflow.log-model.history']!);
      expect(history).toEqual([first, second]);
      expectError(
        await rest.post('/runs/log-model', { run_id: runId, model_json: 'not json' }),
        400,
        'INVALID_PARAMETER_VALUE',
        /Malformed model info/,
      );
      expect(
        JSON.parse(asMap((await rest.getRun(runId)).data.tags)['mlflow.log-model.history']!),
      ).toHaveLength(2);
      expectError(
        await rest.post('/runs/log-model', { run_id: 'b'.repeat(32), model_json: '{}' }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    test('runs/outputs links a logged model to the run', async () => {
      const run = await rest.createRun(experimentId);
      const runId = run.info.run_id;
      const { model } = await rest.ok('/logged-models', {
        experiment_id: experimentId,
        name: 'model',
        source_run_id: runId,
      });
      expect(
        await rest.ok('/runs/outputs', {
          run_id: runId,
          models: [{ model_id: model.info.model_id, step: 0 }],
        }),
      ).toEqual({});
      const stored = await rest.getRun(runId);
      expect(stored.outputs).toEqual({ model_outputs: [{ model_id: model.info.model_id, step: 0 }] });
    });
  });
});
