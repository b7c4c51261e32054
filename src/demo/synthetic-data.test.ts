import { describe, expect, it } from 'vitest';
import {
  datasetDigest,
  generateSyntheticDataset,
  seededRandom,
  splitDataset,
  standardise,
} from './synthetic-data.js';

describe('synthetic data', () => {
  it('is the same for the same seed and different for another', () => {
    const a = generateSyntheticDataset();
    const b = generateSyntheticDataset();
    expect(a).toEqual(b);
    expect(datasetDigest(a)).toBe(datasetDigest(b));
    expect(datasetDigest(a)).toMatch(/^[0-9a-f]{32}$/);
    const other = generateSyntheticDataset({
      seed: 43,
      samples: 2000,
      trueWeights: [1.6, -2.1, 0.9, 0, 0, 1.3, -0.6, 0.4],
      trueBias: -0.3,
    });
    expect(datasetDigest(other)).not.toBe(datasetDigest(a));
  });

  it('draws uniform numbers in [0, 1) and both labels', () => {
    const random = seededRandom(1);
    const draws = Array.from({ length: 10_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((s, d) => s + d, 0) / draws.length).toBeCloseTo(0.5, 1);
    const { labels } = generateSyntheticDataset();
    const rate = labels.reduce((s, l) => s + l, 0) / labels.length;
    expect(rate).toBeGreaterThan(0.3);
    expect(rate).toBeLessThan(0.7);
  });

  it('splits without losing or repeating examples, and standardises on the training set', () => {
    const data = generateSyntheticDataset();
    const { train, validation } = splitDataset(data, 0.2, 1);
    expect(train.labels.length + validation.labels.length).toBe(data.labels.length);
    expect(validation.labels.length).toBe(400);
    const [scaled] = standardise(train, validation);
    const column = scaled?.features.map((row) => row[2] as number) ?? [];
    const mean = column.reduce((s, v) => s + v, 0) / column.length;
    const variance = column.reduce((s, v) => s + (v - mean) ** 2, 0) / column.length;
    expect(mean).toBeCloseTo(0, 10);
    expect(variance).toBeCloseTo(1, 10);
  });
});
