import { describe, expect, it } from 'vitest';
import { KeelError } from '../errors.js';
import {
  isPathNotUnique,
  truncateParamValue,
  truncateTagValue,
  validateBatch,
  validateBatchLimits,
  validateBatchRequestSize,
  validateDatasetInputs,
  validateExperimentName,
  validateExperimentTag,
  validateKeyName,
  validateLoggedModelName,
  validateMetric,
  validateParam,
  validateParamKeysUnique,
  validateTag,
} from './validation.js';
import type { DatasetInput } from './entities.js';
import { rejection } from '../../../test/support/rejection.js';

const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).';

describe('key names', () => {
  it('accept letters, digits, _ - . : / and spaces, in any script', () => {
    for (const name of [
      'loss',
      'val/loss',
      'a-b_c.d e:f',
      'métrique',
      '准确率',
      'x1',
      '_',
      'a..b',
      '.hidden',
    ]) {
      expect(validateKeyName(name, 'key')).toBe(name);
    }
  });

  it('reject other characters with MLflow wording', () => {
    expect(rejection(() => validateKeyName('a*b', 'key'))).toBe(
      `Invalid value "a*b" for parameter 'key' supplied: ${BAD_CHARACTERS}`,
    );
    expect(rejection(() => validateKeyName('métrique(x)', 'metrics[0].name'))).toBe(
      `Invalid value "m\\u00e9trique(x)" for parameter 'metrics[0].name' supplied: ${BAD_CHARACTERS}`,
    );
    for (const name of ['a\tb', 'a\nb', 'a%b', 'a\\b', "a'b", 'a"b', 'a\u0000b', 'a😀b']) {
      expect(rejection(() => validateKeyName(name, 'key'))).toContain(BAD_CHARACTERS);
    }
  });

  it('reject names that resolve to another path', () => {
    const cases: [string, string][] = [
      ['..', "'..'"],
      ['../x', "'../x'"],
      ['/abs', "'/abs'"],
      ['./x', "'x'"],
      ['a//b', "'a/b'"],
      ['a/', "'a'"],
      ['a/./b', "'a/b'"],
      ['a/../b', "'b'"],
      ['.', "'.'"],
      ['', "'.'"],
      ['..foo', "'..foo'"],
    ];
    for (const [name, resolved] of cases) {
      expect(isPathNotUnique(name)).toBe(true);
      expect(rejection(() => validateKeyName(name, 'key'))).toBe(
        `Invalid value ${JSON.stringify(name)} for parameter 'key' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to ${resolved}`,
      );
    }
  });

  it('reject more than 250 characters, counted in code points', () => {
    expect(validateKeyName('a'.repeat(250), 'key')).toHaveLength(250);
    expect(validateKeyName('准'.repeat(250), 'key')).toHaveLength(250);
    expect(rejection(() => validateKeyName('a'.repeat(251), 'tags[2].key'))).toBe(
      "'tags[2].key' exceeds the maximum length of 250 characters",
    );
  });

  it('reject a missing key', () => {
    expect(rejection(() => validateKeyName(undefined, 'key'))).toBe(
      "Missing value for required parameter 'key'.",
    );
    expect(rejection(() => validateKeyName(5, 'key'))).toBe("Missing value for required parameter 'key'.");
  });
});

