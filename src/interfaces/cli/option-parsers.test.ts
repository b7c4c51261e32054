import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  collectKeyValue,
  integerIn,
  parseDuration,
  parseTimePoint,
  parseView,
  principalOption,
} from './option-parsers.js';

describe('parseDuration', () => {
  it('reads days, hours, minutes and seconds, alone or combined', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('1d2h3m4s')).toBe(86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4000);
    expect(parseDuration(' 2H ')).toBe(2 * 3_600_000);
  });

  it('rejects anything else as a usage error', () => {
    for (const bad of ['', '30', 'd', '1w', '-1d', '1.5h', '1d 2h', '99999999999999999999d']) {
      expect(() => parseDuration(bad)).toThrowError(InvalidArgumentError);
    }
  });
});

describe('integerIn', () => {
  it('accepts integers in range and rejects the rest', () => {
    const port = integerIn(0, 65535);
    expect(port('8080')).toBe(8080);
    for (const bad of ['65536', '-1', '1.5', 'abc', '', '1e3'])
      expect(() => port(bad)).toThrowError(InvalidArgumentError);
  });
});

describe('parseView and collectKeyValue', () => {
  it('maps view names to MLflow view types', () => {
    expect(parseView('active')).toBe('ACTIVE_ONLY');
    expect(parseView('DELETED')).toBe('DELETED_ONLY');
    expect(parseView('all')).toBe('ALL');
    expect(() => parseView('archived')).toThrowError(InvalidArgumentError);
  });

  it('collects key=value pairs, keeping = in values', () => {
    expect(collectKeyValue('b=x=y', collectKeyValue('a=1', undefined))).toEqual({ a: '1', b: 'x=y' });
    expect(() => collectKeyValue('=v', undefined)).toThrowError(InvalidArgumentError);
    expect(() => collectKeyValue('novalue', undefined)).toThrowError(InvalidArgumentError);
  });
});

describe('parseTimePoint and principalOption', () => {
  const now = Date.UTC(2026, 0, 10, 12);
  it('reads dates and date-times as UTC, epoch ms, and durations ago', () => {
    expect(parseTimePoint('2026-01-31', now)).toBe(Date.UTC(2026, 0, 31));
    expect(parseTimePoint('2026-01-31T08:30', now)).toBe(Date.UTC(2026, 0, 31, 8, 30));
    expect(parseTimePoint('2026-01-31T08:30:00+02:00', now)).toBe(Date.UTC(2026, 0, 31, 6, 30));
    expect(parseTimePoint('1767225600000', now)).toBe(1767225600000);
    expect(parseTimePoint('1d', now)).toBe(now - 86_400_000);
    expect(parseTimePoint('2h30m', now)).toBe(now - 9_000_000);
  });

  it('rejects anything else as a usage error', () => {
    for (const bad of ['yesterday', '', '2026-13-45', '12', 'now', '2026/01/01'])
      expect(() => parseTimePoint(bad, now)).toThrowError(InvalidArgumentError);
  });

  it('takes exactly one of --user and --group', () => {
    expect(principalOption({ user: 'ann' })).toEqual({ user: 'ann' });
    expect(principalOption({ group: 'ml' })).toEqual({ group: 'ml' });
    expect(() => principalOption({})).toThrowError(InvalidArgumentError);
    expect(() => principalOption({ user: 'a', group: 'b' })).toThrowError(InvalidArgumentError);
  });
});
