import { describe, expect, it } from 'vitest';
import { encodeDouble } from '../core/tracking/index.js';
import { decodeDouble, decodeRun, encodeMetric, toTagList } from './wire-format.js';

describe('wire format', () => {
  it('round-trips non-finite doubles as MLflow strings', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, -0.25]) {
      expect(decodeDouble(encodeDouble(value))).toBe(value);
    }
    expect(encodeDouble(Number.NaN)).toBe('NaN');
    expect(decodeDouble('2.5')).toBe(2.5);
  });

  it('encodes a metric in snake_case with optional fields only when set', () => {
    expect(encodeMetric({ key: 'k', value: Number.POSITIVE_INFINITY, timestamp: 5, step: 2 })).toEqual({
      key: 'k',
      value: 'Infinity',
      timestamp: 5,
      step: 2,
    });
    expect(encodeMetric({ key: 'k', value: 1, timestamp: 5, step: 2, datasetDigest: 'd' })).toHaveProperty(
      'dataset_digest',
      'd',
    );
  });

  it('decodes a sparse run, filling omitted lists with empty ones', () => {
    const run = decodeRun({
      info: {
        run_uuid: 'abc',
        experiment_id: '1',
        status: 'FINISHED',
        start_time: '12',
        lifecycle_stage: 'active',
      },
      data: { metrics: [{ key: 'loss', value: 'NaN', timestamp: 3 }] },
    });
    expect(run.info).toMatchObject({ runId: 'abc', startTime: 12, endTime: null, status: 'FINISHED' });
    expect(run.data.metrics[0]).toEqual({ key: 'loss', value: Number.NaN, timestamp: 3, step: 0 });
    expect(run.data.params).toEqual([]);
    expect(run.inputs).toEqual({ datasetInputs: [], modelInputs: [] });
  });

  it('accepts tags as a record or a list', () => {
    expect(toTagList({ a: '1' })).toEqual([{ key: 'a', value: '1' }]);
    expect(toTagList([{ key: 'b', value: '2' }])).toEqual([{ key: 'b', value: '2' }]);
    expect(toTagList(undefined)).toEqual([]);
  });
});
