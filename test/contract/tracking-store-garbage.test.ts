import { describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import {
  countRows,
  expectKeelError,
  metric,
  newExperiment,
  newRun,
  uniqueName,
  useSqlStore,
} from './sql-store-fixture.js';

for (const engine of engines) {
  describe(`SqlTrackingStore garbage collection (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_gc');

    it('lists runs and experiments deleted before the cutoff, with their artifact locations', async () => {
      const experimentId = await newExperiment(fixture.store);
      const old = await newRun(fixture.store, experimentId);
      const recent = await newRun(fixture.store, experimentId);
      const active = await newRun(fixture.store, experimentId);
      await fixture.store.deleteRun(old, 1_000);
      await fixture.store.deleteRun(recent, 5_000);
      const goneExperiment = await newExperiment(fixture.store);
      await fixture.store.deleteExperiment(goneExperiment, 2_000);

      const purgeable = await fixture.store.findPurgeable(3_000);
      expect(purgeable.runs).toContainEqual({
        runId: old,
        artifactUri: `mlflow-artifacts:/${experimentId}/${old}/artifacts`,
      });
      expect(purgeable.runs.map((r) => r.runId)).not.toContain(recent);
      expect(purgeable.runs.map((r) => r.runId)).not.toContain(active);
      expect(purgeable.experiments).toContainEqual({
        experimentId: goneExperiment,
        artifactLocation: `mlflow-artifacts:/${goneExperiment}`,
      });
      expect(purgeable.experiments.map((e) => e.experimentId)).not.toContain(experimentId);
    });

    it('purges a run with everything logged to it', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      await fixture.store.logBatch(runId, {
        metrics: [metric('m', 1), metric('m', 2, 1)],
        params: [{ key: 'p', value: '1' }],
        tags: [{ key: 't', value: '1' }],
      });
      await fixture.store.logInputs(runId, {
        datasets: [
          {
            dataset: { name: 'd', digest: '1', sourceType: 's', source: 's' },
            tags: [{ key: 'k', value: 'v' }],
          },
        ],
        models: [{ modelId: 'm-1' }],
      });
      await fixture.store.logOutputs(runId, [{ modelId: 'm-1', step: 0 }]);
      await fixture.store.deleteRun(runId, 10);
      await fixture.store.purge({ runIds: [runId], experimentIds: [] });
      await expectKeelError(fixture.store.getRun(runId), 'RESOURCE_DOES_NOT_EXIST');
      for (const table of ['metrics', 'latest_metrics', 'params', 'tags'] as const) {
        expect(await countRows(fixture.sqlDatabase, table, runId)).toBe(0);
      }
      const inputTags = await fixture.sqlDatabase.db
        .selectFrom('run_dataset_input_tags')
        .selectAll()
        .where('run_uuid', '=', runId)
        .execute();
      expect(inputTags).toEqual([]);
    });

    it('purges an experiment with its runs and models, so that its name can be used again', async () => {
      const name = uniqueName('purged');
      const experimentId = await newExperiment(fixture.store, name);
      const runId = await newRun(fixture.store, experimentId);
      await fixture.store.logBatch(runId, { metrics: [metric('m', 1)], params: [], tags: [] });
      await fixture.store.setExperimentTag(experimentId, { key: 'k', value: 'v' });
      const model = await fixture.store.createLoggedModel({
        experimentId,
        name: 'm',
        params: [{ key: 'a', value: '1' }],
        tags: [],
        artifactUri: () => 'x',
        now: 1,
      });
      await fixture.store.deleteExperiment(experimentId, 20);
      await fixture.store.purge({ runIds: [], experimentIds: [experimentId] });

      await expectKeelError(fixture.store.getExperiment(experimentId), 'RESOURCE_DOES_NOT_EXIST');
      await expectKeelError(fixture.store.getRun(runId), 'RESOURCE_DOES_NOT_EXIST');
      await expectKeelError(fixture.store.getLoggedModel(model.modelId), 'RESOURCE_DOES_NOT_EXIST');
      expect(await countRows(fixture.sqlDatabase, 'metrics', runId)).toBe(0);
      const reused = await newExperiment(fixture.store, name);
      expect(reused).not.toBe(experimentId);
      expect((await fixture.store.getExperiment(reused)).name).toBe(name);
    });

    it('leaves active runs and experiments alone even when asked to purge them', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      await fixture.store.purge({
        runIds: [runId, 'unknown'],
        experimentIds: [experimentId, 'abc', '123456'],
      });
      expect((await fixture.store.getRun(runId)).info.lifecycleStage).toBe('active');
      expect((await fixture.store.getExperiment(experimentId)).lifecycleStage).toBe('active');
      await fixture.store.purge({ runIds: [], experimentIds: [] });
    });
  });
}
