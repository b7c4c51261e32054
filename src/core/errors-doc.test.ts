import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalog, KeelError } from './errors.js';

/** docs/errors.md lists every code with its HTTP status and meaning; this keeps the two in step. */
describe('the error catalog', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map(
    [...doc.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*(.+?)\s*\|$/gm)].map((m) => [
      m[1],
      { status: Number(m[2]), description: m[3] },
    ]),
  );

  it('is documented code by code, with the same status and meaning', () => {
    const catalog = Object.fromEntries(Object.entries(errorCatalog).map(([code, e]) => [code, { ...e }]));
    expect(Object.fromEntries(rows)).toEqual(catalog);
  });

  it('gives every error the status of its code', () => {
    for (const [code, entry] of Object.entries(errorCatalog)) {
      expect(new KeelError(code as keyof typeof errorCatalog, 'x').status).toBe(entry.status);
    }
  });
});
