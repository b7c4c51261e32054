import { describe, expect, it } from 'vitest';
import { Output, formatDuration, formatNumber, formatTime, truncate } from './output.js';

function capture(json = false, colorful = false) {
  let text = '';
  return { output: new Output({ write: (t: string) => (text += t) }, json, colorful), text: () => text };
}

describe('Output', () => {
  it('prints JSON with non-finite numbers as MLflow strings', () => {
    const { output, text } = capture(true);
    output.printJson({ a: Number.NaN, b: [Number.NEGATIVE_INFINITY, 1] });
    expect(JSON.parse(text())).toEqual({ a: 'NaN', b: ['-Infinity', 1] });
  });

  it('prints a table with one rule under the header and none between rows', () => {
    const { output, text } = capture();
    output.printTable(
      ['ID', 'Name'],
      [
        ['1', 'a'],
        ['2', 'b'],
      ],
    );
    expect(text()).toBe(
      [
        '┌────┬──────┐',
        '│ ID │ Name │',
        '├────┼──────┤',
        '│ 1  │ a    │',
        '│ 2  │ b    │',
        '└────┴──────┘',
        '',
      ].join('\n'),
    );
  });

  it('prints the empty note instead of an empty table, and no colour codes off a terminal', () => {
    const { output, text } = capture();
    output.printTable(['ID'], [], 'No runs.');
    expect(text()).toBe('No runs.\n');
    expect(text()).not.toContain('\u001b[');
  });
});

describe('formatting', () => {
  it('formats times in UTC and durations by size', () => {
    expect(formatTime(Date.UTC(2024, 4, 1, 9, 30, 5))).toBe('2024-05-01 09:30:05');
    expect(formatTime(null)).toBe('-');
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_345)).toBe('12.3s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(7_380_000)).toBe('2h 03m');
  });

  it('formats numbers with six significant digits and cuts long text', () => {
    expect(formatNumber(0.123456789)).toBe('0.123457');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(truncate('a\nb')).toBe('a b');
    expect(truncate('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
