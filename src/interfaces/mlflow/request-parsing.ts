import { Kind, type TObject, type TSchema } from '@sinclair/typebox';
import { KeelError } from '../../core/errors.js';

/**
 * Reads an MLflow request message from a JSON body or a query string, the way MLflow's server does:
 * the route's TypeBox schema says which fields exist, their types and which are required.
 *
 * - Unknown fields are ignored; `null` is an unset field.
 * - A required field that is absent (or an empty string where the schema has `minLength: 1`) gives
 *   `INVALID_PARAMETER_VALUE "Missing value for required parameter 'x'. See the API docs..."`.
 * - A field of the wrong type gives `"Invalid value 123 for parameter 'x' supplied: Hint: Value was
 *   of type 'int'. See the API docs..."`, with Python's type names, as MLflow words it.
 * - Doubles accept numbers, numeric strings and "NaN", "Infinity", "-Infinity"; int64 accepts
 *   integers and integer strings (protobuf's JSON rules).
 * - From a query string every value is text: a repeated key is a list, a single value of a list
 *   field becomes a one-item list, booleans must be exactly `true` or `false`.
 */
export type MessageSource = 'json' | 'query';

const apiDocsHint = 'See the API docs for more information about request parameters.';

export function missingParameter(path: string): KeelError {
  return new KeelError(
    'INVALID_PARAMETER_VALUE',
    `Missing value for required parameter '${path}'. ${apiDocsHint}`,
  );
}

export function invalidParameter(path: string, value: unknown): KeelError {
  return new KeelError(
    'INVALID_PARAMETER_VALUE',
    `Invalid value ${describeValue(value)} for parameter '${path}' supplied: Hint: Value was of type '${pythonTypeName(value)}'. ${apiDocsHint}`,
  );
}

/**
 * Parses `input` against an object schema; throws `KeelError(INVALID_PARAMETER_VALUE)`.
 *
 * @example
 * parseMessage(Type.Object({ experiment_id: Type.String() }), { experiment_id: '1', x: 2 }, 'json')
 * // { experiment_id: '1' }
 */
export function parseMessage(
  schema: TObject,
  input: unknown,
  source: MessageSource,
): Record<string, unknown> {
  const message = input === null || input === undefined ? {} : input;
  if (typeof message !== 'object' || Array.isArray(message)) {
    throw new KeelError('INVALID_PARAMETER_VALUE', 'The request body must be a JSON object.');
  }
  return parseObject(schema, message as Record<string, unknown>, source, '');
}

/**
 * A JSON request body as MLflow accepts it: empty means `{}`, and a body that is itself a JSON
 * string holding an object (double-encoded, from old clients) is decoded once more.
 */
export function decodeJsonBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  if (body.trim() === '') return {};
  let decoded: unknown;
  try {
    decoded = JSON.parse(body);
  } catch {
    throw new KeelError('MALFORMED_REQUEST', 'The request body is not valid JSON.');
  }
  if (typeof decoded === 'string') {
    try {
      decoded = JSON.parse(decoded);
    } catch {
      throw new KeelError(
        'MALFORMED_REQUEST',
        'The request body is a JSON string that does not hold a JSON object.',
      );
    }
  }
  return decoded;
}

interface FieldRule {
  key: string;
  schema: TSchema;
  required: boolean;
  /** An empty string counts as absent. */
  nonEmpty: boolean;
}

// What each object schema's fields require, worked out once per schema (a log-batch walks 1000 metrics).
const fieldRules = new WeakMap<TObject, FieldRule[]>();

function fieldRulesOf(schema: TObject): FieldRule[] {
  let rules = fieldRules.get(schema);
  if (!rules) {
    const required = new Set(schema.required ?? []);
    rules = Object.entries(schema.properties).map(([key, fieldSchema]) => ({
      key,
      schema: fieldSchema,
      required: required.has(key),
      nonEmpty: isNonEmptyString(fieldSchema),
    }));
    fieldRules.set(schema, rules);
  }
  return rules;
}

function parseObject(
  schema: TObject,
  input: Record<string, unknown>,
  source: MessageSource,
  prefix: string,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const { key, schema: fieldSchema, required, nonEmpty } of fieldRulesOf(schema)) {
    const raw = Object.hasOwn(input, key) ? input[key] : undefined;
    if (raw === undefined || raw === null || (raw === '' && nonEmpty)) {
      if (required) throw missingParameter(prefix === '' ? key : `${prefix}.${key}`);
      continue;
    }
    result[key] = parseValue(fieldSchema, raw, source, prefix === '' ? key : `${prefix}.${key}`);
  }
  return result;
}

function isNonEmptyString(schema: TSchema): boolean {
  return schema[Kind] === 'String' && typeof schema.minLength === 'number' && schema.minLength > 0;
}

function parseValue(schema: TSchema, raw: unknown, source: MessageSource, path: string): unknown {
  switch (schema[Kind]) {
    case 'String':
      if (typeof raw !== 'string') throw invalidParameter(path, raw);
      return raw;
    case 'Number':
      return parseDouble(raw, path);
    case 'Integer':
      return parseInt64(raw, path);
    case 'Boolean':
      return parseBoolean(raw, source, path);
    case 'Literal':
      if (raw !== schema.const) throw invalidParameter(path, raw);
      return raw;
    case 'Union':
      return parseUnion(schema.anyOf as TSchema[], raw, source, path);
    case 'Array':
      return parseArray(schema.items as TSchema, raw, source, path);
    case 'Object':
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidParameter(path, raw);
      return parseObject(schema as TObject, raw as Record<string, unknown>, source, path);
    default:
      return raw;
  }
}

const nonFinite: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };
const numericText = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const integerText = /^\s*-?\d+\s*$/;

function parseDouble(raw: unknown, path: string): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    const special = nonFinite[raw.trim()];
    if (special !== undefined) return special;
    if (numericText.test(raw)) return Number(raw);
  }
  throw invalidParameter(path, raw);
}

function parseInt64(raw: unknown, path: string): number {
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && integerText.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) throw invalidParameter(path, raw);
  return value;
}

function parseBoolean(raw: unknown, source: MessageSource, path: string): boolean {
  if (typeof raw === 'boolean') return raw;
  if (source === 'query' && (raw === 'true' || raw === 'false')) return raw === 'true';
  throw invalidParameter(path, raw);
}

function parseUnion(members: TSchema[], raw: unknown, source: MessageSource, path: string): unknown {
  for (const member of members) {
    try {
      return parseValue(member, raw, source, path);
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
    }
  }
  throw invalidParameter(path, raw);
}

function parseArray(items: TSchema, raw: unknown, source: MessageSource, path: string): unknown[] {
  const list = Array.isArray(raw) ? raw : source === 'query' ? [raw] : undefined;
  if (list === undefined) throw invalidParameter(path, raw);
  return list.map((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (item === null || item === undefined) throw missingParameter(itemPath);
    return parseValue(items, item, source, itemPath);
  });
}

function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
