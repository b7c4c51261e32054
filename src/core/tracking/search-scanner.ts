import { KeelError } from '../errors.js';

/**
 * The lexical half of MLflow's search grammar, shared by every search (runs, experiments, logged
 * models): it turns a filter string into `key comparator value` clauses and an order_by item into a
 * key and a direction, without knowing which keys or comparators a search allows. The parsers in
 * `search-filter.ts` and `search-order.ts` give the clauses their meaning.
 *
 * Hand-written and single-pass: every loop moves the cursor forward, so time is linear in the input
 * and no input can make it hang. Every failure is a `KeelError('INVALID_PARAMETER_VALUE')` naming the
 * offending token and its 1-based position.
 *
 * Lexical rules:
 * - Keys: `<entity>.<name>` or a bare attribute name. The entity is a word or a quoted word. The name
 *   is quoted with backticks or double quotes (``metrics.`f1 score` ``, `tags."a.b"`), or bare: then
 *   it runs up to whitespace or one of ``= ! < > ( ) , ; ' " ` `` (so `tags.mlflow.runName` and
 *   `metrics.val/loss` need no quotes).
 * - Strings: single or double quotes. Inside, a doubled quote or a backslash before the quote stands
 *   for the quote, `\\` for one backslash; any other backslash is kept as written (so LIKE patterns
 *   such as `'a\_b'` reach the store unchanged).
 * - Numbers: `[+-]digits[.digits][e[+-]digits]` or `[+-].digits[...]`.
 * - Lists: `('a', "b")`, non-empty, strings only.
 * - Keywords (AND, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL, ASC, DESC) are case-insensitive.
 */

export type FilterComparator =
  '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

export interface ScannedIdentifier {
  /** The entity prefix as written (`metrics`, `tag`, ...); undefined for a bare attribute name. */
  entity: string | undefined;
  key: string;
  /** 0-based offset of the identifier in the source. */
  position: number;
  /** The identifier as written, for messages. */
  text: string;
}

export type ScannedValue =
  | { type: 'string'; value: string; text: string; position: number }
  | { type: 'number'; value: number; text: string; position: number }
  | { type: 'list'; values: string[]; text: string; position: number }
  /** An unquoted word (`abc`, `NULL`) or a backticked one: never a valid value, kept for the message. */
  | { type: 'word'; text: string; position: number }
  /** No value: the comparator was IS NULL or IS NOT NULL. */
  | { type: 'none'; text: ''; position: number };

export interface ScannedClause {
  identifier: ScannedIdentifier;
  comparator: FilterComparator;
  /** The comparator as written, for messages (`like`, `is not null`). */
  comparatorText: string;
  comparatorPosition: number;
  value: ScannedValue;
}

export interface ScannedOrderBy {
  identifier: ScannedIdentifier;
  ascending: boolean;
}

/** More clauses than this in one filter is refused: each becomes a join or subquery in SQL. */
export const MAX_FILTER_CLAUSES = 100;
/**
 * More values than this across all the IN / NOT IN lists of one filter is refused: each becomes a
 * bound SQL parameter, and databases cap those per statement.
 */
export const MAX_FILTER_LIST_VALUES = 10_000;
/**
 * Quoted text (a value or a key) longer than this, in UTF-16 code units, is refused: enough for any
 * stored tag value (8,000 characters), and short enough for every database's LIKE pattern limit
 * (SQLite refuses patterns over 50,000 bytes; 8,000 code units are at most 24,000 UTF-8 bytes).
 */
export const MAX_FILTER_STRING_LENGTH = 8000;

/** Quotes a token for a message, cut to a readable length. */
export function quoteToken(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 80)}...` : text;
  return `'${cut}'`;
}

/** Where a failure happened, appended to every parse message. */
export function atPosition(position: number): string {
  return `(at position ${position + 1})`;
}

const CODE_TAB = 9;
const CODE_LF = 10;
const CODE_VT = 11;
const CODE_FF = 12;
const CODE_CR = 13;
const CODE_SPACE = 32;

function isWhitespace(code: number): boolean {
  return code === CODE_SPACE || (code >= CODE_TAB && code <= CODE_CR) || code === 0xa0;
}

function isWordCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Characters that end a bare key or a bare word. */
const TERMINATORS = new Set(['=', '!', '<', '>', '(', ')', ',', ';', "'", '"', '`']);

function endsBareText(char: string): boolean {
  return TERMINATORS.has(char) || isWhitespace(char.charCodeAt(0));
}

