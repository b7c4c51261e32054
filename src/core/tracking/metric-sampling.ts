import { KeelError } from '../errors.js';

/**
 * Step sampling for `metrics/get-history-bulk-interval`, the call behind the UI's charts: from the
 * steps that exist, pick at most `maxResults` spread evenly over the range, always keeping the first
 * and the last step in range so a chart spans the whole run.
 *
 * Differences from MLflow, on purpose: MLflow may return `maxResults + 1` steps and, without a range,
 * starts at step 0 (hiding negative steps); here the result never exceeds `max(maxResults, 2)` steps
 * and the default range is the whole history.
 */

/** Index of the first element >= `value` in a sorted array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of the first element > `value` in a sorted array. */
function upperBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Picks the steps to return.
 *
 * @param allSteps the distinct logged steps, sorted ascending
 * @param maxResults how many steps at most (>= 1; 1 still yields the first and the last step)
 * @param startStep first step of the range (inclusive); give both bounds or neither
 * @param endStep last step of the range (inclusive)
 * @returns sorted, distinct steps: all of them when they fit, else evenly spaced ones including the
 *   first and the last step in range
 *
 * @example
 * sampleSteps([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3) // [0, 5, 10]
 * sampleSteps([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10, 2, 4) // [2, 3, 4]
 */
export function sampleSteps(
  allSteps: readonly number[],
  maxResults: number,
  startStep?: number,
  endStep?: number,
): number[] {
  if (!Number.isSafeInteger(maxResults) || maxResults < 1) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `max_results must be a positive integer, got ${maxResults}.`,
    );
  }
  if ((startStep === undefined) !== (endStep === undefined)) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      'If either start step or end step are specified, both must be specified.',
    );
  }
  if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `end_step must be greater than start_step. Found start_step=${startStep} and end_step=${endStep}.`,
    );
  }
  const from = startStep === undefined ? 0 : lowerBound(allSteps, startStep);
  const to = endStep === undefined ? allSteps.length : upperBound(allSteps, endStep);
  const count = to - from;
  return sampledStepPositions(count, maxResults).map((position) => allSteps[from + position]!);
}

/**
 * The positions (0-based, ascending) among `count` sorted distinct steps that `sampleSteps` keeps
 * for `maxResults` (>= 1): all of them when they fit, else evenly spaced ones with the first and
 * the last. Lets a store fetch just those steps instead of reading every step.
 *
 * @example
 * sampledStepPositions(11, 3) // [0, 5, 10]
 */
export function sampledStepPositions(count: number, maxResults: number): number[] {
  if (count <= 0) return [];
  const all = (n: number) => Array.from({ length: n }, (_, i) => i);
  if (count <= maxResults) return all(count);
  if (maxResults === 1) return count === 1 ? [0] : [0, count - 1];
  // count > maxResults >= 2, so the spacing exceeds 1 and rounding never picks an index twice.
  const spacing = (count - 1) / (maxResults - 1);
  return all(maxResults).map((i) => Math.round(i * spacing));
}

/**
 * `steps` with each run's own first and last step (in range) added, sorted and distinct: so every
 * run's line reaches its ends whatever the sampling of the union kept.
 *
 * @example
 * withRunEnds([0, 5, 10], [[3, 7]]) // [0, 3, 5, 7, 10]
 */
export function withRunEnds(
  steps: readonly number[],
  runEnds: readonly (readonly [first: number, last: number])[],
): number[] {
  const chosen = new Set(steps);
  for (const [first, last] of runEnds) {
    chosen.add(first);
    chosen.add(last);
  }
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Samples across several runs the way the bulk call needs it: the union of their steps is sampled,
 * then each run's own first and last step in range is added back so every run's line reaches its
 * ends. Input arrays need not be sorted or distinct. (A store that cannot hold every step composes
 * the same two parts: `sampledStepPositions` over the union's count, then `withRunEnds`.)
 *
 * @example
 * sampleStepsAcrossRuns([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [3, 7]], 3) // [0, 3, 5, 7, 10]
 */
export function sampleStepsAcrossRuns(
  stepsPerRun: readonly (readonly number[])[],
  maxResults: number,
  startStep?: number,
  endStep?: number,
): number[] {
  const union = [...new Set(stepsPerRun.flat())].sort((a, b) => a - b);
  const sampled = sampleSteps(union, maxResults, startStep, endStep);
  const inRange = (step: number) =>
    (startStep === undefined || step >= startStep) && (endStep === undefined || step <= endStep);
  const runEnds: [number, number][] = [];
  for (const steps of stepsPerRun) {
    let first: number | undefined;
    let last: number | undefined;
    for (const step of steps) {
      if (!inRange(step)) continue;
      if (first === undefined || step < first) first = step;
      if (last === undefined || step > last) last = step;
    }
    if (first !== undefined && last !== undefined) runEnds.push([first, last]);
  }
  return withRunEnds(sampled, runEnds);
}
