import { describe, expect, test } from 'vitest';
import type { Run } from '../data/keel-sdk.js';
import {
  chartBatches,
  chartPointsPerRun,
  diffRows,
  makeAxis,
  numericValue,
  parseCompareChartView,
  parseRunIds,
  writeCompareChartView,
} from './compare-model.js';

function run(id: string, params: Record<string, string>, metrics: Record<string, number>): Run {
  return {
    info: {
      runId: id,
      runName: id,
      experimentId: '1',
      userId: 'u',
      status: 'FINISHED',
      startTime: 0,
      endTime: 1,
      artifactUri: '',
      lifecycleStage: 'active',
    },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: 0 })),
      tags: [],
    },
    inputs: { datasetInputs: [], modelInputs: [] },
    outputs: { modelOutputs: [] },
  };
}

describe('the compare model', () => {
  test('run ids from the URL: trimmed, without empties or duplicates', () => {
    expect(parseRunIds(' a,b,,a , c')).toEqual(['a', 'b', 'c']);
    expect(parseRunIds(null)).toEqual([]);
  });

  test('the diff: params then metrics by key; a key missing in one run differs', () => {
    const rows = diffRows([
      run('a', { lr: '0.1', epochs: '10' }, { loss: 0.5, acc: 0.9 }),
      run('b', { lr: '0.2', epochs: '10' }, { loss: 0.5 }),
    ]);
    expect(rows.map((row) => [row.id, row.equal])).toEqual([
      ['params.epochs', true],
      ['params.lr', false],
      ['metrics.acc', false],
      ['metrics.loss', true],
    ]);
    expect(rows[2]!.values).toEqual([0.9, undefined]);
  });

  test('numeric values: metrics as they are, params when they parse', () => {
    const r = run('a', { lr: '1e-3', model: 'tree', blank: '' }, { loss: Number.NaN, acc: 1 });
    expect(numericValue(r, 'params.lr')).toBe(0.001);
    expect(numericValue(r, 'params.model')).toBeUndefined();
    expect(numericValue(r, 'params.blank')).toBeUndefined();
    expect(numericValue(r, 'metrics.loss')).toBeUndefined();
    expect(numericValue(r, 'metrics.acc')).toBe(1);
  });

  test('axes: log only when every value is above 0; categories for text; one value sits mid-axis', () => {
    const log = makeAxis([0.001, 0.01, 0.1], true);
    expect(log.kind).toBe('log');
    expect(log.position(0.01)).toBeCloseTo(0.5);
    const unsafe = makeAxis([0, 1, 10], true);
    expect(unsafe.kind).toBe('linear');
    expect(unsafe.note).toMatch(/above 0/);
    expect(unsafe.position(10)).toBe(1);
    const categories = makeAxis(['tree', 'forest', undefined, 'tree'], false);
    expect(categories.kind).toBe('category');
    expect([categories.position('forest'), categories.position('tree')]).toEqual([0, 1]);
    expect(makeAxis([5, 5], false).position(5)).toBe(0.5);
  });
});

describe('compare charts', () => {
  test('batches run ids by 100 and keeps the total points near 20,000', () => {
    const ids = Array.from({ length: 200 }, (_, index) => `r${index}`);
    expect(chartBatches(ids).map((batch) => batch.length)).toEqual([100, 100]);
    expect(chartBatches(ids.slice(0, 3))).toEqual([['r0', 'r1', 'r2']]);
    expect(chartPointsPerRun(200, 1)).toBe(100);
    expect(chartPointsPerRun(200, 2)).toBe(50);
    expect(chartPointsPerRun(3, 1)).toBe(2000);
    expect(chartPointsPerRun(200, 50)).toBe(10);
  });

  test('reads and writes its view in the URL without touching the other parameters', () => {
    const search = new URLSearchParams('runs=a,b&x=params.lr');
    const next = writeCompareChartView(search, {
      metrics: ['loss', 'acc'],
      x: 'wall',
      log: true,
      smooth: 0.5,
    });
    expect(next.toString()).toBe('runs=a%2Cb&x=params.lr&charts=loss%2Cacc&cx=wall&clog=1&csmooth=0.50');
    expect(parseCompareChartView(next)).toEqual({
      metrics: ['loss', 'acc'],
      x: 'wall',
      log: true,
      smooth: 0.5,
    });
    expect(parseCompareChartView(new URLSearchParams('cx=bad&csmooth=9'))).toEqual({
      metrics: [],
      x: 'step',
      log: false,
      smooth: 0.99,
    });
    const reset = writeCompareChartView(next, { metrics: [], x: 'step', log: false, smooth: 0 });
    expect(reset.toString()).toBe('runs=a%2Cb&x=params.lr');
  });
});