class Scanner {
  pos = 0;
  /** Values read so far across every list of the source. */
  listValues = 0;
  constructor(
    readonly src: string,
    /** Builds the error for a failure at a position; lets order_by wrap messages in its own frame. */
    readonly fail: (detail: string, position: number) => KeelError,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  char(offset = 0): string {
    return this.src.charAt(this.pos + offset);
  }

  code(offset = 0): number {
    return this.src.charCodeAt(this.pos + offset);
  }

  skipWhitespace(): void {
    while (this.pos < this.src.length && isWhitespace(this.src.charCodeAt(this.pos))) this.pos++;
  }

  readWord(): string {
    const start = this.pos;
    while (this.pos < this.src.length && isWordCode(this.src.charCodeAt(this.pos))) this.pos++;
    return this.src.slice(start, this.pos);
  }

  readBareText(): string {
    const start = this.pos;
    while (this.pos < this.src.length && !endsBareText(this.src.charAt(this.pos))) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** The token at the cursor, for "found ..." in messages. */
  describeHere(): string {
    if (this.atEnd) return 'the end of the input';
    const word = /^[A-Za-z0-9_]+/.exec(this.src.slice(this.pos, this.pos + 80));
    return quoteToken(word ? word[0] : this.char());
  }

  /** Reads a quoted string or key; the cursor is on the opening quote. */
  readQuoted(): { value: string; text: string } {
    const start = this.pos;
    const quote = this.char();
    const src = this.src;
    let out = '';
    let segment = ++this.pos;
    for (;;) {
      if (this.pos >= src.length) {
        throw this.fail(`Unterminated quoted text starting with ${quoteToken(src.slice(start))}`, start);
      }
      const char = src.charAt(this.pos);
      if (char === '\\') {
        const next = src.charAt(this.pos + 1);
        if (next === quote || next === '\\') {
          out += src.slice(segment, this.pos) + next;
          this.pos += 2;
          segment = this.pos;
        } else {
          this.pos++;
        }
      } else if (char === quote) {
        if (src.charAt(this.pos + 1) === quote) {
          out += src.slice(segment, this.pos) + quote;
          this.pos += 2;
          segment = this.pos;
        } else {
          out += src.slice(segment, this.pos);
          this.pos++;
          if (out.length > MAX_FILTER_STRING_LENGTH) {
            throw this.fail(
              `Quoted text ${quoteToken(src.slice(start, this.pos))} is ${out.length} characters long; at most ${MAX_FILTER_STRING_LENGTH} are allowed`,
              start,
            );
          }
          return { value: out, text: src.slice(start, this.pos) };
        }
      } else {
        this.pos++;
      }
    }
  }

  readIdentifier(): ScannedIdentifier {
    const start = this.pos;
    const first = this.char();
    let head: string;
    if (first === '`' || first === '"') {
      head = this.readQuoted().value;
    } else if (isWordCode(this.code())) {
      head = this.readWord();
    } else if (first === "'") {
      throw this.fail(
        `Expected a key such as metrics.<name>, params.<name>, tags.<name> or an attribute name, found the string ${quoteToken(this.readQuoted().text)}; quote keys with backticks or double quotes`,
        start,
      );
    } else {
      throw this.fail(
        `Expected a key such as metrics.<name>, params.<name>, tags.<name> or an attribute name, found ${this.describeHere()}`,
        start,
      );
    }
    if (this.char() !== '.') {
      return { entity: undefined, key: head, position: start, text: this.src.slice(start, this.pos) };
    }
    this.pos++;
    const keyStart = this.pos;
    const opener = this.char();
    let key: string;
    if (opener === '`' || opener === '"') {
      key = this.readQuoted().value;
      if (!this.atEnd && !endsBareText(this.char())) {
        throw this.fail(
          `Unexpected ${this.describeHere()} after the quoted key ${quoteToken(this.src.slice(start, this.pos))}`,
          this.pos,
        );
      }
    } else {
      key = this.readBareText();
      if (key === '') {
        throw this.fail(
          `Missing key name after ${quoteToken(this.src.slice(start, keyStart))}, found ${this.describeHere()}`,
          keyStart,
        );
      }
    }
    if (key === '') {
      throw this.fail(`Empty key name in ${quoteToken(this.src.slice(start, this.pos))}`, keyStart);
    }
    return { entity: head, key, position: start, text: this.src.slice(start, this.pos) };
  }

  readComparator(identifier: ScannedIdentifier): { comparator: FilterComparator; text: string } {
    const start = this.pos;
    const char = this.char();
    const next = this.char(1);
    const symbol = (comparator: FilterComparator, length: number) => {
      this.pos += length;
      return { comparator, text: comparator };
    };
    if (char === '=') {
      if (next === '=') throw this.fail(`Invalid comparator '==': use '='`, start);
      return symbol('=', 1);
    }
    if (char === '!' && next === '=') return symbol('!=', 2);
    if (char === '<') {
      if (next === '>') throw this.fail(`Invalid comparator '<>': use '!='`, start);
      return next === '=' ? symbol('<=', 2) : symbol('<', 1);
    }
    if (char === '>') return next === '=' ? symbol('>=', 2) : symbol('>', 1);
    if (isWordCode(this.code())) {
      const word = this.readWord().toUpperCase();
      if (word === 'LIKE' || word === 'ILIKE' || word === 'IN') {
        return { comparator: word, text: this.src.slice(start, this.pos) };
      }
      if (word === 'NOT') {
        this.skipWhitespace();
        const second = this.readWord().toUpperCase();
        if (second === 'IN') return { comparator: 'NOT IN', text: this.src.slice(start, this.pos) };
        throw this.fail(
          `Invalid comparator ${quoteToken(this.src.slice(start, this.pos))}: NOT is only supported in NOT IN`,
          start,
        );
      }
      if (word === 'IS') {
        this.skipWhitespace();
        let second = this.readWord().toUpperCase();
        let comparator: FilterComparator = 'IS NULL';
        if (second === 'NOT') {
          comparator = 'IS NOT NULL';
          this.skipWhitespace();
          second = this.readWord().toUpperCase();
        }
        if (second === 'NULL') return { comparator, text: this.src.slice(start, this.pos) };
        throw this.fail(
          `Invalid comparator ${quoteToken(this.src.slice(start, this.pos))}: expected IS NULL or IS NOT NULL`,
          start,
        );
      }
      this.pos = start;
    }
    throw this.fail(
      `Expected a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL) after ${quoteToken(identifier.text)}, found ${this.describeHere()}`,
      start,
    );
  }

  readNumber(): ScannedValue {
    const start = this.pos;
    const src = this.src;
    if (this.char() === '+' || this.char() === '-') this.pos++;
    let digits = 0;
    while (isDigitCode(this.code())) {
      this.pos++;
      digits++;
    }
    if (this.char() === '.') {
      this.pos++;
      while (isDigitCode(this.code())) {
        this.pos++;
        digits++;
      }
    }
    if (digits > 0 && (this.char() === 'e' || this.char() === 'E')) {
      this.pos++;
      if (this.char() === '+' || this.char() === '-') this.pos++;
      let exponentDigits = 0;
      while (isDigitCode(this.code())) {
        this.pos++;
        exponentDigits++;
      }
      if (exponentDigits === 0) digits = 0;
    }
    if (digits === 0 || (!this.atEnd && !endsBareText(this.char()))) {
      this.pos = start;
      const text = this.readBareText() || this.char();
      throw this.fail(`Invalid number ${quoteToken(text)}`, start);
    }
    const text = src.slice(start, this.pos);
    const value = Number(text);
    if (!Number.isFinite(value)) throw this.fail(`Number ${quoteToken(text)} is out of range`, start);
    // -0 and 0 are the same number to every store; keep one of them so parsed values compare equal.
    return { type: 'number', value: value === 0 ? 0 : value, text, position: start };
  }

  readList(): ScannedValue {
    const start = this.pos;
    const illFormed = (detail: string, position: number) =>
      this.fail(
        `While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list: ${detail}`,
        position,
      );
    this.pos++;
    this.skipWhitespace();
    if (this.char() === ')') {
      throw this.fail(
        'While parsing a list in the query, expected a non-empty list of string values, but got empty list',
        start,
      );
    }
    const values: string[] = [];
    for (;;) {
      const char = this.char();
      if (char !== "'" && char !== '"') {
        throw illFormed(`expected a quoted string, found ${this.describeHere()}`, this.pos);
      }
      values.push(this.readQuoted().value);
      if (++this.listValues > MAX_FILTER_LIST_VALUES) {
        throw this.fail(
          `A filter may hold at most ${MAX_FILTER_LIST_VALUES} values across all its IN and NOT IN lists`,
          start,
        );
      }
      this.skipWhitespace();
      if (this.char() === ',') {
        this.pos++;
        this.skipWhitespace();
      } else if (this.char() === ')') {
        this.pos++;
        return { type: 'list', values, text: this.src.slice(start, this.pos), position: start };
      } else {
        throw illFormed(`expected ',' or ')', found ${this.describeHere()}`, this.pos);
      }
    }
  }

  readValue(comparator: string): ScannedValue {
    const start = this.pos;
    const char = this.char();
    if (this.atEnd) throw this.fail(`Missing value after comparator '${comparator}'`, start);
    if (char === "'" || char === '"') {
      const { value, text } = this.readQuoted();
      return { type: 'string', value, text, position: start };
    }
    if (char === '(') return this.readList();
    if (isDigitCode(this.code()) || char === '.' || char === '+' || char === '-') return this.readNumber();
    if (char === '`') return { type: 'word', text: this.readQuoted().text, position: start };
    const word = this.readBareText();
    if (word !== '') return { type: 'word', text: word, position: start };
    throw this.fail(`Expected a value after comparator '${comparator}', found ${this.describeHere()}`, start);
  }

  readClause(): ScannedClause {
    const identifier = this.readIdentifier();
    this.skipWhitespace();
    const comparatorPosition = this.pos;
    const { comparator, text: comparatorText } = this.readComparator(identifier);
    let value: ScannedValue;
    if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') {
      value = { type: 'none', text: '', position: this.pos };
    } else {
      this.skipWhitespace();
      value = this.readValue(comparatorText);
    }
    return { identifier, comparator, comparatorText, comparatorPosition, value };
  }
}

function filterError(detail: string, position: number): KeelError {
  return new KeelError('INVALID_PARAMETER_VALUE', `${detail} ${atPosition(position)}`);
}

/**
 * Splits a filter into its clauses. `undefined`, `''` and whitespace give `[]`.
 *
 * @example
 * scanFilter("metrics.acc > 0.9 and tags.`team name` = 'core'")
 * // [{ identifier: { entity: 'metrics', key: 'acc', ... }, comparator: '>', value: { type: 'number', value: 0.9, ... } }, ...]
 */
export function scanFilter(filter: string | null | undefined): ScannedClause[] {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'string') {
    throw new KeelError('INVALID_PARAMETER_VALUE', `Invalid filter: expected a string, got ${typeof filter}`);
  }
  const scanner = new Scanner(filter, filterError);
  const clauses: ScannedClause[] = [];
  scanner.skipWhitespace();
  if (scanner.atEnd) return clauses;
  for (;;) {
    const char = scanner.char();
    if (char === '(' || char === ')') {
      throw filterError(
        `Invalid clause(s) in filter string: '${char}'. Parentheses are not supported; join clauses with AND`,
        scanner.pos,
      );
    }
    clauses.push(scanner.readClause());
    if (clauses.length > MAX_FILTER_CLAUSES) {
      throw filterError(
        `A filter may hold at most ${MAX_FILTER_CLAUSES} clauses`,
        clauses.at(-1)!.identifier.position,
      );
    }
    scanner.skipWhitespace();
    if (scanner.atEnd) return clauses;
    const position = scanner.pos;
    const word = scanner.readWord();
    if (word.toUpperCase() === 'AND') {
      scanner.skipWhitespace();
      if (scanner.atEnd)
        throw filterError("Expected a clause after 'AND', found the end of the filter", position);
      continue;
    }
    const token = word === '' ? scanner.readBareText() || scanner.char() : word;
    const hint =
      word.toUpperCase() === 'OR'
        ? 'OR is not supported; only AND joins clauses'
        : token === '(' || token === ')'
          ? 'Parentheses are not supported; join clauses with AND'
          : 'Clauses must be joined with AND';
    throw filterError(`Invalid clause(s) in filter string: ${quoteToken(token)}. ${hint}`, position);
  }
}

