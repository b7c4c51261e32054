import { describe, expect, test } from 'vitest';
import type { Metric } from '../data/keel-sdk.js';
import { alignSeries, panRange, scaleRange, smooth, sparkPath, stepsBetween, toSeries } from './series.js';

const point = (step: number, value: number, timestamp = 1_000_000 + step * 1000): Metric => ({
  key: 'loss',
  value,
  step,
  timestamp,
});

describe('chart series', () => {
  test('orders points by x for each axis mode and keeps the steps', () => {
    const points = [point(2, 0.5, 1_003_000), point(0, 1, 1_001_000), point(1, 0.7, 1_002_000)];
    expect(toSeries('loss', points, 'step', 0, false)).toEqual({
      key: 'loss',
      x: [0, 1, 2],
      y: [1, 0.7, 0.5],
      steps: [0, 1, 2],
    });
    expect(toSeries('loss', points, 'wall', 0, false).x).toEqual([1001, 1002, 1003]);
    expect(toSeries('loss', points, 'relative', 1_000_000, false).x).toEqual([1, 2, 3]);
  });

  test('leaves gaps for values a log scale (or any scale) cannot draw', () => {
    const points = [point(0, 0), point(1, -1), point(2, Number.NaN), point(3, 2)];
    expect(toSeries('m', points, 'step', 0, true).y).toEqual([null, null, null, 2]);
    expect(toSeries('m', points, 'step', 0, false).y).toEqual([0, -1, null, 2]);
  });

  test('EMA smoothing is debiased, skips gaps, and weight 0 is the identity', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const smoothed = smooth([4, null, 4, 4], 0.9);
    expect(smoothed[0]).toBeCloseTo(4);
    expect(smoothed[1]).toBeNull();
    expect(smoothed[3]).toBeCloseTo(4);
    const ramp = smooth([0, 10], 0.5);
    expect(ramp[1]).toBeCloseTo((0.5 * 0 * 0.5 + 0.5 * 10) / 0.75);
  });

  test('aligns several series on the union of their x values', () => {
    const a = { key: 'a', x: [0, 2], y: [1, 3], steps: [0, 2] };
    const b = { key: 'b', x: [1, 2], y: [5, 6], steps: [1, 2] };
    expect(alignSeries([a, b])).toEqual([
      [0, 1, 2],
      [1, null, 3],
      [null, 5, 6],
    ]);
  });

  test('turns a dragged x range into the steps drawn inside it, in any axis mode', () => {
    const series = toSeries(
      'loss',
      Array.from({ length: 100 }, (_, step) => point(step * 10, step)),
      'wall',
      0,
      false,
    );
    expect(stepsBetween([series], series.x[10]! - 0.5, series.x[20]! + 0.5)).toEqual({
      start: 100,
      end: 200,
    });
    expect(stepsBetween([series], 0, 1)).toBeNull();
  });

  test('pans and scales a step range within the history', () => {
    const bounds = { start: 0, end: 1000 };
    expect(panRange({ start: 100, end: 200 }, 0.5, bounds)).toEqual({ start: 150, end: 250 });
    expect(panRange({ start: 900, end: 990 }, 1, bounds)).toEqual({ start: 910, end: 1000 });
    expect(panRange({ start: 10, end: 110 }, -1, bounds)).toEqual({ start: 0, end: 100 });
    expect(scaleRange({ start: 0, end: 1000 }, 0.5, bounds)).toEqual({ start: 250, end: 750 });
    expect(scaleRange({ start: 400, end: 600 }, 10, bounds)).toEqual(bounds);
  });

  test('a sparkline path spans the box and needs two finite values', () => {
    expect(sparkPath([1], 100, 20)).toBe('');
    const path = sparkPath([0, 1, Number.NaN, 0.5], 100, 20);
    expect(path.startsWith('M0.0 19.0')).toBe(true);
    expect(path).toContain('L100.0');
  });
});
