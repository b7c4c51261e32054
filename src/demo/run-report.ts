import type { EpochMetrics, LogisticModel, TrainingConfig } from './logistic-regression.js';

export interface RunReportInput {
  runName: string;
  config: TrainingConfig;
  history: EpochMetrics[];
  model: LogisticModel;
  dataset: { name: string; digest: string; trainSize: number; validationSize: number };
}

/** A short markdown report of one training run, stored as the run's `report.md` artifact. */
export function renderRunReport(input: RunReportInput): string {
  const last = input.history[input.history.length - 1];
  const best = input.history.reduce<EpochMetrics | undefined>(
    (b, h) => (b === undefined || h.valLoss < b.valLoss ? h : b),
    undefined,
  );
  const lines = [
    `# ${input.runName}`,
    '',
    'Logistic regression trained by full-batch gradient descent on a **synthetic** dataset',
    '(features and labels drawn from a seeded pseudo-random generator; not real data).',
    '',
    '## Configuration',
    '',
    '| param | value |',
    '|---|---|',
    `| learning rate | ${input.config.learningRate} |`,
    `| L2 penalty | ${input.config.l2} |`,
    `| epochs | ${input.config.epochs} |`,
    '',
    '## Data',
    '',
    `- dataset: \`${input.dataset.name}\` (digest \`${input.dataset.digest}\`)`,
    `- ${input.dataset.trainSize} training and ${input.dataset.validationSize} validation examples`,
    '',
    '## Results',
    '',
    '| | train loss | val loss | val accuracy | val F1 |',
    '|---|---|---|---|---|',
  ];
  if (last) lines.push(row('last epoch', last));
  if (best) lines.push(row(`lowest val loss (epoch ${best.epoch})`, best));
  lines.push(
    '',
    '## Weights',
    '',
    '| feature | weight |',
    '|---|---|',
    ...input.model.featureNames.map((name, j) => `| ${name} | ${(input.model.weights[j] ?? 0).toFixed(4)} |`),
    `| (bias) | ${input.model.bias.toFixed(4)} |`,
    '',
    'Artifacts: `model/weights.json` (the model), `plots/loss-curve.svg` (loss per epoch).',
    '',
  );
  return lines.join('\n');
}

function row(label: string, m: EpochMetrics): string {
  return `| ${label} | ${m.trainLoss.toFixed(4)} | ${m.valLoss.toFixed(4)} | ${m.valAccuracy.toFixed(4)} | ${m.valF1.toFixed(4)} |`;
}