describe('metrics', () => {
  it('accept finite, NaN and infinite values, timestamps >= 0 and any integer step', () => {
    for (const value of [0, -1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308]) {
      expect(validateMetric({ key: 'm', value, timestamp: 0, step: -5 })).toMatchObject({
        key: 'm',
        step: -5,
      });
    }
    expect(validateMetric({ key: 'm', value: 1, timestamp: 1_700_000_000_000, step: 2 ** 53 - 1 })).toEqual({
      key: 'm',
      value: 1,
      timestamp: 1_700_000_000_000,
      step: 2 ** 53 - 1,
    });
  });

  it('reject a bad key under the name field, as MLflow does', () => {
    expect(
      rejection(() => validateMetric({ key: 'a b*', value: 1, timestamp: 0, step: 0 }, 'metrics[3]')),
    ).toBe(`Invalid value "a b*" for parameter 'metrics[3].name' supplied: ${BAD_CHARACTERS}`);
  });

  it('reject missing or non-numeric values', () => {
    expect(rejection(() => validateMetric({ key: 'm', value: undefined, timestamp: 0, step: 0 }))).toBe(
      "Missing value for required parameter 'value'.",
    );
    expect(rejection(() => validateMetric({ key: 'm', value: '1', timestamp: 5, step: 0 }))).toBe(
      `Invalid value "1" for parameter 'value' supplied: (timestamp=5). Please specify value as a valid double (64-bit floating point)`,
    );
    expect(rejection(() => validateMetric({ key: 'm', value: true, timestamp: 5, step: 0 }))).toMatch(
      /^Invalid value true for parameter 'value'/,
    );
  });

  it('reject negative, fractional or missing timestamps', () => {
    expect(
      rejection(() => validateMetric({ key: 'm', value: 1, timestamp: -1, step: 0 }, 'metrics[0]')),
    ).toBe(
      "Invalid value -1 for parameter 'metrics[0].timestamp' supplied: metric 'm' (value=1). Timestamp must be a nonnegative long (64-bit integer)",
    );
    expect(rejection(() => validateMetric({ key: 'm', value: 1, timestamp: 1.5, step: 0 }))).toMatch(
      /^Invalid value 1.5 for parameter 'timestamp'/,
    );
    expect(rejection(() => validateMetric({ key: 'm', value: 1, timestamp: null, step: 0 }))).toBe(
      "Missing value for required parameter 'timestamp'.",
    );
  });

  it('reject fractional or non-numeric steps', () => {
    expect(rejection(() => validateMetric({ key: 'm', value: 2, timestamp: 0, step: 0.5 }))).toBe(
      "Invalid value 0.5 for parameter 'step' supplied: metric 'm' (value=2). Step must be a valid long (64-bit integer).",
    );
    expect(rejection(() => validateMetric({ key: 'm', value: 2, timestamp: 0, step: '1' }))).toMatch(
      /^Invalid value "1" for parameter 'step'/,
    );
  });
});

describe('params and tags', () => {
  it('truncate long values as MLflow does by default, counting code points', () => {
    expect(validateParam({ key: 'p', value: 'x'.repeat(7000) }).value).toHaveLength(6000);
    expect(validateTag({ key: 't', value: 'x'.repeat(9000) }).value).toHaveLength(8000);
    expect(truncateParamValue('short')).toBe('short');
    const emoji = '😀'.repeat(6001);
    expect([...truncateParamValue(emoji)]).toHaveLength(6000);
    expect(truncateParamValue('😀'.repeat(6000))).toBe('😀'.repeat(6000));
    expect(truncateTagValue('y'.repeat(8000))).toHaveLength(8000);
  });

  it('reject long values instead in strict mode', () => {
    expect(
      rejection(() => validateParam({ key: 'p', value: 'x'.repeat(6001) }, 'params[1]', { truncate: false })),
    ).toBe("'params[1].value' exceeds the maximum length of 6000 characters");
    expect(rejection(() => validateTag({ key: 't', value: 'x'.repeat(8001) }, '', { truncate: false }))).toBe(
      "'value' exceeds the maximum length of 8000 characters",
    );
  });

  it('check keys and require string values', () => {
    expect(rejection(() => validateParam({ key: 'a*b', value: 'x' }))).toBe(
      `Invalid value "a*b" for parameter 'key' supplied: ${BAD_CHARACTERS}`,
    );
    expect(rejection(() => validateTag({ key: 't', value: undefined }, 'tags[0]'))).toBe(
      "Missing value for required parameter 'tags[0].value'.",
    );
    expect(validateParam({ key: 'p', value: '' })).toEqual({ key: 'p', value: '' });
  });
});

