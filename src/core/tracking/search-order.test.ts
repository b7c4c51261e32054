import { describe, expect, it } from 'vitest';
import { KeelError } from '../errors.js';
import {
  MAX_ORDER_BY_ITEMS,
  parseExperimentOrderBy,
  parseLoggedModelOrderBy,
  parseRunOrderBy,
} from './search-order.js';
import { rejection } from '../../../test/support/rejection.js';

describe('parseRunOrderBy', () => {
  it('reads the forms MLflow clients send, ascending by default', () => {
    expect(
      parseRunOrderBy([
        'metrics.m',
        'metrics.`a b` DESC',
        'start_time',
        'attributes.run_name asc',
        'tags.x DESC',
        'params."p.q" desc',
        'attr.status',
        'run.user_id',
        'artifact_uri',
        'end_time DESC',
        'run_id',
        'metric.other',
      ]),
    ).toEqual([
      { kind: 'metric', key: 'm', ascending: true },
      { kind: 'metric', key: 'a b', ascending: false },
      { kind: 'attribute', key: 'start_time', ascending: true },
      { kind: 'attribute', key: 'run_name', ascending: true },
      { kind: 'tag', key: 'x', ascending: false },
      { kind: 'param', key: 'p.q', ascending: false },
      { kind: 'attribute', key: 'status', ascending: true },
      { kind: 'attribute', key: 'user_id', ascending: true },
      { kind: 'attribute', key: 'artifact_uri', ascending: true },
      { kind: 'attribute', key: 'end_time', ascending: false },
      { kind: 'attribute', key: 'run_id', ascending: true },
      { kind: 'metric', key: 'other', ascending: true },
    ]);
    expect(parseRunOrderBy(['Created DESC'])).toEqual([
      { kind: 'attribute', key: 'created', ascending: false },
    ]);
    expect(parseRunOrderBy(undefined)).toEqual([]);
    expect(parseRunOrderBy([])).toEqual([]);
  });

  it('rejects a bad entity with MLflow wording', () => {
    expect(rejection(() => parseRunOrderBy(['foo.x']))).toBe(
      "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset'] (at position 1)",
    );
    expect(rejection(() => parseRunOrderBy(['datasets.name']))).toMatch(
      /^Invalid order_by entity type 'dataset'/,
    );
  });

  it('rejects a bad attribute key', () => {
    expect(rejection(() => parseRunOrderBy(['lifecycle_stage']))).toMatch(
      /^Invalid attribute key 'lifecycle_stage' specified\. Valid keys are \['run_id'/,
    );
  });

  it('rejects malformed items', () => {
    expect(rejection(() => parseRunOrderBy(['']))).toBe(
      "Invalid order_by clause ''. Could not be parsed: it is empty",
    );
    expect(rejection(() => parseRunOrderBy(['metrics.m up']))).toBe(
      "Invalid ordering key in order_by clause 'metrics.m up': expected ASC or DESC after 'metrics.m', found 'up' (at position 11)",
    );
    expect(rejection(() => parseRunOrderBy(['metrics.m DESC x']))).toBe(
      "Invalid order_by clause 'metrics.m DESC x'. Could not be parsed: unexpected 'x' after the direction (at position 16)",
    );
    expect(rejection(() => parseRunOrderBy(['metrics.`m DESC']))).toMatch(
      /^Invalid order_by clause 'metrics.`m DESC'. Could not be parsed: Unterminated quoted text/,
    );
    expect(rejection(() => parseRunOrderBy(['= DESC']))).toMatch(
      /^Invalid order_by clause '= DESC'\. Could not be parsed: Expected a key/,
    );
  });

  it('rejects a key given twice, created and start_time being the same', () => {
    expect(rejection(() => parseRunOrderBy(['metrics.m', 'metric.m DESC']))).toBe(
      "Invalid order_by: 'metrics.m' is given more than once",
    );
    expect(rejection(() => parseRunOrderBy(['created', 'start_time']))).toMatch(
      /'start_time' is given more than once/,
    );
    expect(parseRunOrderBy(['metrics.m', 'params.m', 'tags.m'])).toHaveLength(3);
  });

  it('bounds the number of items', () => {
    const items = Array.from({ length: MAX_ORDER_BY_ITEMS + 1 }, (_, i) => `metrics.m${i}`);
    expect(rejection(() => parseRunOrderBy(items))).toBe(
      'Invalid order_by: at most 20 items are allowed, got 21',
    );
  });
});

describe('parseExperimentOrderBy', () => {
  it('reads the four keys', () => {
    expect(
      parseExperimentOrderBy([
        'name',
        'experiment_id DESC',
        'attribute.creation_time asc',
        'last_update_time DESC',
      ]),
    ).toEqual([
      { key: 'name', ascending: true },
      { key: 'experiment_id', ascending: false },
      { key: 'creation_time', ascending: true },
      { key: 'last_update_time', ascending: false },
    ]);
  });

  it('rejects other keys, tags, other entities and duplicates', () => {
    expect(rejection(() => parseExperimentOrderBy(['foo']))).toBe(
      "Invalid attribute key 'foo' specified. Valid keys are ['name', 'experiment_id', 'creation_time', 'last_update_time'] (at position 1)",
    );
    expect(rejection(() => parseExperimentOrderBy(['tags.x']))).toMatch(/^Invalid order_by entity: tag/);
    expect(rejection(() => parseExperimentOrderBy(['metrics.x']))).toMatch(/^Invalid entity type 'metrics'/);
    expect(rejection(() => parseExperimentOrderBy(['name', 'name DESC']))).toMatch(
      /'name' is given more than once/,
    );
  });
});

describe('parseLoggedModelOrderBy', () => {
  it('reads attributes, aliases and metrics with datasets', () => {
    expect(
      parseLoggedModelOrderBy([
        { field_name: 'metrics.rmse', ascending: true, dataset_name: 'eval', dataset_digest: 'abc' },
        { field_name: 'creation_time', ascending: false },
        { field_name: 'name' },
        { field_name: 'metrics.rmse', dataset_name: 'train' },
        { field_name: 'last_updated_timestamp_ms', dataset_name: '', dataset_digest: null },
      ]),
    ).toEqual([
      { field: { kind: 'metric', key: 'rmse' }, ascending: true, datasetName: 'eval', datasetDigest: 'abc' },
      { field: { kind: 'attribute', key: 'creation_timestamp' }, ascending: false },
      { field: { kind: 'attribute', key: 'name' }, ascending: true },
      { field: { kind: 'metric', key: 'rmse' }, ascending: true, datasetName: 'train' },
      { field: { kind: 'attribute', key: 'last_updated_timestamp' }, ascending: true },
    ]);
    expect(parseLoggedModelOrderBy(undefined)).toEqual([]);
  });

  it('rejects malformed entries with MLflow wording', () => {
    expect(rejection(() => parseLoggedModelOrderBy(['name']))).toMatch(
      /^`order_by` must be a list of objects/,
    );
    expect(rejection(() => parseLoggedModelOrderBy([{}]))).toBe(
      '`field_name` in the `order_by` clause must be specified (order_by[0]).',
    );
    expect(rejection(() => parseLoggedModelOrderBy([{ field_name: 'name', ascending: 'yes' }]))).toBe(
      'Value of `ascending` in the `order_by` clause must be a boolean, got string for field name.',
    );
    expect(rejection(() => parseLoggedModelOrderBy([{ field_name: 'params.p' }]))).toBe(
      'Invalid order by field name: params, only `metrics.<name>` is allowed.',
    );
    expect(rejection(() => parseLoggedModelOrderBy([{ field_name: 'metrics.' }]))).toMatch(
      /the metric name is missing/,
    );
    expect(rejection(() => parseLoggedModelOrderBy([{ field_name: 'size' }]))).toMatch(
      /^Invalid order by field name: size\. Valid names are \['name'/,
    );
    expect(rejection(() => parseLoggedModelOrderBy([{ field_name: 'name', dataset_digest: 'd' }]))).toBe(
      '`dataset_digest` can only be specified if `dataset_name` is also specified.',
    );
    expect(rejection(() => parseLoggedModelOrderBy([{ field_name: 'name', dataset_name: 3 }]))).toBe(
      'Invalid value for order_by[0].dataset_name: expected a string, got number',
    );
    expect(
      rejection(() => parseLoggedModelOrderBy([{ field_name: 'name' }, { field_name: 'name' }])),
    ).toMatch(/'name' is given more than once/);
  });
});
