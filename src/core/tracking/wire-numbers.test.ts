import { describe, expect, test } from 'vitest';
import { encodeDouble } from './wire-numbers.js';

describe('wire numbers', () => {
  test('doubles: finite numbers stay numbers, NaN and infinities become strings', () => {
    expect(encodeDouble(0.5)).toBe(0.5);
    expect(encodeDouble(-0)).toBe(-0);
    expect(encodeDouble(Number.NaN)).toBe('NaN');
    expect(encodeDouble(Infinity)).toBe('Infinity');
    expect(encodeDouble(-Infinity)).toBe('-Infinity');
    expect(JSON.stringify({ v: encodeDouble(Number.NaN) })).toBe('{"v":"NaN"}');
  });
});
