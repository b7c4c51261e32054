import { KeelError, isKeelError } from '../../core/errors.js';

/** What a driver failure means, independent of the engine that raised it. */
export type DriverFailure = 'unique' | 'foreign-key' | 'conflict' | 'invalid-value' | 'unavailable';

const sqliteFailures: Record<string, DriverFailure> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign-key',
  SQLITE_BUSY: 'conflict',
  SQLITE_BUSY_SNAPSHOT: 'conflict',
  SQLITE_BUSY_TIMEOUT: 'conflict',
  SQLITE_BUSY_RECOVERY: 'conflict',
  SQLITE_LOCKED: 'conflict',
  SQLITE_LOCKED_SHAREDCACHE: 'conflict',
  SQLITE_TOOBIG: 'invalid-value',
  SQLITE_RANGE: 'invalid-value',
  SQLITE_FULL: 'unavailable',
  SQLITE_READONLY: 'unavailable',
  SQLITE_CANTOPEN: 'unavailable',
};

/** PostgreSQL SQLSTATEs, exact codes first, then by class (the first two characters). */
const postgresFailures: Record<string, DriverFailure> = {
  '23505': 'unique',
  '23503': 'foreign-key',
  '40001': 'conflict', // serialization_failure
  '40P01': 'conflict', // deadlock_detected
  '55P03': 'conflict', // lock_not_available
  '22001': 'invalid-value', // string_data_right_truncation
  '22003': 'invalid-value', // numeric_value_out_of_range
  '22P02': 'invalid-value', // invalid_text_representation
  '22021': 'invalid-value', // character_not_in_repertoire (NUL bytes)
  '54000': 'invalid-value', // program_limit_exceeded (an index row too large)
  '57P01': 'unavailable', // admin_shutdown
  '57P02': 'unavailable', // crash_shutdown
  '57P03': 'unavailable', // cannot_connect_now
};
/**
 * Codes of a class below that are not what the class means: 08P01 protocol_violation is what a bind
 * message with too many parameters gets, a bug in the statement (input must be capped before it),
 * never a lost connection, so it must not become a 503 that clients retry for minutes.
 */
const postgresClassExceptions = new Set(['08P01']);
const postgresClassFailures: Record<string, DriverFailure> = {
  '08': 'unavailable', // connection exception
  '53': 'unavailable', // insufficient resources (too many connections, disk full)
};
const networkFailures = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
]);

/** Classifies an error thrown by better-sqlite3 or pg; `undefined` for anything else. */
export function classifyDriverError(error: unknown): DriverFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  if (code.startsWith('SQLITE_')) return sqliteFailures[code];
  if (networkFailures.has(code)) return 'unavailable';
  if (/^[0-9A-Z]{5}$/.test(code)) {
    if (postgresClassExceptions.has(code)) return undefined;
    return postgresFailures[code] ?? postgresClassFailures[code.slice(0, 2)];
  }
  return undefined;
}

/** Messages for the failures whose meaning depends on the operation. */
export interface DriverErrorMessages {
  /** For a unique violation, e.g. `Experiment 'x' already exists.` */
  alreadyExists?: string;
  /** For a foreign-key violation: the write named an entity that is gone. */
  missingReference?: string;
}

/**
 * Turns a driver failure into the `KeelError` callers expect: unique violation ->
 * RESOURCE_ALREADY_EXISTS, foreign-key violation -> RESOURCE_DOES_NOT_EXIST, busy, deadlock or
 * serialization failure -> ABORTED, a value the column cannot hold -> INVALID_PARAMETER_VALUE, a lost
 * or refused connection -> TEMPORARILY_UNAVAILABLE. `KeelError`s and unknown errors pass through
 * unchanged (unknown ones become INTERNAL_ERROR at the edge). Driver text never reaches the message.
 */
export function translateDriverError(error: unknown, messages: DriverErrorMessages = {}): unknown {
  if (isKeelError(error)) return error;
  switch (classifyDriverError(error)) {
    case 'unique':
      return new KeelError('RESOURCE_ALREADY_EXISTS', messages.alreadyExists ?? 'The entity already exists.');
    case 'foreign-key':
      return new KeelError(
        'RESOURCE_DOES_NOT_EXIST',
        messages.missingReference ??
          'The write refers to an entity that does not exist (it may have just been deleted).',
      );
    case 'conflict':
      return new KeelError(
        'ABORTED',
        'The write conflicted with a concurrent write and was rolled back; retry it.',
      );
    case 'invalid-value':
      return new KeelError(
        'INVALID_PARAMETER_VALUE',
        'A value is out of the range or size the database can store.',
      );
    case 'unavailable':
      return new KeelError('TEMPORARILY_UNAVAILABLE', 'The metadata database is unavailable; retry later.');
    case undefined:
      return error;
  }
}
