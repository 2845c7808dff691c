/**
 * A small RFC 4180 CSV reader and writer for the ZIP tables: quoted fields (with commas, doubled quotes and
 * line breaks inside), a leading byte-order mark, and LF or CRLF line ends. Pure: text in, rows out.
 * @module
 */

/**
 * Splits CSV `text` into records of fields. A blank line yields no record; a field is unquoted only at the
 * start of a field, so `a"b` stays literal. Throws `SyntaxError` on a quote left open at the end.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  function endField(): void {
    row.push(field);
    field = "";
    fieldStarted = false;
  }
  function endRow(): void {
    // A line holding nothing at all is not a record (trailing newline, blank separator lines); `""` is.
    const blank = row.length === 0 && !fieldStarted;
    endField();
    if (!blank) rows.push(row);
    row = [];
  }

  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === ",") endField();
    else if (c === "\n") endRow();
    else if (c === "\r") {
      if (text[i + 1] === "\n") i++;
      endRow();
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new SyntaxError(`Cannot parse CSV: expected a closing quote before the end of the text`);
  if (fieldStarted || row.length > 0) endRow();
  return rows;
}

/** Renders one field, quoting it only when it holds a comma, quote or line break. */
export function formatCsvField(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Renders records as CSV text with LF line ends and a final newline. */
export function formatCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((r) => r.map(formatCsvField).join(",")).join("\n") + "\n";
}
