import { describe, expect, it } from 'vitest';
import { toRunRow } from '../../data/run-rows.js';
import type { Run } from '../../data/keel-sdk.js';
import { collectKeys, keyColumn, orderByClause } from './run-columns.js';
import { groupItems } from './run-groups.js';

function run(runId: string, params: Record<string, string>, metrics: Record<string, number> = {}): Run {
  return {
    info: {
      runId,
      runName: runId,
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

describe('runs table columns', () => {
  it('orders by MLflow names, backquoting keys that are not plain identifiers', () => {
    expect(orderByClause('metrics.loss', true)).toBe('metrics.loss DESC');
    expect(orderByClause('params.learning rate', false)).toBe('params.`learning rate` ASC');
    expect(orderByClause('tags.mlflow.user', false)).toBe('tags.`mlflow.user` ASC');
    expect(orderByClause('attributes.start_time', false)).toBe('attributes.start_time ASC');
  });

  it('reads a cell by key, and refuses ids that name no kind', () => {
    const row = toRunRow(run('a', { lr: '0.1' }, { loss: 0.5 }));
    expect(keyColumn('metrics.loss')?.value(row)).toBe(0.5);
    expect(keyColumn('params.lr')?.value(row)).toBe('0.1');
    expect(keyColumn('params.missing')?.value(row)).toBeUndefined();
    expect(keyColumn('weights.x')).toBeUndefined();
    expect(keyColumn('metrics.')).toBeUndefined();
  });

  it('collects the keys of every loaded page, sorted', () => {
    const pages = [[toRunRow(run('a', { b: '1' }, { z: 1 }))], [toRunRow(run('b', { a: '2' }, { y: 2 }))]];
    expect(collectKeys(pages)).toEqual({ metrics: ['y', 'z'], params: ['a', 'b'], tags: [] });
  });

  it('puts a heading before each group and leaves out the runs of folded groups', () => {
    const rows = [run('a', { model: 'tree' }), run('b', { model: 'tree' }), run('c', {})].map(toRunRow);
    const column = keyColumn('params.model')!;
    const items = groupItems(rows, column, new Set(['(no value)']));
    expect(
      items.map((item) =>
        item.kind === 'group' ? `[${item.value} ${item.count}]` : item.row.run.info.runId,
      ),
    ).toEqual(['[tree 2]', 'a', 'b', '[(no value) 1]']);
  });
});
