/**
 * Delimited text (CSV, TSV) into rows, RFC 4180 style: quoted fields may hold the delimiter, line
 * breaks and doubled quotes; CRLF or LF ends a row. Stops after `maxRows` rows. When the text was
 * cut short (a preview of a longer file), the last, possibly partial, row is dropped.
 */
export function parseDelimited(
  text: string,
  options: { delimiter: string; maxRows: number; truncated?: boolean },
): { rows: string[][]; more: boolean } {
  const { delimiter, maxRows } = options;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  const endRow = () => {
    row.push(field);
    field = '';
    rows.push(row);
    row = [];
  };
  while (index < text.length) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else field += char;
      index += 1;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      endRow();
      if (rows.length > maxRows) return { rows: rows.slice(0, maxRows), more: true };
    } else field += char;
    index += 1;
  }
  const partial = field !== '' || row.length > 0;
  if (partial && !options.truncated) endRow();
  const more = rows.length > maxRows || options.truncated === true;
  return { rows: rows.slice(0, maxRows), more };
}
