import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, SqlTrackingStore, type SqlDatabase } from '../../src/backends/sql/index.js';
import { KeelError } from '../../src/core/errors.js';
import type { Metric } from '../../src/core/tracking/entities.js';
import { engines } from '../support/databases.js';
import { countRows, metric, newExperiment, newRun, useSqlStore } from './sql-store-fixture.js';

const writers = 20;

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Batch `i` of 20: its own metrics, metrics every batch shares, and a sliding window that overlaps its neighbours. */
function batchOf(i: number): {
  metrics: Metric[];
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
} {
  const metrics: Metric[] = [];
  for (let step = 0; step < 50; step++) metrics.push(metric(`own-${i}`, i * 1000 + step, step, step));
  for (let step = 0; step < 100; step++) metrics.push(metric('shared', step * 2, step, step));
  for (let step = i; step < i + 30; step++) metrics.push(metric('window', step, step, step));
  metrics.push(metric('last', i, i, 1000 + i));
  return {
    metrics: shuffled(metrics),
    params: shuffled([
      { key: 'common', value: 'same' },
      { key: `p-${i}`, value: String(i) },
    ]),
    tags: shuffled([
      { key: 'writer', value: String(i) },
      { key: `tag-${i}`, value: 'x' },
    ]),
  };
}

for (const engine of engines) {
  describe(`concurrent logBatch into one run (${engine})`, () => {
    const fixture = useSqlStore(engine, 'keel_ct_concurrency');
    // On PostgreSQL, more pools on the same database: the batches really run at once on many
    // connections. A process has one SQLite connection (its driver is synchronous: a second one in
    // the same process would block the event loop while it waits for the file lock), so on SQLite
    // the 20 batches interleave on that connection, as they do in the server.
    const extra: SqlDatabase[] = [];
    let stores: SqlTrackingStore[] = [];
    beforeAll(() => {
      const extraPools = engine === 'postgres' ? 3 : 0;
      for (let i = 0; i < extraPools; i++) extra.push(openDatabase(fixture.uri));
      stores = [fixture.store, ...extra.map((db) => new SqlTrackingStore(db))];
    });
    afterAll(async () => {
      await Promise.all(extra.map((db) => db.close()));
    });

    it('loses and duplicates nothing across 20 concurrent batches with overlapping metrics', async () => {
      for (let round = 0; round < 3; round++) {
        const runId = await newRun(fixture.store, await newExperiment(fixture.store));
        const results = await Promise.allSettled(
          Array.from({ length: writers }, (_, i) => stores[i % stores.length]!.logBatch(runId, batchOf(i))),
        );
        expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

        const history = async (key: string) =>
          (await fixture.store.getMetricHistory(runId, key, { maxResults: 25_000 })).items;
        for (let i = 0; i < writers; i++) expect(await history(`own-${i}`)).toHaveLength(50);
        expect(await history('shared')).toHaveLength(100);
        expect((await history('window')).map((m) => m.step)).toEqual(Array.from({ length: 49 }, (_, s) => s));
        expect(await history('last')).toHaveLength(writers);
        expect(await countRows(fixture.sqlDatabase, 'metrics', runId)).toBe(
          writers * 50 + 100 + 49 + writers,
        );
        expect(await countRows(fixture.sqlDatabase, 'latest_metrics', runId)).toBe(writers + 3);
        expect(await countRows(fixture.sqlDatabase, 'params', runId)).toBe(writers + 1);

        const run = await fixture.store.getRun(runId);
        const latest = Object.fromEntries(run.data.metrics.map((m) => [m.key, m]));
        expect(latest.shared).toEqual({ key: 'shared', value: 198, step: 99, timestamp: 99 });
        expect(latest.window).toEqual({ key: 'window', value: 48, step: 48, timestamp: 48 });
        expect(latest.last).toEqual({
          key: 'last',
          value: writers - 1,
          step: writers - 1,
          timestamp: 1000 + writers - 1,
        });
        expect(latest['own-7']).toEqual({ key: 'own-7', value: 7049, step: 49, timestamp: 49 });
        expect(run.data.params).toContainEqual({ key: 'common', value: 'same' });
        const writer = run.data.tags.find((t) => t.key === 'writer');
        expect(Number(writer?.value)).toBeGreaterThanOrEqual(0);
        expect(run.data.tags.filter((t) => t.key.startsWith('tag-'))).toHaveLength(writers);
      }
    });

    it('lets exactly one of many concurrent batches set a param, rolling the others back whole', async () => {
      const runId = await newRun(fixture.store, await newExperiment(fixture.store));
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          stores[i % stores.length]!.logBatch(runId, {
            metrics: [metric(`only-${i}`, i)],
            params: [{ key: 'race', value: String(i) }],
            tags: [],
          }),
        ),
      );
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(won).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') {
          expect(result.reason).toBeInstanceOf(KeelError);
          expect((result.reason as KeelError).code).toBe('INVALID_PARAMETER_VALUE');
        }
      }
      const run = await fixture.store.getRun(runId);
      expect(run.data.params).toEqual([{ key: 'race', value: String(won[0]) }]);
      expect(run.data.metrics.map((m) => m.key)).toEqual([`only-${won[0]}`]);
    });
  });
}
