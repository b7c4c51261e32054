import { Type } from '@sinclair/typebox';
import { describe, expect, test } from 'vitest';
import { KeelError } from '../../core/errors.js';
import { decodeJsonBody, parseMessage } from './request-parsing.js';

const Message = Type.Object({
  id: Type.String({ minLength: 1 }),
  note: Type.Optional(Type.String()),
  value: Type.Optional(Type.Number()),
  count: Type.Optional(Type.Integer()),
  flag: Type.Optional(Type.Boolean()),
  ids: Type.Optional(Type.Array(Type.String())),
  view: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
  items: Type.Optional(Type.Array(Type.Object({ key: Type.String({ minLength: 1 }), n: Type.Integer() }))),
});

function failure(run: () => unknown): KeelError {
  try {
    run();
  } catch (error) {
    if (error instanceof KeelError) return error;
    throw error;
  }
  throw new Error('expected a KeelError');
}

describe('parseMessage', () => {
  test('keeps known fields, drops unknown ones and nulls', () => {
    expect(parseMessage(Message, { id: 'a', extra: 1, note: null }, 'json')).toEqual({ id: 'a' });
  });

  test('a missing required field, or an empty one where it must be non-empty, is MLflow\'s "Missing value"', () => {
    for (const input of [{}, { id: '' }, { id: null }, null, undefined]) {
      const error = failure(() => parseMessage(Message, input, 'json'));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toBe(
        "Missing value for required parameter 'id'. See the API docs for more information about request parameters.",
      );
    }
    expect(failure(() => parseMessage(Message, { id: 'a', items: [{ n: 1 }] }, 'json')).message).toMatch(
      /'items\[0\].key'/,
    );
  });

  test('wrong types name the field, the value and the Python type', () => {
    expect(failure(() => parseMessage(Message, { id: 123 }, 'json')).message).toBe(
      "Invalid value 123 for parameter 'id' supplied: Hint: Value was of type 'int'. See the API docs for more information about request parameters.",
    );
    expect(failure(() => parseMessage(Message, { id: 'a', ids: 'x' }, 'json')).message).toMatch(
      /'ids'.*'str'/,
    );
    expect(failure(() => parseMessage(Message, { id: 'a', count: 1.5 }, 'json')).message).toMatch(
      /'count'.*'float'/,
    );
    expect(failure(() => parseMessage(Message, { id: 'a', flag: 'true' }, 'json')).message).toMatch(
      /'flag'.*'str'/,
    );
    expect(
      failure(() => parseMessage(Message, { id: 'a', items: [{ key: 'k', n: [] }] }, 'json')).message,
    ).toMatch(/'items\[0\].n'.*'list'/);
    expect(failure(() => parseMessage(Message, { id: 'a', value: {} }, 'json')).message).toMatch(
      /'value'.*'dict'/,
    );
    expect(failure(() => parseMessage(Message, [1], 'json')).code).toBe('INVALID_PARAMETER_VALUE');
  });

  test('doubles accept numeric strings and NaN/Infinity; int64 accepts integer strings', () => {
    const parsed = parseMessage(Message, { id: 'a', value: 'NaN', count: '42' }, 'json');
    expect(parsed.value).toBeNaN();
    expect(parsed.count).toBe(42);
    expect(parseMessage(Message, { id: 'a', value: '-Infinity' }, 'json').value).toBe(-Infinity);
    expect(parseMessage(Message, { id: 'a', value: '1e3' }, 'json').value).toBe(1000);
    expect(failure(() => parseMessage(Message, { id: 'a', value: 'abc' }, 'json')).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect(failure(() => parseMessage(Message, { id: 'a', count: '9007199254740993' }, 'json')).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
  });

  test('query strings: numbers from text, strict booleans, one value of a list field is a list', () => {
    expect(parseMessage(Message, { id: 'a', count: '7', flag: 'false', ids: 'x' }, 'query')).toEqual({
      id: 'a',
      count: 7,
      flag: false,
      ids: ['x'],
    });
    expect(parseMessage(Message, { id: 'a', ids: ['x', 'y'], flag: 'true' }, 'query')).toEqual({
      id: 'a',
      ids: ['x', 'y'],
      flag: true,
    });
    for (const flag of ['True', '1', 'yes']) {
      expect(failure(() => parseMessage(Message, { id: 'a', flag }, 'query')).message).toMatch(/'flag'/);
    }
    expect(failure(() => parseMessage(Message, { id: ['a', 'b'] }, 'query')).message).toMatch(/'id'.*'list'/);
  });

  test('unions take the first member that fits', () => {
    expect(parseMessage(Message, { id: 'a', view: 'ALL' }, 'json').view).toBe('ALL');
    expect(parseMessage(Message, { id: 'a', view: 3 }, 'json').view).toBe(3);
    expect(failure(() => parseMessage(Message, { id: 'a', view: true }, 'json')).message).toMatch(
      /'view'.*'bool'/,
    );
  });
});

describe('decodeJsonBody', () => {
  test('empty is {}, double-encoded JSON is decoded twice, objects pass through', () => {
    expect(decodeJsonBody('')).toEqual({});
    expect(decodeJsonBody('  ')).toEqual({});
    expect(decodeJsonBody('{"a":1}')).toEqual({ a: 1 });
    expect(decodeJsonBody(JSON.stringify(JSON.stringify({ a: 1 })))).toEqual({ a: 1 });
    expect(decodeJsonBody({ a: 1 })).toEqual({ a: 1 });
    expect(decodeJsonBody(null)).toBeNull();
  });

  test('text that is not JSON is MALFORMED_REQUEST', () => {
    expect(failure(() => decodeJsonBody('{"a":')).code).toBe('MALFORMED_REQUEST');
    expect(failure(() => decodeJsonBody('"not json inside"')).code).toBe('MALFORMED_REQUEST');
  });
});
