import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeelError } from '../errors.js';
import { sampleSteps, sampleStepsAcrossRuns } from './metric-sampling.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('sampleSteps', () => {
  it('returns every step in range when they fit', () => {
    expect(sampleSteps([0, 1, 2], 10)).toEqual([0, 1, 2]);
    expect(sampleSteps(range(0, 10), 10, 2, 4)).toEqual([2, 3, 4]);
    expect(sampleSteps([-5, 0, 5], 3)).toEqual([-5, 0, 5]);
    expect(sampleSteps([], 10)).toEqual([]);
    expect(sampleSteps([1, 2, 3], 10, 5, 9)).toEqual([]);
  });

  it('spreads steps evenly, keeping the first and the last', () => {
    expect(sampleSteps(range(0, 10), 3)).toEqual([0, 5, 10]);
    expect(sampleSteps(range(0, 100), 5)).toEqual([0, 25, 50, 75, 100]);
    expect(sampleSteps(range(0, 1000), 2, 100, 200)).toEqual([100, 200]);
    expect(sampleSteps([0, 10, 20, 30, 40, 1000], 3, 5, 45)).toEqual([10, 30, 40]);
    expect(sampleSteps(range(0, 10), 1)).toEqual([0, 10]);
  });

  it('holds its contract for any input', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.integer({ min: -1000, max: 1000 }), { maxLength: 300 })
          .map((steps) => steps.sort((a, b) => a - b)),
        fc.integer({ min: 1, max: 50 }),
        fc.option(fc.tuple(fc.integer({ min: -1200, max: 1200 }), fc.integer({ min: 0, max: 2400 })), {
          nil: undefined,
        }),
        (steps, maxResults, bounds) => {
          const start = bounds?.[0];
          const end = bounds === undefined ? undefined : bounds[0] + bounds[1];
          const inRange = steps.filter(
            (s) => (start === undefined || s >= start) && (end === undefined || s <= end),
          );
          const sampled = sampleSteps(steps, maxResults, start, end);
          expect(sampled.length).toBeLessThanOrEqual(Math.max(maxResults, 2));
          expect([...sampled].sort((a, b) => a - b)).toEqual(sampled);
          expect(new Set(sampled).size).toBe(sampled.length);
          for (const step of sampled) expect(inRange).toContain(step);
          if (inRange.length > 0) {
            expect(sampled[0]).toBe(inRange[0]);
            expect(sampled.at(-1)).toBe(inRange.at(-1));
          }
          if (inRange.length <= maxResults) expect(sampled).toEqual(inRange);
          else expect(sampled.length).toBe(Math.max(maxResults, 2));
        },
      ),
    );
  });

  it('rejects bad ranges and sizes with MLflow wording', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(KeelError);
        return (error as KeelError).message;
      }
      return 'no error';
    };
    expect(message(() => sampleSteps([1], 5, 3, 1))).toBe(
      'end_step must be greater than start_step. Found start_step=3 and end_step=1.',
    );
    expect(message(() => sampleSteps([1], 5, 3))).toBe(
      'If either start step or end step are specified, both must be specified.',
    );
    expect(message(() => sampleSteps([1], 0))).toBe('max_results must be a positive integer, got 0.');
  });
});

describe('sampleStepsAcrossRuns', () => {
  it('adds back each run’s first and last step in range', () => {
    expect(sampleStepsAcrossRuns([range(0, 10), [3, 7]], 3)).toEqual([0, 3, 5, 7, 10]);
    expect(sampleStepsAcrossRuns([[5, 1, 3, 3]], 10)).toEqual([1, 3, 5]);
    expect(sampleStepsAcrossRuns([range(0, 100), [50, 60, 70]], 2, 55, 100)).toEqual([55, 60, 70, 100]);
    expect(sampleStepsAcrossRuns([], 5)).toEqual([]);
  });
});
