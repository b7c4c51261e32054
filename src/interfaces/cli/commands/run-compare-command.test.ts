import { describe, expect, it } from 'vitest';
import type { Run } from '../../../core/tracking/index.js';
import { compareRuns } from './run-compare-command.js';

function run(id: string, params: Record<string, string>, metrics: Record<string, number>): Run {
  return {
    info: {
      runId: id,
      runName: id,
      experimentId: '1',
      userId: '',
      status: 'FINISHED',
      startTime: 1,
      endTime: 2,
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

describe('compareRuns', () => {
  it('lines up status, params and metrics by key and marks differences', () => {
    const rows = compareRuns([
      run('a', { lr: '0.1', seed: '1' }, { f1: 0.8, nan: Number.NaN }),
      run('b', { lr: '0.2', seed: '1' }, { nan: Number.NaN }),
    ]);
    expect(rows).toEqual([
      { key: 'status', values: ['FINISHED', 'FINISHED'], differs: false },
      { key: 'params.lr', values: ['0.1', '0.2'], differs: true },
      { key: 'params.seed', values: ['1', '1'], differs: false },
      { key: 'metrics.f1', values: [0.8, null], differs: true },
      { key: 'metrics.nan', values: [Number.NaN, Number.NaN], differs: false },
    ]);
  });
});
