import type { Dataset } from './synthetic-data.js';

/** A trained binary logistic-regression model. */
export interface LogisticModel {
  featureNames: string[];
  weights: number[];
  bias: number;
}

export interface TrainingConfig {
  learningRate: number;
  /** L2 penalty on the weights (not the bias). */
  l2: number;
  epochs: number;
}

/** What one epoch of training measured. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
  valF1: number;
}

const epsilon = 1e-12;

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function predictProbability(model: LogisticModel, row: number[]): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++) z += (model.weights[j] as number) * (row[j] as number);
  return sigmoid(z);
}

/** Mean binary cross-entropy, plus the L2 penalty when given. */
export function logLoss(model: LogisticModel, data: Dataset, l2 = 0): number {
  let total = 0;
  for (let i = 0; i < data.labels.length; i++) {
    const p = predictProbability(model, data.features[i] as number[]);
    total -= data.labels[i] === 1 ? Math.log(p + epsilon) : Math.log(1 - p + epsilon);
  }
  const penalty = (l2 / 2) * model.weights.reduce((s, w) => s + w * w, 0);
  return total / data.labels.length + penalty;
}

/** Accuracy and F1 of the positive class at threshold 0.5. */
export function classificationScores(model: LogisticModel, data: Dataset): { accuracy: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  for (let i = 0; i < data.labels.length; i++) {
    const predicted = predictProbability(model, data.features[i] as number[]) >= 0.5 ? 1 : 0;
    const actual = data.labels[i];
    if (predicted === actual) correct++;
    if (predicted === 1 && actual === 1) tp++;
    else if (predicted === 1) fp++;
    else if (actual === 1) fn++;
  }
  const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { accuracy: correct / data.labels.length, f1 };
}

/**
 * Full-batch gradient descent on the mean cross-entropy with an L2 penalty, from zero weights.
 * Calls `onEpoch` after every epoch with the losses and validation scores.
 */
export function trainLogisticRegression(
  train: Dataset,
  validation: Dataset,
  config: TrainingConfig,
  onEpoch: (metrics: EpochMetrics) => void = () => undefined,
): { model: LogisticModel; history: EpochMetrics[] } {
  const width = train.featureNames.length;
  const model: LogisticModel = {
    featureNames: train.featureNames,
    weights: new Array<number>(width).fill(0),
    bias: 0,
  };
  const history: EpochMetrics[] = [];
  const n = train.labels.length;
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const gradient = new Array<number>(width).fill(0);
    let gradientBias = 0;
    for (let i = 0; i < n; i++) {
      const row = train.features[i] as number[];
      const error = predictProbability(model, row) - (train.labels[i] as number);
      for (let j = 0; j < width; j++) gradient[j] = (gradient[j] as number) + error * (row[j] as number);
      gradientBias += error;
    }
    for (let j = 0; j < width; j++) {
      const w = model.weights[j] as number;
      model.weights[j] = w - config.learningRate * ((gradient[j] as number) / n + config.l2 * w);
    }
    model.bias -= config.learningRate * (gradientBias / n);
    const scores = classificationScores(model, validation);
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: logLoss(model, train, config.l2),
      valLoss: logLoss(model, validation),
      valAccuracy: scores.accuracy,
      valF1: scores.f1,
    };
    history.push(metrics);
    onEpoch(metrics);
  }
  return { model, history };
}
