import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/index.js';
import type { DemoResult } from '../../src/demo/index.js';
import { KeelClient } from '../../src/sdk/index.js';
import type { Run } from '../../src/sdk/index.js';
import { startTestServer } from '../support/server.js';
import type { TestServer } from '../support/server.js';

const tags = (run: Run): Record<string, string> =>
  Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));

describe('keel demo (runDemo)', () => {
  let server: TestServer;
  let client: KeelClient;
  let result: DemoResult;
  const lines: string[] = [];
  let closed = 0;

  beforeAll(async () => {
    server = await startTestServer({ engine: 'sqlite' });
    client = new KeelClient({ trackingUri: server.url });
    result = await runDemo({
      exit: true,
      log: (line) => lines.push(line),
      // The test server outlives the demo so the runs can be read back; count the demo's close.
      startServer: async () => ({ url: server.url, close: async () => void closed++ }),
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('logs a parent sweep run with five finished child runs in the keel-demo experiment', async () => {
    const experiment = await client.experiments.getByName('keel-demo');
    expect(experiment?.experimentId).toBe(result.experimentId);
    const runs: Run[] = [];
    for await (const run of client.runs.iterate({ experimentIds: [result.experimentId] })) runs.push(run);
    expect(runs).toHaveLength(6);
    const parent = runs.find((r) => r.info.runId === result.parentRunId) as Run;
    expect(parent.info).toMatchObject({ runName: 'sweep', status: 'FINISHED' });
    const children = runs.filter((r) => tags(r)['mlflow.parentRunId'] === result.parentRunId);
    expect(children).toHaveLength(5);
    for (const child of children) {
      expect(child.info.status).toBe('FINISHED');
      expect(tags(child)['mlflow.source.type']).toBe('LOCAL');
    }
    expect(closed).toBe(1);
  });

  it('gives every child params, per-epoch histories, a dataset input and three artifacts', async () => {
    for (const { runId } of result.children) {
      const run = await client.runs.get(runId);
      const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
      expect(Object.keys(params)).toEqual(expect.arrayContaining(['learning_rate', 'l2', 'epochs']));
      for (const key of ['train_loss', 'val_loss', 'val_accuracy', 'val_f1']) {
        const history = await client.runs.getMetricHistory(runId, key);
        expect(history).toHaveLength(Number(params.epochs));
        expect(history.map((m) => m.step).sort((a, b) => a - b)).toEqual(
          Array.from({ length: Number(params.epochs) }, (_, i) => i + 1),
        );
      }
      const [input] = run.inputs.datasetInputs;
      expect(input?.dataset).toMatchObject({ name: 'synthetic-binary-classification', sourceType: 'code' });
      expect(input?.dataset.digest).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.parse(input?.dataset.schema ?? '{}').mlflow_colspec).toHaveLength(9);

      const root = (await client.artifacts.list(runId)).map((f) => f.path).sort();
      expect(root).toEqual(['model', 'plots', 'report.md']);
      const listed = [
        ...(await client.artifacts.list(runId, 'model')),
        ...(await client.artifacts.list(runId, 'plots')),
      ].map((f) => f.path);
      expect(listed.sort()).toEqual(['model/weights.json', 'plots/loss-curve.svg']);
    }
  });

  it('trains models that beat chance and logs the best child on the parent', async () => {
    const best = result.best;
    expect(best.final.valAccuracy).toBeGreaterThan(0.7);
    expect(best.final.valF1).toBe(Math.max(...result.children.map((c) => c.final.valF1)));
    const parent = await client.runs.get(result.parentRunId);
    const metrics = Object.fromEntries(parent.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics.val_f1).toBeCloseTo(best.final.valF1, 12);
    expect(tags(parent)['keel.demo.bestRunId']).toBe(best.runId);
  });

  it('stores a readable model, plot and report', async () => {
    const dir = server.dataDir;
    const { runId } = result.best;
    await client.artifacts.downloadDir(runId, '', `${dir}/best`);
    const { readFileSync } = await import('node:fs');
    const model = JSON.parse(readFileSync(`${dir}/best/model/weights.json`, 'utf8'));
    expect(model.weights).toHaveLength(8);
    expect(readFileSync(`${dir}/best/plots/loss-curve.svg`, 'utf8')).toMatch(
      /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
    expect(readFileSync(`${dir}/best/report.md`, 'utf8')).toContain('synthetic');
  });

  it('prints the best run, where to look and a summary, saying the data is synthetic', () => {
    const text = lines.join('\n');
    expect(text).toContain('SYNTHETIC');
    expect(text).toContain(`Best run: ${result.best.runName} (${result.best.runId})`);
    expect(text).toContain(`${server.url}/api/2.0/mlflow/runs/get?run_id=${result.best.runId}`);
    expect(lines.filter((l) => l.startsWith('Summary: '))).toHaveLength(1);
  });

  it('reuses the experiment on a second run, and serves until stopped when exit is false', async () => {
    let stopped = false;
    const again = await runDemo({
      exit: false,
      log: () => undefined,
      startServer: async () => ({ url: server.url, close: async () => void closed++ }),
      untilStopped: async () => {
        stopped = true;
      },
    });
    expect(stopped).toBe(true);
    expect(closed).toBe(2);
    expect(again.experimentId).toBe(result.experimentId);
    const page = await client.runs.search({ experimentIds: [result.experimentId], maxResults: 100 });
    expect(page.items).toHaveLength(12);
    // Same seed, same data, same training: the same scores.
    expect(again.children.map((c) => c.final.valF1)).toEqual(result.children.map((c) => c.final.valF1));
  });
});
