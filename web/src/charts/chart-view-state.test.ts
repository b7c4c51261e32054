import { describe, expect, test } from 'vitest';
import { parseChartView, writeChartView } from './chart-view-state.js';

describe('chart view in the URL', () => {
  test('defaults when the URL says nothing, and round-trips a full view', () => {
    expect(parseChartView(new URLSearchParams('tab=metrics'))).toEqual({
      metrics: null,
      x: 'step',
      log: false,
      smooth: 0,
      combine: false,
      steps: null,
    });
    const view = {
      metrics: ['loss', 'val/acc'],
      x: 'relative' as const,
      log: true,
      smooth: 0.6,
      combine: true,
      steps: { start: 100, end: 2000 },
    };
    const written = writeChartView(new URLSearchParams('tab=metrics'), view);
    expect(written.get('tab')).toBe('metrics');
    expect(parseChartView(written)).toEqual(view);
  });

  test('malformed values read as defaults; defaults leave the URL clean', () => {
    const view = parseChartView(new URLSearchParams('x=sideways&smooth=abc&steps=9-3&log=yes'));
    expect(view).toMatchObject({ x: 'step', smooth: 0, steps: null, log: false });
    expect(parseChartView(new URLSearchParams('smooth=5')).smooth).toBe(0.99);
    const cleared = writeChartView(new URLSearchParams('x=wall&log=1&steps=1-2'), {
      x: 'step',
      log: false,
      steps: null,
    });
    expect(cleared.toString()).toBe('');
  });
});
