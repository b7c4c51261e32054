import { KeelError } from '../core/errors.js';
import type { DatasetInput } from '../core/tracking/index.js';
import type { KeelClient } from '../sdk/index.js';
import { trainLogisticRegression } from './logistic-regression.js';
import type { EpochMetrics, TrainingConfig } from './logistic-regression.js';
import { renderLossCurveSvg } from './loss-curve-svg.js';
import { renderRunReport } from './run-report.js';
import {
  datasetDigest,
  defaultSyntheticSpec,
  generateSyntheticDataset,
  splitDataset,
  standardise,
} from './synthetic-data.js';
import type { Dataset } from './synthetic-data.js';

export const demoExperimentName = 'keel-demo';
export const datasetName = 'synthetic-binary-classification';

/** The five configurations the sweep trains. */
export const sweepConfigs: readonly TrainingConfig[] = [
  { learningRate: 0.5, l2: 0, epochs: 40 },
  { learningRate: 0.1, l2: 0, epochs: 40 },
  { learningRate: 0.5, l2: 0.01, epochs: 40 },
  { learningRate: 0.05, l2: 0.001, epochs: 40 },
  { learningRate: 1.0, l2: 0.1, epochs: 40 },
];

export interface ChildResult {
  runId: string;
  runName: string;
  config: TrainingConfig;
  final: EpochMetrics;
}

export interface SweepResult {
  experimentId: string;
  parentRunId: string;
  children: ChildResult[];
  best: ChildResult;
}

/**
 * Trains the sweep and logs it: a parent run `sweep` with one nested child run per configuration.
 * Each child logs params, per-epoch metrics, its dataset input and three artifacts (model weights,
 * loss-curve SVG, markdown report); the parent logs the best child's final metrics. Reuses the
 * `keel-demo` experiment (restoring it if it was deleted).
 */
export async function runTrainingSweep(
  client: KeelClient,
  log: (line: string) => void,
): Promise<SweepResult> {
  const experimentId = await demoExperiment(client);
  const spec = defaultSyntheticSpec;
  const raw = generateSyntheticDataset(spec);
  const split = splitDataset(raw, 0.2, spec.seed + 1);
  const [train, validation] = standardise(split.train, split.validation) as [Dataset, Dataset];
  const input = datasetInput(raw, spec.seed);
  log(
    `Dataset: ${raw.labels.length} SYNTHETIC examples, ${raw.featureNames.length} features ` +
      `(seeded PRNG, seed ${spec.seed}; not real data), digest ${input.dataset.digest}.`,
  );

  const parent = await client.runs.create({
    experimentId,
    runName: 'sweep',
    captureGit: { sourceName: 'keel demo' },
    tags: {
      'keel.demo': 'true',
      'mlflow.note.content': 'Learning-rate / L2 sweep of a logistic regression on a synthetic dataset.',
    },
  });
  const parentRunId = parent.info.runId;
  try {
    await client.runs.logParam(parentRunId, 'sweep_size', sweepConfigs.length);
    const children: ChildResult[] = [];
    for (const config of sweepConfigs) {
      const child = await trainChild(client, { experimentId, parentRunId, config, train, validation, input });
      children.push(child);
      log(
        `  ${child.runName.padEnd(18)} val_f1=${child.final.valF1.toFixed(4)} ` +
          `val_accuracy=${child.final.valAccuracy.toFixed(4)} val_loss=${child.final.valLoss.toFixed(4)}  (${child.runId})`,
      );
    }
    // Best validation F1; ties go to the lower validation loss.
    const best = children.reduce((b, c) =>
      c.final.valF1 > b.final.valF1 || (c.final.valF1 === b.final.valF1 && c.final.valLoss < b.final.valLoss)
        ? c
        : b,
    );
    await client.runs.logBatch(parentRunId, {
      metrics: finalMetrics(best.final),
      params: { best_learning_rate: best.config.learningRate, best_l2: best.config.l2 },
      tags: { 'keel.demo.bestRunId': best.runId, 'keel.demo.bestRunName': best.runName },
    });
    await client.runs.terminate(parentRunId, 'FINISHED');
    return { experimentId, parentRunId, children, best };
  } catch (error) {
    await client.runs.terminate(parentRunId, 'FAILED').catch(() => undefined);
    throw error;
  }
}