describe('experiments', () => {
  it('names must be non-empty strings of at most 500 characters', () => {
    expect(validateExperimentName('exp/one: α')).toBe('exp/one: α');
    expect(validateExperimentName('e'.repeat(500))).toHaveLength(500);
    expect(rejection(() => validateExperimentName(''))).toBe("Invalid experiment name: ''");
    expect(rejection(() => validateExperimentName(undefined))).toBe("Invalid experiment name: ''");
    expect(rejection(() => validateExperimentName(42))).toBe(
      'Invalid experiment name: 42. Expects a string.',
    );
    expect(rejection(() => validateExperimentName('e'.repeat(501)))).toBe(
      "'name' exceeds the maximum length of 500 characters",
    );
  });

  it('tags: key rules, value at most 5000, never truncated', () => {
    expect(validateExperimentTag({ key: 'team', value: 'v'.repeat(5000) }).value).toHaveLength(5000);
    expect(rejection(() => validateExperimentTag({ key: 'team', value: 'v'.repeat(5001) }))).toBe(
      "'value' exceeds the maximum length of 5000 characters",
    );
    expect(rejection(() => validateExperimentTag({ key: 'k'.repeat(251), value: 'v' }))).toBe(
      "'key' exceeds the maximum length of 250 characters",
    );
    expect(rejection(() => validateExperimentTag({ key: '../k', value: 'v' }))).toMatch(/would resolve to/);
    expect(rejection(() => validateExperimentTag({ key: 'k', value: null }))).toBe(
      "Missing value for required parameter 'value'.",
    );
  });
});

describe('log-batch', () => {
  const metric = { key: 'm', value: 1, timestamp: 0, step: 0 };
  const many = <T>(item: T, count: number) => Array.from({ length: count }, () => item);

  it('limits counts with MLflow wording', () => {
    expect(() => validateBatchLimits({ metrics: many(metric, 1000), params: [], tags: [] })).not.toThrow();
    expect(rejection(() => validateBatchLimits({ metrics: many(metric, 1001), params: [], tags: [] }))).toBe(
      'A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across multiple requests and try again.',
    );
    expect(rejection(() => validateBatchLimits({ metrics: [], params: many({}, 101), tags: [] }))).toBe(
      'A batch logging request can contain at most 100 params. Got 101 params. Please split up params across multiple requests and try again.',
    );
    expect(rejection(() => validateBatchLimits({ metrics: [], params: [], tags: many({}, 101) }))).toMatch(
      /at most 100 tags\. Got 101 tags/,
    );
    expect(
      rejection(() =>
        validateBatchLimits({ metrics: many(metric, 900), params: many({}, 100), tags: many({}, 1) }),
      ),
    ).toBe(
      'A batch logging request can contain at most 1000 metrics, params, and tags. Got 1001 metrics, params, and tags. Please split up metrics, params, and tags across multiple requests and try again.',
    );
  });

  it('rejects duplicate param keys with MLflow wording', () => {
    expect(rejection(() => validateParamKeysUnique([{ key: 'd' }, { key: 'e' }, { key: 'd' }]))).toBe(
      "Duplicate parameter keys have been submitted: ['d']. Please ensure the request contains only one param value per param key.",
    );
    expect(rejection(() => validateParamKeysUnique([{ key: "it's" }, { key: "it's" }]))).toMatch(
      /\["it's"\]/,
    );
  });

  it('validates every item with its index and returns truncated values', () => {
    const result = validateBatch({
      metrics: [metric],
      params: [{ key: 'p', value: 'x'.repeat(6500) }],
      tags: [{ key: 't', value: 'v' }],
    });
    expect(result.params[0]!.value).toHaveLength(6000);
    expect(result.metrics).toEqual([metric]);
    expect(
      rejection(() =>
        validateBatch({ metrics: [metric, { ...metric, timestamp: -2 }], params: [], tags: [] }),
      ),
    ).toMatch(/^Invalid value -2 for parameter 'metrics\[1\]\.timestamp' supplied/);
    expect(
      rejection(() =>
        validateBatch({
          metrics: [],
          params: [],
          tags: [
            { key: 't', value: 'v' },
            { key: '/t', value: 'v' },
          ],
        }),
      ),
    ).toMatch(/parameter 'tags\[1\]\.key'/);
    expect(
      rejection(() =>
        validateBatch({
          metrics: [],
          params: [
            { key: 'd', value: '1' },
            { key: 'd', value: '2' },
          ],
          tags: [],
        }),
      ),
    ).toMatch(/^Duplicate parameter keys/);
  });

  it('bounds the request body', () => {
    expect(() => validateBatchRequestSize(1_000_000)).not.toThrow();
    expect(rejection(() => validateBatchRequestSize(1_000_001))).toBe(
      'Batched logging API requests must be at most 1000000 bytes, got a request of size 1000001.',
    );
  });
});

