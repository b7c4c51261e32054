/**
 * Text helpers behind the validation rules: MLflow's message shapes (its Python `json.dumps` and
 * `repr`), lengths counted in Unicode code points as Python's `len` counts them, and POSIX path
 * normalisation as Python's `posixpath.normpath` does it.
 */

/** A value as MLflow's `invalid_value` prints it: `json.dumps` with ASCII escapes. */
export function pythonJson(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return String(value);
  }
  if (value === undefined) return 'null';
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    text = JSON.stringify(String(value));
  }
  return text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Cuts long text for a message. */
export function shorten(text: string, limit = 250): string {
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
}

/**
 * MLflow's "Invalid value <json> for parameter '<path>' supplied: <message>" (or "supplied." alone).
 */
export function invalidValueMessage(path: string, value: unknown, message?: string): string {
  const shown = typeof value === 'string' ? pythonJson(shorten(value)) : shorten(pythonJson(value), 500);
  return message
    ? `Invalid value ${shown} for parameter '${path}' supplied: ${message}`
    : `Invalid value ${shown} for parameter '${path}' supplied.`;
}

/** MLflow's "'<path>' exceeds the maximum length of <limit> characters". */
export function exceedsMaximumLengthMessage(path: string, limit: number): string {
  return `'${path}' exceeds the maximum length of ${limit} characters`;
}

/** A string the way Python's `repr` prints it: single quotes unless the text holds one and no double. */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else out += char;
  }
  return out + quote;
}

/** Python's repr of a list of strings: `['a', 'b']`. */
export function pythonReprList(items: readonly string[]): string {
  return `[${items.map(pythonRepr).join(', ')}]`;
}

/** The length in code points (Python's `len`); UTF-16 length is an upper bound, so short text is quick. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/** True when `text` has more than `limit` code points, without counting all of a long text. */
export function exceedsCodePoints(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  if (text.length > limit * 2) return true;
  return codePointLength(text) > limit;
}

/** The first `limit` code points of `text` (Python's `text[:limit]`); never splits a surrogate pair. */
export function truncateCodePoints(text: string, limit: number): string {
  if (!exceedsCodePoints(text, limit)) return text;
  let points = 0;
  let i = 0;
  while (i < text.length && points < limit) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    i += code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    points++;
  }
  return text.slice(0, i);
}

/** Python's `posixpath.normpath`: folds `.`, `..` and repeated slashes; `''` becomes `'.'`. */
export function normalizePosixPath(path: string): string {
  if (path === '') return '.';
  let leadingSlashes = 0;
  if (path.startsWith('/')) leadingSlashes = path.startsWith('//') && !path.startsWith('///') ? 2 : 1;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (leadingSlashes === 0 && parts.length === 0) || parts.at(-1) === '..') {
      parts.push(part);
    } else if (parts.length > 0) {
      parts.pop();
    }
  }
  const joined = '/'.repeat(leadingSlashes) + parts.join('/');
  return joined === '' ? '.' : joined;
}
