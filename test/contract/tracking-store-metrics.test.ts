import { describe, expect, it } from 'vitest';
import { SqlTrackingStore } from '../../src/backends/sql/index.js';
import type { Metric } from '../../src/core/tracking/entities.js';
import { sampleStepsAcrossRuns } from '../../src/core/tracking/index.js';
import { engines } from '../support/databases.js';
import {
  countRows,
  expectKeelError,
  metric,
  newExperiment,
  newRun,
  useSqlStore,
} from './sql-store-fixture.js';

for (const engine of engines) {
  describe(`SqlTrackingStore metrics, params and tags (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_metrics');
    const freshRun = async () => newRun(fixture.store, await newExperiment(fixture.store));

    it('logs a batch of metrics, params and tags that getRun reads back', async () => {
      const runId = await freshRun();
      await fixture.store.logBatch(runId, {
        metrics: [metric('loss', 0.5, 0, 100), metric('loss', 0.25, 1, 200), metric('acc', 0.9, 0, 100)],
        params: [
          { key: 'lr', value: '0.1' },
          { key: 'layers', value: '3' },
        ],
        tags: [{ key: 'team', value: 'vision' }],
      });
      const run = await fixture.store.getRun(runId);
      expect(run.data.metrics).toEqual([
        { key: 'acc', value: 0.9, step: 0, timestamp: 100 },
        { key: 'loss', value: 0.25, step: 1, timestamp: 200 },
      ]);
      expect(run.data.params).toEqual([
        { key: 'layers', value: '3' },
        { key: 'lr', value: '0.1' },
      ]);
      expect(run.data.tags).toContainEqual({ key: 'team', value: 'vision' });
    });

    it('keeps the latest point per key: max step, then max timestamp, then max value', async () => {
      const runId = await freshRun();
      const latest = async () => (await fixture.store.getRun(runId)).data.metrics[0];
      await fixture.store.logBatch(runId, {
        metrics: [metric('m', 1, 5, 100), metric('m', 2, 4, 900)],
        params: [],
        tags: [],
      });
      expect(await latest()).toEqual({ key: 'm', value: 1, step: 5, timestamp: 100 });
      await fixture.store.logBatch(runId, { metrics: [metric('m', 3, 3, 5000)], params: [], tags: [] });
      expect(await latest()).toEqual({ key: 'm', value: 1, step: 5, timestamp: 100 });
      await fixture.store.logBatch(runId, { metrics: [metric('m', -7, 5, 101)], params: [], tags: [] });
      expect(await latest()).toEqual({ key: 'm', value: -7, step: 5, timestamp: 101 });
      await fixture.store.logBatch(runId, {
        metrics: [metric('m', -6, 5, 101), metric('m', -8, 5, 101)],
        params: [],
        tags: [],
      });
      expect(await latest()).toEqual({ key: 'm', value: -6, step: 5, timestamp: 101 });
      await fixture.store.logBatch(runId, { metrics: [metric('m', 0, -1, 99999)], params: [], tags: [] });
      expect(await latest()).toEqual({ key: 'm', value: -6, step: 5, timestamp: 101 });
      expect(await countRows(fixture.sqlDatabase, 'metrics', runId)).toBe(7);
      expect(await countRows(fixture.sqlDatabase, 'latest_metrics', runId)).toBe(1);
    });

    it('round-trips NaN and +-Infinity through history and latest values', async () => {
      const runId = await freshRun();
      await fixture.store.logBatch(runId, {
        metrics: [
          metric('nan', Number.NaN, 0),
          metric('inf', Number.POSITIVE_INFINITY, 0),
          metric('inf', Number.NEGATIVE_INFINITY, 1),
          metric('inf', Number.NaN, 1),
          metric('big', Number.MAX_VALUE, 0),
          metric('both', Number.POSITIVE_INFINITY, 0, 5),
          metric('both', Number.NEGATIVE_INFINITY, 0, 5),
        ],
        params: [],
        tags: [],
      });
      // A retry of NaN is a duplicate, not a new point.
      await fixture.store.logBatch(runId, { metrics: [metric('nan', Number.NaN, 0)], params: [], tags: [] });
      const run = await fixture.store.getRun(runId);
      const latest = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
      expect(latest.nan).toBeNaN();
      expect(latest.big).toBe(Number.MAX_VALUE);
      const history = await fixture.store.getMetricHistory(runId, 'inf', { maxResults: 10 });
      expect(history.items.map((m) => [m.step, m.value])).toEqual([
        [0, Number.POSITIVE_INFINITY],
        [1, Number.NEGATIVE_INFINITY],
        [1, Number.NaN],
      ]);
      expect((await fixture.store.getMetricHistory(runId, 'nan', { maxResults: 10 })).items).toHaveLength(1);
      const both = await fixture.store.getMetricHistory(runId, 'both', { maxResults: 1 });
      expect(both.items.map((m) => m.value)).toEqual([Number.NEGATIVE_INFINITY]);
      const rest = await fixture.store.getMetricHistory(runId, 'both', {
        maxResults: 1,
        pageToken: both.nextPageToken!,
      });
      expect(rest).toEqual({
        items: [{ key: 'both', value: Number.POSITIVE_INFINITY, step: 0, timestamp: 5 }],
      });
      expect(latest.both).toBe(Number.POSITIVE_INFINITY);
    });

    it('is idempotent: a retried batch stores nothing twice', async () => {
      const runId = await freshRun();
      const batch = {
        metrics: [metric('a', 1, 0), metric('a', 1, 0), metric('a', 2, 1), metric('b', 3, 0)],
        params: [{ key: 'p', value: 'v' }],
        tags: [{ key: 't', value: 'x' }],
      };
      await fixture.store.logBatch(runId, batch);
      await fixture.store.logBatch(runId, batch);
      await fixture.store.logBatch(runId, batch);
      expect(await countRows(fixture.sqlDatabase, 'metrics', runId)).toBe(3);
      expect(await countRows(fixture.sqlDatabase, 'params', runId)).toBe(1);
      expect((await fixture.store.getMetricHistory(runId, 'a', { maxResults: 100 })).items).toEqual([
        { key: 'a', value: 1, step: 0, timestamp: 10 },
        { key: 'a', value: 2, step: 1, timestamp: 10 },
      ]);
    });

    it('refuses a changed param and stores nothing of that batch', async () => {
      const runId = await freshRun();
      await fixture.store.logBatch(runId, {
        metrics: [metric('m', 1, 0)],
        params: [{ key: 'p', value: '1' }],
        tags: [{ key: 't', value: 'old' }],
      });
      const before = await fixture.store.getRun(runId);
      await expectKeelError(
        fixture.store.logBatch(runId, {
          metrics: [metric('m', 5, 9), metric('n', 1, 0)],
          params: [
            { key: 'a-new', value: 'x' },
            { key: 'p', value: '2' },
          ],
          tags: [
            { key: 't', value: 'new' },
            { key: 'mlflow.runName', value: 'renamed' },
          ],
        }),
        'INVALID_PARAMETER_VALUE',
        `Changing param values is not allowed. Param with key='p' was already logged with value='1' for run ID='${runId}'. Attempted logging new value '2'.`,
      );
      expect(await fixture.store.getRun(runId)).toEqual(before);
      expect(await countRows(fixture.sqlDatabase, 'metrics', runId)).toBe(1);
      expect(await countRows(fixture.sqlDatabase, 'params', runId)).toBe(1);
      // The same value again is accepted.
      await fixture.store.logBatch(runId, { metrics: [], params: [{ key: 'p', value: '1' }], tags: [] });
    });

    it('refuses two values for one param key inside a batch', async () => {
      const runId = await freshRun();
      await expectKeelError(
        fixture.store.logBatch(runId, {
          metrics: [],
          params: [
            { key: 'd', value: '1' },
            { key: 'd', value: '2' },
          ],
          tags: [],
        }),
        'INVALID_PARAMETER_VALUE',
      );
      expect(await countRows(fixture.sqlDatabase, 'params', runId)).toBe(0);
    });

    it('lets the last tag write win and syncs the run name from mlflow.runName', async () => {
      const runId = await freshRun();
      await fixture.store.logBatch(runId, {
        metrics: [],
        params: [],
        tags: [
          { key: 't', value: '1' },
          { key: 't', value: '2' },
        ],
      });
      await fixture.store.logBatch(runId, {
        metrics: [],
        params: [],
        tags: [{ key: 'mlflow.runName', value: 'new-name' }],
      });
      const run = await fixture.store.getRun(runId);
      expect(run.info.runName).toBe('new-name');
      expect(run.data.tags).toContainEqual({ key: 't', value: '2' });
      expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'new-name' });
    });

    it('stores a full batch in statements split under a small bind-parameter limit', async () => {
      const runId = await freshRun();
      const tiny = new SqlTrackingStore({
        ...fixture.sqlDatabase,
        caps: { ...fixture.sqlDatabase.caps, maxBindParameters: 50 },
      });
      const metrics: Metric[] = [];
      for (let i = 0; i < 1000; i++) metrics.push(metric(`k${i % 37}`, i, i, 1000 + i));
      const params = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
      const tags = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: String(i) }));
      await tiny.logBatch(runId, { metrics, params, tags });
      await tiny.logBatch(runId, { metrics, params, tags });
      expect(await countRows(fixture.sqlDatabase, 'metrics', runId)).toBe(1000);
      expect(await countRows(fixture.sqlDatabase, 'latest_metrics', runId)).toBe(37);
      expect(await countRows(fixture.sqlDatabase, 'params', runId)).toBe(100);
      const run = await tiny.getRun(runId);
      expect(run.data.metrics.find((m) => m.key === 'k0')).toEqual({
        key: 'k0',
        value: 999,
        step: 999,
        timestamp: 1999,
      });
    });

    it('pages through a metric history in (step, timestamp, value) order', async () => {
      const runId = await freshRun();
      const metrics: Metric[] = [];
      for (let step = 0; step < 10; step++) {
        metrics.push(metric('h', step === 4 ? Number.POSITIVE_INFINITY : step, step, 50));
        metrics.push(metric('h', -step - 0.5, step, 50));
        metrics.push(metric('h', step, step, 20));
      }
      await fixture.store.logBatch(runId, { metrics: [...metrics].reverse(), params: [], tags: [] });
      const seen: Metric[] = [];
      let pageToken: string | undefined;
      let pages = 0;
      do {
        const page = await fixture.store.getMetricHistory(runId, 'h', {
          maxResults: 7,
          ...(pageToken ? { pageToken } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(7);
        seen.push(...page.items);
        pageToken = page.nextPageToken;
        pages += 1;
      } while (pageToken);
      expect(pages).toBe(5); // 30 points, 7 a page
      const sorted = [...new Map(metrics.map((m) => [JSON.stringify(m), m])).values()].sort(
        (a, b) => a.step - b.step || a.timestamp - b.timestamp || a.value - b.value,
      );
      expect(seen).toEqual(sorted);
    });

    it('answers an empty page for an unknown run or key, and rejects a malformed token', async () => {
      const runId = await freshRun();
      expect(await fixture.store.getMetricHistory('0'.repeat(32), 'm', { maxResults: 10 })).toEqual({
        items: [],
      });
      expect(await fixture.store.getMetricHistory(runId, 'missing', { maxResults: 10 })).toEqual({
        items: [],
      });
      for (const token of ['not-a-token', 'eyJvZmZzZXQiOiAwfQ==', Buffer.from('[1]').toString('base64url')]) {
        await expectKeelError(
          fixture.store.getMetricHistory(runId, 'm', { maxResults: 10, pageToken: token }),
          'INVALID_PARAMETER_VALUE',
          /page token/i,
        );
      }
    });

    it('samples up to maxResults points per run for the bulk interval, keeping the first and last steps', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runA = await newRun(fixture.store, experimentId);
      const runB = await newRun(fixture.store, experimentId);
      const history = (offset: number) =>
        Array.from({ length: 100 }, (_, step) => metric('curve', step + offset, step, step));
      await fixture.store.logBatch(runA, { metrics: history(0), params: [], tags: [] });
      await fixture.store.logBatch(runB, {
        metrics: history(1000).filter((m) => m.step % 2 === 0),
        params: [],
        tags: [],
      });
      const [first, second] = [runA, runB].sort();

      const points = await fixture.store.getMetricHistoryBulkInterval({
        runIds: [runB, runA, 'f'.repeat(32)],
        key: 'curve',
        maxResults: 10,
      });
      const byRun = (id: string) => points.filter((p) => p.runId === id).map((p) => p.step);
      expect(points.map((p) => p.runId)).toEqual([
        ...byRun(first!).map(() => first),
        ...byRun(second!).map(() => second),
      ]);
      for (const id of [runA, runB]) {
        const steps = byRun(id);
        expect(steps.length).toBeGreaterThan(2);
        expect(steps.length).toBeLessThanOrEqual(10);
        expect(steps).toEqual([...steps].sort((a, b) => a - b));
      }
      // Each run's line reaches its own ends.
      expect(byRun(runA)[0]).toBe(0);
      expect(byRun(runA).at(-1)).toBe(99);
      expect(byRun(runB)[0]).toBe(0);
      expect(byRun(runB).at(-1)).toBe(98);
      expect(points.find((p) => p.runId === runA && p.step === 0)).toEqual({
        runId: runA,
        key: 'curve',
        value: 0,
        step: 0,
        timestamp: 0,
      });

      // Runs ending at different steps each keep their own ends, still within maxResults each.
      const runC = await newRun(fixture.store, experimentId);
      await fixture.store.logBatch(runC, {
        metrics: history(5).filter((m) => m.step >= 3 && m.step <= 61),
        params: [],
        tags: [],
      });
      const three = await fixture.store.getMetricHistoryBulkInterval({
        runIds: [runA, runB, runC],
        key: 'curve',
        maxResults: 5,
      });
      for (const [id, first, last] of [
        [runA, 0, 99],
        [runB, 0, 98],
        [runC, 3, 61],
      ] as const) {
        const steps = three.filter((p) => p.runId === id).map((p) => p.step);
        expect(steps.length).toBeLessThanOrEqual(5);
        expect(steps[0]).toBe(first);
        expect(steps.at(-1)).toBe(last);
      }

      const window = await fixture.store.getMetricHistoryBulkInterval({
        runIds: [runA],
        key: 'curve',
        startStep: 10,
        endStep: 20,
        maxResults: 100,
      });
      expect(window.map((p) => p.step)).toEqual(Array.from({ length: 11 }, (_, i) => 10 + i));
      expect(
        await fixture.store.getMetricHistoryBulkInterval({ runIds: [runA], key: 'nope', maxResults: 5 }),
      ).toEqual([]);
    });

    it('picks exactly the steps the pure sampling picks, for histories with and without gaps', async () => {
      const experimentId = await newExperiment(fixture.store);
      // Every step from 5 to 404 (read without a pass over the steps), and steps with gaps and a
      // negative start (read by position in SQL): both must agree with sampleStepsAcrossRuns.
      const dense = await newRun(fixture.store, experimentId);
      const sparse = await newRun(fixture.store, experimentId);
      const denseSteps = Array.from({ length: 400 }, (_, i) => 5 + i);
      const sparseSteps = Array.from({ length: 300 }, (_, i) => i * i - 40);
      await fixture.store.logBatch(dense, {
        metrics: denseSteps.map((step) => metric('loss', step / 7, step, step)),
        params: [],
        tags: [],
      });
      await fixture.store.logBatch(sparse, {
        metrics: sparseSteps.map((step) => metric('loss', step / 3, step, 1)),
        params: [],
        tags: [],
      });
      const cases: [string[], number[][], number, number?, number?][] = [
        [[dense], [denseSteps], 50],
        [[dense], [denseSteps], 7, 100, 300],
        [[sparse], [sparseSteps], 50],
        [[sparse], [sparseSteps], 9, 0, 5000],
        [[dense, sparse], [denseSteps, sparseSteps], 30],
        [[dense, sparse], [denseSteps, sparseSteps], 1000],
      ];
      for (const [runIds, stepsPerRun, maxResults, startStep, endStep] of cases) {
        const points = await fixture.store.getMetricHistoryBulkInterval({
          runIds,
          key: 'loss',
          maxResults,
          startStep,
          endStep,
        });
        const union = sampleStepsAcrossRuns(stepsPerRun, Math.max(1, maxResults - 2), startStep, endStep);
        const fits =
          new Set(
            stepsPerRun.flat().filter((s) => (startStep ?? -Infinity) <= s && s <= (endStep ?? Infinity)),
          ).size <= maxResults;
        runIds.forEach((runId, index) => {
          const own = new Set(stepsPerRun[index]);
          const inRange = stepsPerRun[index]!.filter(
            (s) => (startStep ?? -Infinity) <= s && s <= (endStep ?? Infinity),
          );
          const expected = fits ? inRange : union.filter((step) => own.has(step));
          expect(points.filter((p) => p.runId === runId).map((p) => p.step)).toEqual(expected);
        });
      }
    });

    it('records metrics that name a logged model for that model too', async () => {
      const experimentId = await newExperiment(fixture.store);
      const runId = await newRun(fixture.store, experimentId);
      const model = await fixture.store.createLoggedModel({
        experimentId,
        name: 'model',
        params: [],
        tags: [],
        artifactUri: (id) => `mlflow-artifacts:/${experimentId}/models/${id}/artifacts`,
        now: 1,
      });
      const point = {
        ...metric('auc', 0.8, 2, 30),
        modelId: model.modelId,
        datasetName: 'eval',
        datasetDigest: 'd1',
      };
      await fixture.store.logBatch(runId, { metrics: [point, metric('plain', 1)], params: [], tags: [] });
      await fixture.store.logBatch(runId, { metrics: [point], params: [], tags: [] });
      expect((await fixture.store.getLoggedModel(model.modelId)).metrics).toEqual([point]);
      expect(await countRows(fixture.sqlDatabase, 'metrics', runId)).toBe(2);

      await expectKeelError(
        fixture.store.logBatch(runId, {
          metrics: [metric('x', 1), { ...metric('y', 1), modelId: 'm-unknown' }],
          params: [],
          tags: [],
        }),
        'RESOURCE_DOES_NOT_EXIST',
        "Logged model with ID 'm-unknown' not found.",
      );
      expect(await countRows(fixture.sqlDatabase, 'metrics', runId)).toBe(2);
    });
  });
}