describe('dataset inputs', () => {
  const input = (
    dataset: Partial<DatasetInput['dataset']>,
    tags: DatasetInput['tags'] = [],
  ): DatasetInput => ({
    dataset: { name: 'd', digest: 'abc', sourceType: 'local', source: '{}', ...dataset },
    tags,
  });

  it('accept values at the limits', () => {
    expect(() =>
      validateDatasetInputs([
        input(
          {
            name: 'n'.repeat(500),
            digest: 'd'.repeat(36),
            source: 's'.repeat(65535),
            schema: 'x'.repeat(1_048_575),
          },
          [{ key: 'k'.repeat(255), value: 'v'.repeat(500) }],
        ),
      ]),
    ).not.toThrow();
  });

  it('reject values over the limits, naming the field', () => {
    expect(rejection(() => validateDatasetInputs([input({ name: 'n'.repeat(501) })]))).toBe(
      "'datasets[0].dataset.name' exceeds the maximum length of 500 characters",
    );
    expect(rejection(() => validateDatasetInputs([input({}), input({ digest: 'd'.repeat(37) })]))).toBe(
      "'datasets[1].dataset.digest' exceeds the maximum length of 36 characters",
    );
    expect(rejection(() => validateDatasetInputs([input({ source: 's'.repeat(65536) })]))).toMatch(
      /source' exceeds .* 65535/,
    );
    expect(rejection(() => validateDatasetInputs([input({ schema: 's'.repeat(1_048_576) })]))).toMatch(
      /schema' exceeds .* 1048575/,
    );
    expect(rejection(() => validateDatasetInputs([input({ profile: 'p'.repeat(16_777_216) })]))).toMatch(
      /profile' exceeds .* 16777215/,
    );
    expect(rejection(() => validateDatasetInputs([input({}, [{ key: 'k'.repeat(256), value: 'v' }])]))).toBe(
      "'datasets[0].tags[0].key' exceeds the maximum length of 255 characters",
    );
    expect(
      rejection(() => validateDatasetInputs([input({}, [{ key: 'k', value: 'v'.repeat(501) }])])),
    ).toMatch(/tags\[0\]\.value' exceeds .* 500/);
    expect(rejection(() => validateDatasetInputs([input({ digest: undefined as unknown as string })]))).toBe(
      "Missing value for required parameter 'datasets[0].dataset.digest'.",
    );
    expect(rejection(() => validateDatasetInputs(Array.from({ length: 1001 }, () => input({}))))).toMatch(
      /at most 1000 datasets/,
    );
  });
});

describe('logged model names', () => {
  it('accept names without / : . % " \'', () => {
    expect(validateLoggedModelName('model')).toBe('model');
    expect(validateLoggedModelName('my model-v2_final')).toBe('my model-v2_final');
  });

  it('reject the forbidden characters, naming them', () => {
    for (const char of ['/', ':', '.', '%', '"', "'"]) {
      expect(rejection(() => validateLoggedModelName(`a${char}b`))).toMatch(
        /^Invalid value .* for parameter 'name' supplied: Logged model names cannot contain/,
      );
    }
    expect(rejection(() => validateLoggedModelName('a/b.c'))).toContain("found ['/', '.']");
    expect(rejection(() => validateLoggedModelName(''))).toBe("Missing value for required parameter 'name'.");
    expect(rejection(() => validateLoggedModelName('m'.repeat(501)))).toBe(
      "'name' exceeds the maximum length of 500 characters",
    );
  });
});
