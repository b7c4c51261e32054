import type { RunFilterClause } from './search-ast.js';

/**
 * Prints run-filter clauses back in the canonical grammar, so that
 * `parseRunFilter(formatRunFilter(clauses))` deep-equals `clauses`. Keys of metrics, params and tags
 * are always backticked, strings single-quoted, with `\` and the quote escaped by a backslash.
 *
 * @example
 * formatRunFilter([{ kind: 'metric', key: 'f1 score', comparator: '>', value: 0.5 }])
 * // "metrics.`f1 score` > 0.5"
 */
export function formatRunFilter(clauses: readonly RunFilterClause[]): string {
  return clauses.map(formatClause).join(' AND ');
}

function quote(text: string, quoteChar: string): string {
  let out = quoteChar;
  for (const char of text) {
    out += char === '\\' || char === quoteChar ? `\\${char}` : char;
  }
  return out + quoteChar;
}

function formatValue(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`A filter value must be a finite number, got ${value}`);
    return String(value);
  }
  return quote(value, "'");
}

function formatList(values: readonly string[]): string {
  return `(${values.map((value) => quote(value, "'")).join(', ')})`;
}

function formatClause(clause: RunFilterClause): string {
  let key: string;
  switch (clause.kind) {
    case 'metric':
      key = `metrics.${quote(clause.key, '`')}`;
      break;
    case 'param':
      key = `params.${quote(clause.key, '`')}`;
      break;
    case 'tag':
      key = `tags.${quote(clause.key, '`')}`;
      break;
    case 'attribute':
      key = `attributes.${clause.key}`;
      break;
    case 'dataset':
      key = `datasets.${clause.key}`;
      break;
  }
  if ('values' in clause) return `${key} ${clause.comparator} ${formatList(clause.values)}`;
  if ('value' in clause) return `${key} ${clause.comparator} ${formatValue(clause.value)}`;
  return `${key} ${clause.comparator}`;
}
