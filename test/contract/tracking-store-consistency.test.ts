import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../src/backends/blob/index.js';
import { SqlIdentityStore } from '../../src/backends/sql/index.js';
import { unauthenticatedCaller } from '../../src/core/auth/index.js';
import { AccessControl } from '../../src/services/auth/index.js';
import { GarbageCollector } from '../../src/services/gc/index.js';
import { TrackingService } from '../../src/services/tracking/index.js';
import { engines } from '../support/databases.js';
import { expectKeelError, metric, newExperiment, newRun, useSqlStore } from './sql-store-fixture.js';

for (const engine of engines) {
  describe(`SqlTrackingStore consistency under concurrency and GC (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_consistency');
    const blobRoot = mkdtempSync(join(tmpdir(), 'keel-consistency-blobs-'));
    afterAll(() => rmSync(blobRoot, { recursive: true, force: true }));
    // A server without authentication: the service checks nothing, and audits as anonymous.
    const caller = unauthenticatedCaller();
    const service = () =>
      new TrackingService({
        store: fixture.store,
        access: new AccessControl({ identity: new SqlIdentityStore(fixture.sqlDatabase) }),
      });

    it('keeps every entry of 10 concurrent legacy log-model calls', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          service().logModel(caller, runId, JSON.stringify({ artifact_path: `model-${i}`, flavors: {} })),
        ),
      );
      const run = await fixture.store.getRun(runId);
      const history = JSON.parse(run.data.tags.find((t) => t.key === 'mlflow.log-model.history')!.value);
      expect(history).toHaveLength(10);
      expect(history.map((m: { artifact_path: string }) => m.artifact_path).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => `model-${i}`).sort(),
      );
    });

    it('appends to a tag list only on an active run, starting over on an unreadable value', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      await fixture.store.logBatch(runId, {
        metrics: [],
        params: [],
        tags: [{ key: 'list', value: '{oops' }],
      });
      await fixture.store.appendToRunTagList(runId, 'list', { a: 1 });
      expect((await fixture.store.getRun(runId)).data.tags).toContainEqual({
        key: 'list',
        value: '[{"a":1}]',
      });
      await fixture.store.deleteRun(runId, 5);
      await expectKeelError(
        fixture.store.appendToRunTagList(runId, 'list', { a: 2 }),
        'INVALID_PARAMETER_VALUE',
      );
      await expectKeelError(
        fixture.store.appendToRunTagList('f'.repeat(32), 'list', 1),
        'RESOURCE_DOES_NOT_EXIST',
      );
      expect((await fixture.store.getRun(runId)).data.tags).toContainEqual({
        key: 'list',
        value: '[{"a":1}]',
      });
    });

    it('purges only what is still deleted and old enough, and reports exactly that', async () => {
      const experimentId = await newExperiment(fixture.store);
      const restored = await newRun(fixture.store, experimentId);
      const recent = await newRun(fixture.store, experimentId);
      const gone = await newRun(fixture.store, experimentId);
      await fixture.store.deleteRun(restored, 100);
      await fixture.store.deleteRun(gone, 100);
      await fixture.store.deleteRun(recent, 9_000);
      const candidates = await fixture.store.findPurgeable(1_000);
      await fixture.store.restoreRun(restored);
      const purged = await fixture.store.purge({
        runIds: [...candidates.runs.map((r) => r.runId), recent],
        experimentIds: [],
        deletedBefore: 1_000,
      });
      expect(purged.runs.map((r) => r.runId)).toContain(gone);
      expect(purged.runs.map((r) => r.runId)).not.toContain(restored);
      expect(purged.runs.map((r) => r.runId)).not.toContain(recent);
      expect(purged.runs.find((r) => r.runId === gone)?.artifactUri).toBe(
        `mlflow-artifacts:/${experimentId}/${gone}/artifacts`,
      );
      expect((await fixture.store.getRunInfo(restored)).lifecycleStage).toBe('active');
      expect((await fixture.store.getRunInfo(recent)).lifecycleStage).toBe('deleted');
      await expectKeelError(fixture.store.getRunInfo(gone), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('reports the runs purged with their experiment', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      await fixture.store.deleteExperiment(experimentId, 50);
      const purged = await fixture.store.purge({
        runIds: [],
        experimentIds: [experimentId],
        deletedBefore: 100,
      });
      expect(purged.experiments).toEqual([
        { experimentId, artifactLocation: `mlflow-artifacts:/${experimentId}` },
      ]);
      expect(purged.runs.map((r) => r.runId)).toEqual([runId]);
    });

    it('refuses to restore a run of a deleted experiment, changing nothing', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      await fixture.store.deleteExperiment(experimentId, 10);
      await expectKeelError(
        fixture.store.restoreRun(runId),
        'INVALID_PARAMETER_VALUE',
        `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`,
      );
      expect((await fixture.store.getRunInfo(runId)).lifecycleStage).toBe('deleted');
      await expectKeelError(fixture.store.restoreRun('0'.repeat(32)), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('GC keeps the artifacts of a run restored before the purge', async () => {
      const blobs = new LocalBlobStore(blobRoot);
      const experimentId = await newExperiment(fixture.store);
      const kept = await newRun(fixture.store, experimentId);
      const gone = await newRun(fixture.store, experimentId);
      for (const runId of [kept, gone]) {
        await blobs.put(`${experimentId}/${runId}/artifacts/model.pkl`, Readable.from(['bytes']));
        await fixture.store.deleteRun(runId, 10);
      }
      // The store as seen by GC, with a restore landing between listing and purging.
      const racing = {
        findPurgeable: async (before: number) => {
          const found = await fixture.store.findPurgeable(before);
          await fixture.store.restoreRun(kept);
          return found;
        },
        purge: fixture.store.purge.bind(fixture.store),
      };
      const result = await new GarbageCollector({ store: racing, blobs }).collect({
        olderThanMs: 0,
        now: 20,
      });
      expect(result.runIds).toContain(gone);
      expect(result.runIds).not.toContain(kept);
      expect((await blobs.list(`${experimentId}/${kept}/artifacts`)).files.length).toBe(1);
      expect((await blobs.list(`${experimentId}/${gone}/artifacts`)).files).toEqual([]);
      expect((await fixture.store.getRun(kept)).info.lifecycleStage).toBe('active');
    });

    it('never leaves an active run in a deleted experiment when creation races deletion', async () => {
      for (let round = 0; round < 5; round++) {
        const experimentId = await newExperiment(fixture.store);
        const creations = Array.from({ length: 6 }, () =>
          newRun(fixture.store, experimentId).then(
            () => undefined,
            () => undefined,
          ),
        );
        await Promise.all([...creations, fixture.store.deleteExperiment(experimentId, 1)]);
        const active = await fixture.sqlDatabase.db
          .selectFrom('runs')
          .select('run_uuid')
          .where('experiment_id', '=', Number(experimentId))
          .where('lifecycle_stage', '=', 'active')
          .execute();
        expect(active).toEqual([]);
      }
    });

    it('gives createLoggedModel the experiment location read in its transaction', async () => {
      const experimentId = await newExperiment(fixture.store);
      const model = await fixture.store.createLoggedModel({
        experimentId,
        name: 'm',
        params: [],
        tags: [],
        artifactUri: (modelId, location) => `${location}/models/${modelId}/artifacts`,
        now: 1,
      });
      expect(model.artifactUri).toBe(`mlflow-artifacts:/${experimentId}/models/${model.modelId}/artifacts`);
      await fixture.store.deleteExperiment(experimentId, 2);
      await expectKeelError(
        service().createLoggedModel(caller, { experimentId, name: 'n' }),
        'INVALID_PARAMETER_VALUE',
        `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`,
      );
    });

    it("samples a long history without reading it whole, keeping each run's ends", async () => {
      const experimentId = await newExperiment(fixture.store);
      const long = await newRun(fixture.store, experimentId);
      const short = await newRun(fixture.store, experimentId);
      for (let start = 0; start < 20_000; start += 1000) {
        await fixture.store.logBatch(long, {
          metrics: Array.from({ length: 1000 }, (_, i) => metric('loss', i, start + i)),
          params: [],
          tags: [],
        });
      }
      await fixture.store.logBatch(short, {
        metrics: [metric('loss', 1, 3), metric('loss', 2, 7)],
        params: [],
        tags: [],
      });
      const points = await fixture.store.getMetricHistoryBulkInterval({
        runIds: [long, short],
        key: 'loss',
        maxResults: 12,
      });
      const longSteps = points.filter((p) => p.runId === long).map((p) => p.step);
      expect(longSteps.length).toBeLessThanOrEqual(12);
      expect(longSteps[0]).toBe(0);
      expect(longSteps.at(-1)).toBe(19_999);
      expect(points.filter((p) => p.runId === short).map((p) => p.step)).toEqual([3, 7]);
    });

    it('loads only the latest metric point per key and dataset of a logged model', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      const model = await service().createLoggedModel(caller, { experimentId, name: 'latest' });
      await fixture.store.logBatch(runId, {
        metrics: [
          { ...metric('acc', 0.1, 0, 1), modelId: model.modelId },
          { ...metric('acc', 0.9, 5, 2), modelId: model.modelId },
          { ...metric('acc', 0.3, 1, 3), modelId: model.modelId },
          { ...metric('acc', 0.5, 0, 1), modelId: model.modelId, datasetName: 'val', datasetDigest: 'd1' },
        ],
        params: [],
        tags: [],
      });
      const loaded = await fixture.store.getLoggedModel(model.modelId);
      expect(loaded.metrics.map((m) => [m.key, m.step, m.value, m.datasetName ?? ''])).toEqual([
        ['acc', 0, 0.5, 'val'],
        ['acc', 5, 0.9, ''],
      ]);
    });

    it('writes the run-name and user tags in the service, keeping a given mlflow.user', async () => {
      const experimentId = await newExperiment(fixture.store);
      const run = await service().createRun(caller, {
        experimentId,
        userId: 'alice',
        runName: 'brave-owl-1',
      });
      expect(run.data.tags).toEqual([
        { key: 'mlflow.runName', value: 'brave-owl-1' },
        { key: 'mlflow.user', value: 'alice' },
      ]);
      const bob = await service().createRun(caller, {
        experimentId,
        userId: 'alice',
        runName: 'r',
        tags: [{ key: 'mlflow.user', value: 'bob' }],
      });
      expect(bob.data.tags).toContainEqual({ key: 'mlflow.user', value: 'bob' });
      expect(bob.data.tags).not.toContainEqual({ key: 'mlflow.user', value: 'alice' });
      expect((await fixture.store.getRun(bob.info.runId)).data.tags).toEqual(bob.data.tags);
    });
  });
}
