import { describe, expect, it } from 'vitest';
import { classificationScores, logLoss, sigmoid, trainLogisticRegression } from './logistic-regression.js';
import type { LogisticModel } from './logistic-regression.js';
import { generateSyntheticDataset, splitDataset, standardise } from './synthetic-data.js';
import type { Dataset } from './synthetic-data.js';

describe('logistic regression', () => {
  const data = generateSyntheticDataset({ seed: 7, samples: 1500, trueWeights: [2, -1.5, 0], trueBias: 0.2 });
  const split = splitDataset(data, 0.2, 8);
  const [train, validation] = standardise(split.train, split.validation) as [Dataset, Dataset];

  it('computes a stable sigmoid at the extremes', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
  });

  it('lowers the training loss every epoch with a modest learning rate and beats chance', () => {
    const { model, history } = trainLogisticRegression(train, validation, {
      learningRate: 0.3,
      l2: 0,
      epochs: 30,
    });
    for (let i = 1; i < history.length; i++) {
      expect(history[i]?.trainLoss).toBeLessThan(history[i - 1]?.trainLoss as number);
    }
    expect(history.at(-1)?.valAccuracy).toBeGreaterThan(0.75);
    // It recovers the signs of the true weights.
    expect(Math.sign(model.weights[0] as number)).toBe(1);
    expect(Math.sign(model.weights[1] as number)).toBe(-1);
  });

  it('shrinks weights under a strong L2 penalty', () => {
    const free = trainLogisticRegression(train, validation, { learningRate: 0.5, l2: 0, epochs: 40 }).model;
    const tied = trainLogisticRegression(train, validation, { learningRate: 0.5, l2: 1, epochs: 40 }).model;
    const norm = (m: LogisticModel) => Math.hypot(...m.weights);
    expect(norm(tied)).toBeLessThan(norm(free) / 2);
  });

  it('scores a model by hand-checkable numbers', () => {
    const model: LogisticModel = { featureNames: ['x'], weights: [1], bias: 0 };
    const tiny: Dataset = { featureNames: ['x'], features: [[5], [-5], [5], [-5]], labels: [1, 0, 0, 1] };
    expect(classificationScores(model, tiny)).toEqual({ accuracy: 0.5, f1: 0.5 });
    expect(logLoss(model, { ...tiny, labels: [1, 0, 1, 0] })).toBeCloseTo(-Math.log(sigmoid(5)), 10);
  });
});
