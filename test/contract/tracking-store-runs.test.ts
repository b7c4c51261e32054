import { describe, expect, it } from 'vitest';
import { loadRuns } from '../../src/backends/sql/index.js';
import type { DatasetInput } from '../../src/core/tracking/entities.js';
import { engines } from '../support/databases.js';
import {
  countRows,
  expectKeelError,
  metric,
  newExperiment,
  newRun,
  useSqlStore,
} from './sql-store-fixture.js';

const dataset = (name: string, digest: string, context = 'training'): DatasetInput => ({
  dataset: { name, digest, sourceType: 'local', source: `{"uri": "/data/${name}"}`, schema: '{"cols": []}' },
  tags: [{ key: 'mlflow.data.context', value: context }],
});

for (const engine of engines) {
  describe(`SqlTrackingStore runs (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_runs');

    it('creates a RUNNING run with a 32-hex id and the tags given, sorted', async () => {
      const experimentId = await newExperiment(fixture.store);
      const run = await fixture.store.createRun({
        experimentId,
        userId: 'alice',
        runName: 'brave-owl-1',
        startTime: 1700,
        tags: [
          { key: 'mlflow.user', value: 'alice' },
          { key: 'mlflow.source.name', value: 'train.py' },
          { key: 'mlflow.runName', value: 'brave-owl-1' },
        ],
        artifactUri: (runId) => `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
      });
      expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
      expect(run.info).toEqual({
        runId: run.info.runId,
        runName: 'brave-owl-1',
        experimentId,
        userId: 'alice',
        status: 'RUNNING',
        startTime: 1700,
        endTime: null,
        artifactUri: `mlflow-artifacts:/${experimentId}/${run.info.runId}/artifacts`,
        lifecycleStage: 'active',
      });
      expect(run.data.tags).toEqual([
        { key: 'mlflow.runName', value: 'brave-owl-1' },
        { key: 'mlflow.source.name', value: 'train.py' },
        { key: 'mlflow.user', value: 'alice' },
      ]);
      expect(await fixture.store.getRun(run.info.runId)).toEqual(run);
      expect(await fixture.store.getRunInfo(run.info.runId)).toEqual(run.info);
    });

    it("writes only the tags given: the run-name and user tags are the service's", async () => {
      const experimentId = await newExperiment(fixture.store);
      const run = await fixture.store.createRun({
        experimentId,
        userId: 'alice',
        runName: 'r',
        startTime: 1,
        tags: [{ key: 'mlflow.user', value: 'bob' }],
        artifactUri: () => 'x',
      });
      expect(run.data.tags).toEqual([{ key: 'mlflow.user', value: 'bob' }]);
      expect((await fixture.store.getRun(run.info.runId)).data.tags).toEqual(run.data.tags);
    });

    it('refuses a run in an unknown or deleted experiment, creating nothing', async () => {
      const before = await fixture.sqlDatabase.db
        .selectFrom('runs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      await expectKeelError(
        fixture.store.createRun({
          experimentId: '55555',
          userId: 'u',
          runName: 'r',
          startTime: 1,
          tags: [],
          artifactUri: () => 'x',
        }),
        'RESOURCE_DOES_NOT_EXIST',
        'No Experiment with id=55555 exists',
      );
      const experimentId = await newExperiment(fixture.store);
      await fixture.store.deleteExperiment(experimentId, 10);
      await expectKeelError(
        fixture.store.createRun({
          experimentId,
          userId: 'u',
          runName: 'r',
          startTime: 1,
          tags: [],
          artifactUri: () => 'x',
        }),
        'INVALID_PARAMETER_VALUE',
        `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`,
      );
      const after = await fixture.sqlDatabase.db
        .selectFrom('runs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('answers RESOURCE_DOES_NOT_EXIST for an unknown run on every run method', async () => {
      const id = 'f'.repeat(32);
      const message = `Run with id=${id} not found`;
      await expectKeelError(fixture.store.getRun(id), 'RESOURCE_DOES_NOT_EXIST', message);
      await expectKeelError(fixture.store.getRunInfo(id), 'RESOURCE_DOES_NOT_EXIST', message);
      await expectKeelError(
        fixture.store.updateRun(id, { status: 'FINISHED' }),
        'RESOURCE_DOES_NOT_EXIST',
        message,
      );
      await expectKeelError(fixture.store.deleteRun(id, 1), 'RESOURCE_DOES_NOT_EXIST', message);
      await expectKeelError(fixture.store.restoreRun(id), 'RESOURCE_DOES_NOT_EXIST', message);
      await expectKeelError(fixture.store.deleteTag(id, 'k'), 'RESOURCE_DOES_NOT_EXIST', message);
      await expectKeelError(
        fixture.store.logBatch(id, { metrics: [metric('m', 1)], params: [], tags: [] }),
        'RESOURCE_DOES_NOT_EXIST',
        message,
      );
      await expectKeelError(
        fixture.store.logInputs(id, { datasets: [], models: [] }),
        'RESOURCE_DOES_NOT_EXIST',
        message,
      );
      await expectKeelError(fixture.store.logOutputs(id, []), 'RESOURCE_DOES_NOT_EXIST', message);
    });

    it('updates only the fields given; a new name rewrites the mlflow.runName tag', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId, 'first-name');
      const finished = await fixture.store.updateRun(runId, { status: 'FINISHED', endTime: 9000 });
      expect(finished).toMatchObject({ status: 'FINISHED', endTime: 9000, runName: 'first-name' });
      const renamed = await fixture.store.updateRun(runId, { runName: 'second-name' });
      expect(renamed).toMatchObject({ status: 'FINISHED', endTime: 9000, runName: 'second-name' });
      const run = await fixture.store.getRun(runId);
      expect(run.info).toEqual(renamed);
      expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'second-name' });
      expect(await fixture.store.updateRun(runId, {})).toEqual(renamed);
    });

    it('soft-deletes and restores a run; a deleted run is readable but refuses writes, unchanged', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      await fixture.store.logBatch(runId, {
        metrics: [metric('m', 1)],
        params: [{ key: 'p', value: '1' }],
        tags: [{ key: 't', value: '1' }],
      });
      await fixture.store.deleteRun(runId, 500);
      await fixture.store.deleteRun(runId, 600);
      const deleted = await fixture.store.getRun(runId);
      expect(deleted.info.lifecycleStage).toBe('deleted');
      const row = await fixture.sqlDatabase.db
        .selectFrom('runs')
        .select('deleted_time')
        .where('run_uuid', '=', runId)
        .executeTakeFirstOrThrow();
      expect(Number(row.deleted_time)).toBe(500);

      const message = `The run ${runId} must be in the 'active' state. Current state is deleted.`;
      await expectKeelError(
        fixture.store.logBatch(runId, {
          metrics: [metric('m', 2, 1)],
          params: [{ key: 'q', value: '1' }],
          tags: [{ key: 't', value: '2' }],
        }),
        'INVALID_PARAMETER_VALUE',
        message,
      );
      await expectKeelError(
        fixture.store.updateRun(runId, { status: 'FAILED' }),
        'INVALID_PARAMETER_VALUE',
        message,
      );
      await expectKeelError(fixture.store.deleteTag(runId, 't'), 'INVALID_PARAMETER_VALUE', message);
      await expectKeelError(
        fixture.store.logInputs(runId, { datasets: [dataset('d', 'x')], models: [] }),
        'INVALID_PARAMETER_VALUE',
        message,
      );
      await expectKeelError(
        fixture.store.logOutputs(runId, [{ modelId: 'm-1', step: 0 }]),
        'INVALID_PARAMETER_VALUE',
        message,
      );
      expect(await fixture.store.getRun(runId)).toEqual(deleted);
      expect(await countRows(fixture.sqlDatabase, 'metrics', runId)).toBe(1);

      await fixture.store.restoreRun(runId);
      await fixture.store.restoreRun(runId);
      const restored = await fixture.store.getRun(runId);
      expect(restored.info.lifecycleStage).toBe('active');
      expect(restored.data).toEqual(deleted.data);
    });

    it('deletes a run tag; deleting an absent tag is RESOURCE_DOES_NOT_EXIST', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      await fixture.store.logBatch(runId, { metrics: [], params: [], tags: [{ key: 'gone', value: '1' }] });
      await fixture.store.deleteTag(runId, 'gone');
      expect((await fixture.store.getRun(runId)).data.tags.map((t) => t.key)).not.toContain('gone');
      await expectKeelError(
        fixture.store.deleteTag(runId, 'gone'),
        'RESOURCE_DOES_NOT_EXIST',
        `No tag with name: gone in run with id ${runId}`,
      );
    });

    it('logs dataset and model inputs once per run, sharing datasets within an experiment', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runA = await newRun(fixture.store, experimentId);
      const runB = await newRun(fixture.store, experimentId);
      await fixture.store.logInputs(runA, {
        datasets: [dataset('iris', 'abc'), dataset('wine', 'def', 'eval')],
        models: [{ modelId: 'm-11' }, { modelId: 'm-11' }],
      });
      // Logging again (with other tags) changes nothing; another run reuses the dataset row.
      await fixture.store.logInputs(runA, {
        datasets: [dataset('iris', 'abc', 'other')],
        models: [{ modelId: 'm-11' }],
      });
      await fixture.store.logInputs(runB, { datasets: [dataset('iris', 'abc', 'eval')], models: [] });

      const a = await fixture.store.getRun(runA);
      expect(a.inputs.datasetInputs).toEqual([dataset('iris', 'abc'), dataset('wine', 'def', 'eval')]);
      expect(a.inputs.modelInputs).toEqual([{ modelId: 'm-11' }]);
      const b = await fixture.store.getRun(runB);
      expect(b.inputs.datasetInputs).toEqual([dataset('iris', 'abc', 'eval')]);
      const datasets = await fixture.sqlDatabase.db
        .selectFrom('datasets')
        .select('name')
        .where('experiment_id', '=', Number(experimentId))
        .execute();
      expect(datasets.map((d) => d.name).sort()).toEqual(['iris', 'wine']);
    });

    it('round-trips a dataset without schema or profile', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      const bare: DatasetInput = {
        dataset: { name: 'bare', digest: '1', sourceType: 'code', source: 's' },
        tags: [],
      };
      await fixture.store.logInputs(runId, { datasets: [bare], models: [] });
      expect((await fixture.store.getRun(runId)).inputs.datasetInputs).toEqual([bare]);
    });

    it('logs model outputs', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      await fixture.store.logOutputs(runId, [
        { modelId: 'm-b', step: 3 },
        { modelId: 'm-a', step: 1 },
      ]);
      await fixture.store.logOutputs(runId, [{ modelId: 'm-a', step: 1 }]);
      expect((await fixture.store.getRun(runId)).outputs.modelOutputs).toEqual([
        { modelId: 'm-a', step: 1 },
        { modelId: 'm-b', step: 3 },
      ]);
    });

    it('loadRuns returns full runs in the order asked, skipping unknown ids', async () => {
      const experimentId = await newExperiment(fixture.store);
      const ids = [];
      for (let i = 0; i < 5; i++) {
        const runId = await newRun(fixture.store, experimentId);
        await fixture.store.logBatch(runId, {
          metrics: [metric('m', i)],
          params: [{ key: 'i', value: String(i) }],
          tags: [],
        });
        ids.push(runId);
      }
      const asked = [ids[3]!, 'unknown', ids[0]!, ids[4]!];
      const runs = await loadRuns(fixture.sqlDatabase, asked);
      expect(runs.map((r) => r.info.runId)).toEqual([ids[3], ids[0], ids[4]]);
      expect(runs.map((r) => r.data.params[0]?.value)).toEqual(['3', '0', '4']);
      expect(runs[0]).toEqual(await fixture.store.getRun(ids[3]!));
      expect(await loadRuns(fixture.sqlDatabase, [])).toEqual([]);
    });
  });
}
