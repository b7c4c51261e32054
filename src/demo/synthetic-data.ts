import { createHash } from 'node:crypto';

/**
 * A SYNTHETIC binary-classification dataset: features drawn from a seeded PRNG and labels drawn from
 * a known logistic model, so every run of the demo sees the same numbers. It stands in for real data
 * only to exercise tracking; nothing about it describes the world.
 */
export interface Dataset {
  featureNames: string[];
  /** One row per example. */
  features: number[][];
  /** 0 or 1 per example. */
  labels: number[];
}

export interface SyntheticSpec {
  seed: number;
  samples: number;
  /** The weights of the logistic model the labels are drawn from (one per feature). */
  trueWeights: number[];
  trueBias: number;
}

export const defaultSyntheticSpec: SyntheticSpec = {
  seed: 42,
  samples: 2000,
  trueWeights: [1.6, -2.1, 0.9, 0, 0, 1.3, -0.6, 0.4],
  trueBias: -0.3,
};

/** Mulberry32: a small, fast, seeded PRNG with uniform output in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by the Box-Muller transform. */
function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Draws `samples` examples: each feature ~ N(0, 1) scaled by a per-feature factor (so that
 * standardising matters), label ~ Bernoulli(sigmoid(w·x + b)).
 */
export function generateSyntheticDataset(spec: SyntheticSpec = defaultSyntheticSpec): Dataset {
  const random = seededRandom(spec.seed);
  const width = spec.trueWeights.length;
  const scales = Array.from({ length: width }, (_, j) => 1 + (j % 3) * 2);
  const features: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < spec.samples; i++) {
    const z = Array.from({ length: width }, () => normal(random));
    let logit = spec.trueBias;
    for (let j = 0; j < width; j++) logit += (spec.trueWeights[j] as number) * (z[j] as number);
    features.push(z.map((value, j) => value * (scales[j] as number)));
    labels.push(random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);
  }
  return { featureNames: Array.from({ length: width }, (_, j) => `x${j}`), features, labels };
}

/** A seeded shuffle split into training and validation sets. */
export function splitDataset(
  data: Dataset,
  validationFraction: number,
  seed: number,
): { train: Dataset; validation: Dataset } {
  const random = seededRandom(seed);
  const order = data.labels.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const cut = Math.round(order.length * (1 - validationFraction));
  const pick = (indices: number[]): Dataset => ({
    featureNames: data.featureNames,
    features: indices.map((i) => data.features[i] as number[]),
    labels: indices.map((i) => data.labels[i] as number),
  });
  return { train: pick(order.slice(0, cut)), validation: pick(order.slice(cut)) };
}

/** Scales every feature to mean 0 and variance 1 using the statistics of `fitOn`. */
export function standardise(fitOn: Dataset, ...apply: Dataset[]): Dataset[] {
  const width = fitOn.featureNames.length;
  const n = fitOn.features.length;
  const mean = Array.from(
    { length: width },
    (_, j) => fitOn.features.reduce((s, row) => s + (row[j] as number), 0) / n,
  );
  const std = Array.from({ length: width }, (_, j) => {
    const variance =
      fitOn.features.reduce((s, row) => s + ((row[j] as number) - (mean[j] as number)) ** 2, 0) / n;
    return Math.sqrt(variance) || 1;
  });
  return [fitOn, ...apply].map((d) => ({
    ...d,
    features: d.features.map((row) => row.map((v, j) => (v - (mean[j] as number)) / (std[j] as number))),
  }));
}

/** A content digest of the dataset (hex, 32 characters), the same for the same numbers. */
export function datasetDigest(data: Dataset): string {
  const hash = createHash('sha256');
  for (let i = 0; i < data.features.length; i++) {
    hash.update(Float64Array.from(data.features[i] as number[]));
    hash.update(String(data.labels[i]));
  }
  return hash.digest('hex').slice(0, 32);
}
