import { KeelClient, type KeelClientOptions } from '../../src/sdk/index.js';

/** What the seeded server holds, by name, for the tests to find. */
export interface Seeded {
  churnId: string;
  wideId: string;
  deletedId: string;
  /** Run names of the churn experiment, with their model and loss. */
  churnRuns: { runId: string; name: string; model: string; loss: number }[];
  runningRunId: string;
}

const models = ['tree', 'linear', 'forest'];

/**
 * Seeds a server through the SDK: `churn` (30 finished runs over three models with params, metric
 * histories and tags, plus one RUNNING run), `wide` (three runs with 1,500 metric keys each: the
 * table must not draw them all), a deleted experiment, and a workspace `research` holding the
 * experiment `in-research`.
 */
export async function seedTracking(options: KeelClientOptions): Promise<Seeded> {
  const client = new KeelClient(options);
  const churnId = await client.experiments.create('churn', { tags: { team: 'growth' } });
  const churnRuns: Seeded['churnRuns'] = [];
  const start = Date.UTC(2026, 0, 5, 9, 0, 0);
  await Promise.all(
    Array.from({ length: 30 }, async (_, index) => {
      const model = models[index % 3]!;
      const name = `churn-${String(index).padStart(2, '0')}`;
      const loss = Number((0.05 + ((index * 37) % 30) / 40).toFixed(4));
      const run = await client.runs.create({
        experimentId: churnId,
        runName: name,
        startTime: start + index * 60_000,
        tags: { team: index % 2 === 0 ? 'growth' : 'risk' },
      });
      const runId = run.info.runId;
      await client.runs.logBatch(runId, {
        params: { model, learning_rate: (0.01 * (1 + (index % 5))).toFixed(2), epochs: 10 },
        metrics: [0, 1, 2].flatMap((step) => [
          { key: 'loss', value: loss + (2 - step) * 0.1, step, timestamp: start + step },
          { key: 'accuracy', value: 1 - loss / 2 - (2 - step) * 0.01, step, timestamp: start + step },
        ]),
      });
      await client.runs.terminate(runId, 'FINISHED', start + index * 60_000 + 5000 + index * 1000);
      churnRuns.push({ runId, name, model, loss });
    }),
  );
  const running = await client.runs.create({
    experimentId: churnId,
    runName: 'still-training',
    startTime: start + 3_600_000,
  });
  await client.runs.logBatch(running.info.runId, {
    params: { model: 'tree' },
    metrics: [{ key: 'loss', value: 0.9, step: 0 }],
  });

  const wideId = await client.experiments.create('wide');
  await Promise.all(
    Array.from({ length: 3 }, async (_, index) => {
      const run = await client.runs.create({ experimentId: wideId, runName: `wide-${index}` });
      await client.runs.logBatch(run.info.runId, {
        metrics: Array.from({ length: 1500 }, (_, key) => ({
          key: `m${String(key).padStart(4, '0')}`,
          value: key + index,
          step: 0,
        })),
      });
    }),
  );

  await client.workspaces.create('research');
  await new KeelClient({ ...options, workspace: 'research' }).experiments.create('in-research');

  const deletedId = await client.experiments.create('retired');
  await client.runs.create({ experimentId: deletedId, runName: 'old' });
  await client.experiments.delete(deletedId);
  return { churnId, wideId, deletedId, churnRuns, runningRunId: running.info.runId };
}
