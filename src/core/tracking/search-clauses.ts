import { KeelError } from '../errors.js';
import type { NullComparator, NumericComparator, SetComparator, StringComparator } from './search-ast.js';
import {
  atPosition,
  quoteToken,
  type FilterComparator,
  type ScannedClause,
  type ScannedIdentifier,
} from './search-scanner.js';

/**
 * What the search parsers share once the scanner has split the text: entity prefixes and their
 * aliases, the comparator sets, and typed values with MLflow's messages.
 */

export type EntityKind = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

const entityAliases = new Map<string, EntityKind>([
  ['metric', 'metric'],
  ['metrics', 'metric'],
  ['param', 'param'],
  ['params', 'param'],
  ['parameter', 'param'],
  ['parameters', 'param'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
  ['dataset', 'dataset'],
  ['datasets', 'dataset'],
]);

export const numericComparators: readonly NumericComparator[] = ['=', '!=', '<', '<=', '>', '>='];
export const stringComparators: readonly StringComparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
export const setComparators: readonly SetComparator[] = ['IN', 'NOT IN'];
export const nullComparators: readonly NullComparator[] = ['IS NULL', 'IS NOT NULL'];

function invalid(message: string): KeelError {
  return new KeelError('INVALID_PARAMETER_VALUE', message);
}

/** `['a', 'b']`, the way MLflow's Python messages print a list of names. */
export function pythonList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}

/**
 * The entity an identifier names (aliases and case folded); a bare name is an attribute.
 * `validText` completes the message: "Invalid entity type 'foo'. <validText>".
 */
export function resolveEntity(
  identifier: ScannedIdentifier,
  allowed: readonly EntityKind[],
  validText: string,
): EntityKind {
  if (identifier.entity === undefined) return 'attribute';
  const kind = entityAliases.get(identifier.entity.toLowerCase());
  if (kind === undefined || !allowed.includes(kind)) {
    throw invalid(
      `Invalid entity type ${quoteToken(identifier.entity)}. ${validText} ${atPosition(identifier.position)}`,
    );
  }
  return kind;
}

/** Looks an attribute name up in a table of names and aliases, or fails with MLflow's message. */
export function resolveAttribute<K extends string>(
  identifier: ScannedIdentifier,
  table: ReadonlyMap<string, K>,
  validKeys: readonly string[],
): K {
  const key = table.get(identifier.key);
  if (key === undefined) {
    throw invalid(
      `Invalid attribute key ${quoteToken(identifier.key)} specified. Valid keys are ${pythonList(validKeys)} ${atPosition(identifier.position)}`,
    );
  }
  return key;
}

/** The clause's comparator when `allowed` holds it; `subject` names the key in the message. */
export function checkComparator<C extends FilterComparator>(
  clause: ScannedClause,
  allowed: readonly C[],
  subject: string,
): C {
  const comparator = clause.comparator as C;
  if (!allowed.includes(comparator)) {
    throw invalid(
      `Invalid comparator ${quoteToken(clause.comparatorText)} not one of ${pythonList(allowed)} for ${subject} ${atPosition(clause.comparatorPosition)}`,
    );
  }
  return comparator;
}

export function isNullComparator(comparator: FilterComparator): comparator is NullComparator {
  return comparator === 'IS NULL' || comparator === 'IS NOT NULL';
}

export function isSetComparator(comparator: FilterComparator): comparator is SetComparator {
  return comparator === 'IN' || comparator === 'NOT IN';
}

function nullHint(text: string): string {
  return text.toUpperCase() === 'NULL' ? '; to match a missing key use IS NULL or IS NOT NULL' : '';
}

/** A numeric value; `expectation` is MLflow's sentence, e.g. "Expected numeric value type for metric." */
export function numberValue(clause: ScannedClause, expectation: string): number {
  const { value } = clause;
  if (value.type !== 'number') {
    throw invalid(`${expectation} Found ${value.text}${nullHint(value.text)} ${atPosition(value.position)}`);
  }
  return value.value;
}

/** A numeric value that must be an integer (times in epoch milliseconds). */
export function integerValue(clause: ScannedClause, attribute: string): number {
  const number = numberValue(clause, `Expected numeric value type for numeric attribute: ${attribute}.`);
  if (!Number.isSafeInteger(number)) {
    throw invalid(
      `Expected an integer value for numeric attribute: ${attribute}. Found ${clause.value.text} ${atPosition(clause.value.position)}`,
    );
  }
  return number;
}

/** A quoted string; `subject` is MLflow's entity word ("parameter", "tag", "attributes"). */
export function stringValue(clause: ScannedClause, subject: string): string {
  const { value } = clause;
  if (value.type !== 'string') {
    const shown = value.type === 'none' ? 'nothing' : value.text;
    throw invalid(
      `Expected a quoted string value for ${subject} (e.g. 'my-value'). Got value ${shown}${nullHint(shown)} ${atPosition(value.position)}`,
    );
  }
  return value.value;
}

/** The list after IN or NOT IN. */
export function listValue(clause: ScannedClause): string[] {
  const { value } = clause;
  if (value.type !== 'list') {
    throw invalid(
      `Expected a list of quoted strings such as ('a', 'b') after ${clause.comparatorText}, found ${value.type === 'none' ? 'nothing' : value.text} ${atPosition(value.position)}`,
    );
  }
  return value.values;
}
