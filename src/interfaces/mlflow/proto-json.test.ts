import { describe, expect, test } from 'vitest';
import type { LoggedModel, Run } from '../../core/tracking/index.js';
import { experimentJson, loggedModelJson, metricJson, pageTokenField, runJson } from './proto-json.js';

describe('proto-JSON encoding', () => {
  test('an experiment: snake_case, int64 as numbers, empty tags omitted', () => {
    const json = experimentJson({
      experimentId: '3',
      name: 'e',
      workspace: 'default',
      artifactLocation: 'mlflow-artifacts:/3',
      lifecycleStage: 'active',
      creationTime: 1_700_000_000_123,
      lastUpdateTime: 1_700_000_000_456,
      tags: [],
    });
    expect(json).toEqual({
      experiment_id: '3',
      name: 'e',
      artifact_location: 'mlflow-artifacts:/3',
      lifecycle_stage: 'active',
      creation_time: 1_700_000_000_123,
      last_update_time: 1_700_000_000_456,
      workspace: 'default',
    });
    expect(JSON.stringify(json)).toContain('"creation_time":1700000000123');
  });

  test('a run: run_uuid mirrors run_id, unset end_time and empty lists omitted, inputs always present', () => {
    const run: Run = {
      info: {
        runId: 'a'.repeat(32),
        runName: 'r',
        experimentId: '1',
        userId: '',
        status: 'RUNNING',
        startTime: 5,
        endTime: null,
        artifactUri: 'mlflow-artifacts:/1/x/artifacts',
        lifecycleStage: 'active',
      },
      data: {
        metrics: [{ key: 'm', value: Number.NaN, timestamp: 1, step: 2 }],
        params: [],
        tags: [{ key: 't', value: '' }],
      },
      inputs: { datasetInputs: [], modelInputs: [] },
      outputs: { modelOutputs: [] },
    };
    expect(runJson(run)).toEqual({
      info: {
        run_id: 'a'.repeat(32),
        run_uuid: 'a'.repeat(32),
        run_name: 'r',
        experiment_id: '1',
        status: 'RUNNING',
        start_time: 5,
        artifact_uri: 'mlflow-artifacts:/1/x/artifacts',
        lifecycle_stage: 'active',
      },
      data: { metrics: [{ key: 'm', value: 'NaN', timestamp: 1, step: 2 }], tags: [{ key: 't', value: '' }] },
      inputs: {},
    });
    run.info.endTime = 9;
    run.outputs.modelOutputs.push({ modelId: 'm-1', step: 0 });
    run.inputs.modelInputs.push({ modelId: 'm-2' });
    const json = runJson(run);
    expect(json.info.end_time).toBe(9);
    expect(json.outputs).toEqual({ model_outputs: [{ model_id: 'm-1', step: 0 }] });
    expect(json.inputs).toEqual({ model_inputs: [{ model_id: 'm-2' }] });
  });

  test('metrics carry run_id and model links only when set', () => {
    expect(metricJson({ key: 'k', value: 1, timestamp: 2, step: 3, runId: 'r' })).toEqual({
      key: 'k',
      value: 1,
      timestamp: 2,
      step: 3,
      run_id: 'r',
    });
    expect(
      metricJson({ key: 'k', value: -Infinity, timestamp: 2, step: 3, modelId: 'm-1', datasetName: 'd' }),
    ).toEqual({
      key: 'k',
      value: '-Infinity',
      timestamp: 2,
      step: 3,
      model_id: 'm-1',
      dataset_name: 'd',
    });
  });

  test('a logged model: info and data, optional fields omitted', () => {
    const model: LoggedModel = {
      modelId: 'm-1',
      experimentId: '1',
      name: 'model',
      artifactUri: 'mlflow-artifacts:/1/models/m-1/artifacts',
      creationTimestampMs: 10,
      lastUpdatedTimestampMs: 11,
      status: 'LOGGED_MODEL_READY',
      lifecycleStage: 'active',
      tags: [],
      params: [{ key: 'p', value: 'v' }],
      metrics: [],
    };
    expect(loggedModelJson(model)).toEqual({
      info: {
        model_id: 'm-1',
        experiment_id: '1',
        name: 'model',
        creation_timestamp_ms: 10,
        last_updated_timestamp_ms: 11,
        artifact_uri: 'mlflow-artifacts:/1/models/m-1/artifacts',
        status: 'LOGGED_MODEL_READY',
      },
      data: { params: [{ key: 'p', value: 'v' }] },
    });
  });

  test('next_page_token only when there is a next page', () => {
    expect(pageTokenField(undefined)).toEqual({});
    expect(pageTokenField('')).toEqual({});
    expect(pageTokenField('abc')).toEqual({ next_page_token: 'abc' });
  });
});
