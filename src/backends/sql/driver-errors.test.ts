import { describe, expect, it } from 'vitest';
import { KeelError } from '../../core/errors.js';
import { classifyDriverError, translateDriverError } from './driver-errors.js';

/** An error shaped as better-sqlite3 and pg throw them: a message and a `code`. */
function driverError(code: string): Error {
  return Object.assign(new Error(`driver says ${code} with internals`), { code });
}

describe('translateDriverError', () => {
  it.each([
    ['SQLITE_CONSTRAINT_UNIQUE', 'RESOURCE_ALREADY_EXISTS'],
    ['SQLITE_CONSTRAINT_PRIMARYKEY', 'RESOURCE_ALREADY_EXISTS'],
    ['23505', 'RESOURCE_ALREADY_EXISTS'],
    ['SQLITE_CONSTRAINT_FOREIGNKEY', 'RESOURCE_DOES_NOT_EXIST'],
    ['23503', 'RESOURCE_DOES_NOT_EXIST'],
    ['SQLITE_BUSY', 'ABORTED'],
    ['SQLITE_BUSY_SNAPSHOT', 'ABORTED'],
    ['40001', 'ABORTED'],
    ['40P01', 'ABORTED'],
    ['22003', 'INVALID_PARAMETER_VALUE'],
    ['54000', 'INVALID_PARAMETER_VALUE'],
    ['SQLITE_TOOBIG', 'INVALID_PARAMETER_VALUE'],
    ['08006', 'TEMPORARILY_UNAVAILABLE'],
    ['53300', 'TEMPORARILY_UNAVAILABLE'],
    ['57P01', 'TEMPORARILY_UNAVAILABLE'],
    ['ECONNREFUSED', 'TEMPORARILY_UNAVAILABLE'],
    ['SQLITE_FULL', 'TEMPORARILY_UNAVAILABLE'],
  ])('maps %s to %s without the driver text', (code, expected) => {
    const translated = translateDriverError(driverError(code));
    expect(translated).toBeInstanceOf(KeelError);
    expect((translated as KeelError).code).toBe(expected);
    expect((translated as KeelError).message).not.toContain('internals');
  });

  it('uses the caller message for a unique violation', () => {
    const translated = translateDriverError(driverError('23505'), {
      alreadyExists: "Experiment 'x' already exists.",
    });
    expect(translated).toEqual(new KeelError('RESOURCE_ALREADY_EXISTS', "Experiment 'x' already exists."));
  });

  it('keeps a protocol (bind) error out of TEMPORARILY_UNAVAILABLE: it is a bug, not an outage', () => {
    expect(classifyDriverError(driverError('08P01'))).toBeUndefined();
    const error = driverError('08P01');
    expect(translateDriverError(error)).toBe(error);
    expect(classifyDriverError(driverError('08003'))).toBe('unavailable');
  });

  it('passes KeelErrors and unknown errors through unchanged', () => {
    const keel = new KeelError('INVALID_STATE', 'no');
    expect(translateDriverError(keel)).toBe(keel);
    for (const other of [
      new Error('bug'),
      driverError('42P01'),
      driverError('SQLITE_ERROR'),
      'text',
      null,
      { code: 7 },
    ]) {
      expect(translateDriverError(other)).toBe(other);
      expect(classifyDriverError(other)).toBeUndefined();
    }
  });
});
