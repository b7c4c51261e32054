import { expect } from 'vitest';
import { KeelError } from '../../src/core/errors.js';

/**
 * Runs `fn`, expects it to throw `KeelError('INVALID_PARAMETER_VALUE')`, and returns the message so
 * a test can assert on what a person would read.
 */
export function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('INVALID_PARAMETER_VALUE');
    return (error as KeelError).message;
  }
  throw new Error('expected a KeelError, nothing was thrown');
}