/**
 * Reads one order_by item: `<key> [ASC|DESC]`, ascending by default. Failures name the item in
 * MLflow's words: "Invalid order_by clause '<item>'. Could not be parsed: ...".
 */
export function scanOrderBy(item: string): ScannedOrderBy {
  if (typeof item !== 'string') {
    throw new KeelError(
      'INVALID_PARAMETER_VALUE',
      `Invalid order_by clause: expected a string, got ${typeof item}`,
    );
  }
  const frame = `Invalid order_by clause ${quoteToken(item)}. Could not be parsed`;
  const scanner = new Scanner(
    item,
    (detail, position) =>
      new KeelError('INVALID_PARAMETER_VALUE', `${frame}: ${detail} ${atPosition(position)}`),
  );
  scanner.skipWhitespace();
  if (scanner.atEnd) throw new KeelError('INVALID_PARAMETER_VALUE', `${frame}: it is empty`);
  const identifier = scanner.readIdentifier();
  scanner.skipWhitespace();
  let ascending = true;
  if (!scanner.atEnd) {
    const position = scanner.pos;
    const word = scanner.readWord().toLowerCase();
    if (word === 'asc' || word === 'desc') {
      ascending = word === 'asc';
    } else {
      scanner.pos = position;
      throw new KeelError(
        'INVALID_PARAMETER_VALUE',
        `Invalid ordering key in order_by clause ${quoteToken(item)}: expected ASC or DESC after ${quoteToken(identifier.text)}, found ${scanner.describeHere()} ${atPosition(position)}`,
      );
    }
    scanner.skipWhitespace();
    if (!scanner.atEnd) {
      throw scanner.fail(`unexpected ${scanner.describeHere()} after the direction`, scanner.pos);
    }
  }
  return { identifier, ascending };
}