async function trainChild(
  client: KeelClient,
  job: {
    experimentId: string;
    parentRunId: string;
    config: TrainingConfig;
    train: Dataset;
    validation: Dataset;
    input: DatasetInput;
  },
): Promise<ChildResult> {
  const { config } = job;
  const runName = `lr=${config.learningRate} l2=${config.l2}`;
  const run = await client.runs.create({
    experimentId: job.experimentId,
    runName,
    parentRunId: job.parentRunId,
    captureGit: { sourceName: 'keel demo' },
  });
  const runId = run.info.runId;
  const logger = client.asyncLogger(runId, { flushIntervalMs: 200 });
  try {
    logger.logParams({
      learning_rate: config.learningRate,
      l2: config.l2,
      epochs: config.epochs,
      model: 'logistic-regression',
      optimizer: 'full-batch-gradient-descent',
      train_size: job.train.labels.length,
      validation_size: job.validation.labels.length,
    });
    const { model, history } = trainLogisticRegression(job.train, job.validation, config, (m) => {
      logger.logMetrics(
        { train_loss: m.trainLoss, val_loss: m.valLoss, val_accuracy: m.valAccuracy, val_f1: m.valF1 },
        { step: m.epoch },
      );
    });
    await logger.close();
    await client.runs.logInputs(runId, { datasets: [job.input] });
    await client.artifacts.uploadBytes(
      runId,
      'model/weights.json',
      `${JSON.stringify({ type: 'logistic-regression', ...model }, null, 2)}\n`,
    );
    await client.artifacts.uploadBytes(runId, 'plots/loss-curve.svg', renderLossCurveSvg(history, runName));
    await client.artifacts.uploadBytes(
      runId,
      'report.md',
      renderRunReport({
        runName,
        config,
        history,
        model,
        dataset: {
          name: job.input.dataset.name,
          digest: job.input.dataset.digest,
          trainSize: job.train.labels.length,
          validationSize: job.validation.labels.length,
        },
      }),
    );
    await client.runs.terminate(runId, 'FINISHED');
    const final = history[history.length - 1];
    if (!final)
      throw new KeelError('INVALID_PARAMETER_VALUE', 'A training configuration needs at least one epoch');
    return { runId, runName, config, final };
  } catch (error) {
    await logger.close().catch(() => undefined);
    await client.runs.terminate(runId, 'FAILED').catch(() => undefined);
    throw error;
  }
}

async function demoExperiment(client: KeelClient): Promise<string> {
  const existing = await client.experiments.getByName(demoExperimentName);
  if (existing) {
    if (existing.lifecycleStage === 'deleted') await client.experiments.restore(existing.experimentId);
    return existing.experimentId;
  }
  try {
    return await client.experiments.create(demoExperimentName, {
      tags: {
        'mlflow.note.content': 'Created by `keel demo`: a logistic-regression sweep on synthetic data.',
      },
    });
  } catch (error) {
    // Another demo created it in the meantime.
    if (error instanceof KeelError && error.code === 'RESOURCE_ALREADY_EXISTS') {
      const created = await client.experiments.getByName(demoExperimentName);
      if (created) return created.experimentId;
    }
    throw error;
  }
}

function datasetInput(data: Dataset, seed: number): DatasetInput {
  const positives = data.labels.reduce((s, l) => s + l, 0);
  return {
    dataset: {
      name: datasetName,
      digest: datasetDigest(data),
      sourceType: 'code',
      source: JSON.stringify({ generator: 'keel demo synthetic-data (seeded PRNG)', seed }),
      schema: JSON.stringify({
        mlflow_colspec: [
          ...data.featureNames.map((name) => ({ type: 'double', name })),
          { type: 'long', name: 'label' },
        ],
      }),
      profile: JSON.stringify({
        num_rows: data.labels.length,
        num_features: data.featureNames.length,
        positive_rate: Number((positives / data.labels.length).toFixed(4)),
        synthetic: true,
      }),
    },
    tags: [{ key: 'mlflow.data.context', value: 'training' }],
  };
}

function finalMetrics(m: EpochMetrics): { key: string; value: number; step: number }[] {
  return [
    { key: 'train_loss', value: m.trainLoss, step: m.epoch },
    { key: 'val_loss', value: m.valLoss, step: m.epoch },
    { key: 'val_accuracy', value: m.valAccuracy, step: m.epoch },
    { key: 'val_f1', value: m.valF1, step: m.epoch },
  ];
}
