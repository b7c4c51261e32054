import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engines } from '../support/databases.js';
import { asMap, MlflowRest } from '../support/mlflow-rest.js';
import { startTestServer, type TestServer } from '../support/server.js';

const clients = 20;
const batchesPerClient = 10;
const metricsPerBatch = 100;
const t0 = 1_700_000_000_000;

describe.each(engines)('MLflow REST API under concurrent writers on %s', (engine) => {
  let server: TestServer;
  let rest: MlflowRest;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    rest = new MlflowRest(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  test(`${clients} clients logging batches into one run lose nothing and duplicate nothing`, async () => {
    const experimentId = await rest.createExperiment('concurrency');
    const runId = (await rest.createRun(experimentId)).info.run_id;
    // The same points every client sends too, as retried requests would.
    const shared = Array.from({ length: metricsPerBatch }, (_, i) => ({
      key: 'dup',
      value: i,
      timestamp: t0,
      step: i,
    }));

    const client = async (c: number) => {
      for (let b = 0; b < batchesPerClient; b++) {
        const metrics = Array.from({ length: metricsPerBatch }, (_, i) => {
          const step = c * batchesPerClient * metricsPerBatch + b * metricsPerBatch + i;
          return { key: 'loss', value: step / 10, timestamp: t0 + step, step };
        });
        await rest.ok('/runs/log-batch', {
          run_id: runId,
          metrics: b === 0 ? [...metrics, ...shared] : metrics,
          params: [
            { key: 'common', value: 'same-for-all' },
            { key: `p-${c}-${b}`, value: String(b) },
          ],
          tags: [{ key: `client-${c}`, value: String(b) }],
        });
        await rest.ok('/runs/log-metric', {
          run_id: runId,
          key: `solo-${c}`,
          value: b,
          timestamp: t0 + b,
          step: b,
        });
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));

    const total = clients * batchesPerClient * metricsPerBatch;
    const history = await rest.getOk('/metrics/get-history', {
      run_id: runId,
      metric_key: 'loss',
      max_results: 25000,
    });
    expect(history.metrics).toHaveLength(total);
    const steps = history.metrics.map((m: { step: number }) => m.step).sort((a: number, b: number) => a - b);
    expect(steps).toEqual(Array.from({ length: total }, (_, i) => i));
    for (const metric of history.metrics) expect(metric.value).toBe(metric.step / 10);

    const dup = await rest.getOk('/metrics/get-history', {
      run_id: runId,
      metric_key: 'dup',
      max_results: 25000,
    });
    expect(dup.metrics).toHaveLength(metricsPerBatch);

    const run = await rest.getRun(runId);
    const latest = Object.fromEntries(run.data.metrics.map((m: { key: string; step: number }) => [m.key, m]));
    expect(latest.loss.step).toBe(total - 1);
    for (let c = 0; c < clients; c++) {
      expect(latest[`solo-${c}`].step).toBe(batchesPerClient - 1);
      const solo = await rest.getOk('/metrics/get-history', {
        run_id: runId,
        metric_key: `solo-${c}`,
        max_results: 100,
      });
      expect(solo.metrics).toHaveLength(batchesPerClient);
    }
    const params = asMap(run.data.params);
    expect(Object.keys(params)).toHaveLength(1 + clients * batchesPerClient);
    expect(params.common).toBe('same-for-all');
    const tags = asMap(run.data.tags);
    for (let c = 0; c < clients; c++) expect(tags[`client-${c}`]).toBe(String(batchesPerClient - 1));
  });

  test('concurrent creates of one experiment name: exactly one wins, the rest are RESOURCE_ALREADY_EXISTS', async () => {
    const answers = await Promise.all(
      Array.from({ length: clients }, () => rest.post('/experiments/create', { name: 'race-for-a-name' })),
    );
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect(answer.status).toBe(400);
      expect(answer.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    }
  });

  test('concurrent writers of one param key with different values: one value wins, the rest are 400', async () => {
    const experimentId = await rest.createExperiment('param-race');
    const runId = (await rest.createRun(experimentId)).info.run_id;
    const answers = await Promise.all(
      Array.from({ length: clients }, (_, c) =>
        rest.post('/runs/log-parameter', { run_id: runId, key: 'seed', value: String(c) }),
      ),
    );
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect(answer.status).toBe(400);
      expect(answer.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect((await rest.getRun(runId)).data.params).toHaveLength(1);
  });
});
