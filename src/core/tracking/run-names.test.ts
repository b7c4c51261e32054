import { describe, expect, it } from 'vitest';
import { generateRunName, runNameWords } from './run-names.js';

describe('generateRunName', () => {
  it('makes adjective-noun-number names from the word lists', () => {
    for (let i = 0; i < 500; i++) {
      const name = generateRunName();
      const match = /^([a-z]+)-([a-z]+)-(\d{1,3})$/.exec(name);
      expect(match, name).not.toBeNull();
      expect(runNameWords.adjectives).toContain(match![1]);
      expect(runNameWords.nouns).toContain(match![2]);
    }
  });

  it('has about fifty distinct, URL-safe words in each list', () => {
    for (const words of [runNameWords.adjectives, runNameWords.nouns]) {
      expect(words.length).toBeGreaterThanOrEqual(50);
      expect(new Set(words).size).toBe(words.length);
      for (const word of words) expect(word).toMatch(/^[a-z]+$/);
    }
  });

  it('is deterministic for an injected source, and survives a bad one', () => {
    const sequence = [0, 0, 0.417];
    let i = 0;
    expect(generateRunName(() => sequence[i++]!)).toBe(
      `${runNameWords.adjectives[0]}-${runNameWords.nouns[0]}-417`,
    );
    expect(generateRunName(() => 0.999999)).toBe(
      `${runNameWords.adjectives.at(-1)}-${runNameWords.nouns.at(-1)}-999`,
    );
    expect(generateRunName(() => Number.NaN)).toBe(
      `${runNameWords.adjectives[0]}-${runNameWords.nouns[0]}-0`,
    );
    expect(generateRunName(() => 7)).toBe(
      `${runNameWords.adjectives.at(-1)}-${runNameWords.nouns.at(-1)}-999`,
    );
  });
});
