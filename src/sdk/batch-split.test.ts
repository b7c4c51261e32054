import { describe, expect, it } from 'vitest';
import type { Metric } from '../core/tracking/index.js';
import { batchEntries, mlflowBatchLimits, splitBatch } from './batch-split.js';
import type { BatchEntry } from './batch-split.js';

const metric = (i: number): Metric => ({ key: `m${i % 7}`, value: i, timestamp: 1000 + i, step: i });

describe('splitBatch', () => {
  it('returns no batch for no entries', () => {
    expect(splitBatch([])).toEqual([]);
  });

  it('splits 2500 metrics and 250 params within MLflow limits, keeping their order', () => {
    const metrics = Array.from({ length: 2500 }, (_, i) => metric(i));
    const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const batches = splitBatch(batchEntries({ metrics, params }));
    for (const b of batches) {
      expect(b.metrics.length).toBeLessThanOrEqual(1000);
      expect(b.params.length).toBeLessThanOrEqual(100);
      expect(b.metrics.length + b.params.length + b.tags.length).toBeLessThanOrEqual(1000);
      expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThan(1_000_000);
    }
    expect(batches.flatMap((b) => b.metrics)).toEqual(metrics);
    expect(batches.flatMap((b) => b.params)).toEqual(params);
    expect(batches.length).toBe(3);
  });

  it('keeps each request under the byte limit when values are large', () => {
    const tags = Array.from({ length: 400 }, (_, i) => ({ key: `t${i}`, value: 'x'.repeat(8000) }));
    const batches = splitBatch(batchEntries({ tags }), { ...mlflowBatchLimits, maxTags: 1000 });
    expect(batches.length).toBeGreaterThan(3);
    for (const b of batches) expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThan(1_000_000);
    expect(batches.flatMap((b) => b.tags)).toEqual(tags);
  });

  it('drops a repeated param with the same value and splits at a changed one', () => {
    const entries: BatchEntry[] = [
      { kind: 'param', param: { key: 'lr', value: '0.1' } },
      { kind: 'param', param: { key: 'lr', value: '0.1' } },
      { kind: 'param', param: { key: 'lr', value: '0.2' } },
    ];
    const batches = splitBatch(entries);
    expect(batches.map((b) => b.params)).toEqual([
      [{ key: 'lr', value: '0.1' }],
      [{ key: 'lr', value: '0.2' }],
    ]);
  });

  it('starts a new batch at a repeated tag key so the last value wins in order', () => {
    const entries: BatchEntry[] = [
      { kind: 'tag', tag: { key: 'phase', value: 'a' } },
      { kind: 'metric', metric: metric(1) },
      { kind: 'tag', tag: { key: 'phase', value: 'b' } },
    ];
    const batches = splitBatch(entries);
    expect(batches).toHaveLength(2);
    expect(batches[1]?.tags).toEqual([{ key: 'phase', value: 'b' }]);
  });

  it('honours a smaller entry limit', () => {
    const entries = Array.from({ length: 25 }, (_, i): BatchEntry => ({ kind: 'metric', metric: metric(i) }));
    const batches = splitBatch(entries, { ...mlflowBatchLimits, maxEntries: 10 });
    expect(batches.map((b) => b.metrics.length)).toEqual([10, 10, 5]);
  });
});
