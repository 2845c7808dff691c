/**
 * Renders a DuckDB result for the terminal or another program: an aligned text table (wide cells cut,
 * control characters escaped, numbers right-aligned), RFC 4180 CSV, or a JSON array of row objects with
 * integers, decimals and string-keyed maps as JSON numbers and objects where that loses nothing.
 * @module
 */
import {
  doubleFromDecimalValue,
  DuckDBMapType,
  DuckDBMapValue,
  type DuckDBResultReader,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  type Json,
  JsonDuckDBValueConverter,
} from "@duckdb/node-api";

/** The output formats, the first being the default. */
export const OUTPUT_FORMATS = ["table", "csv", "json"] as const;
/** One output format. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Table cells longer than this are cut (a 48-character hotkey still fits whole). */
export const MAX_CELL_WIDTH = 50;

const NUMERIC_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
]);

/** Renders every row of `reader` (already read in full) in `format`, ending with a newline. */
export function formatResult(reader: DuckDBResultReader, format: OutputFormat): string {
  switch (format) {
    case "table":
      return formatTable(reader);
    case "csv":
      return formatCsv(reader);
    case "json":
      return formatJson(reader);
  }
}

function formatTable(reader: DuckDBResultReader): string {
  const rows = reader.getRows().map((row) => row.map(tableCell));
  const header = reader.columnNames().map((name) => tableCell(name));
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const numeric = reader.columnTypes().map((type) => NUMERIC_TYPES.has(type.typeId));
  const line = (cells: string[], alignNumbers: boolean) =>
    cells.map((cell, c) => alignNumbers && numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))
      .join("  ").trimEnd();
  const count = `(${rows.length} ${rows.length === 1 ? "row" : "rows"})`;
  return [
    line(header, false),
    line(widths.map((w) => "-".repeat(w)), false),
    ...rows.map((row) => line(row, true)),
    count,
  ].join("\n") + "\n";
}

function tableCell(value: DuckDBValue | string): string {
  // deno-lint-ignore no-control-regex
  const text = value === null ? "NULL" : String(value).replace(/[\u0000-\u001f\u007f]/g, escapeControl);
  return text.length > MAX_CELL_WIDTH ? `${text.slice(0, MAX_CELL_WIDTH - 1)}…` : text;
}

function escapeControl(char: string): string {
  return JSON.stringify(char).slice(1, -1);
}

function formatCsv(reader: DuckDBResultReader): string {
  const lines = [reader.columnNames(), ...reader.getRows().map((row) => row.map(csvCell))];
  return lines.map((cells) => cells.map(csvQuote).join(",")).join("\n") + "\n";
}

function csvCell(value: DuckDBValue): string {
  return value === null ? "" : String(value);
}

function csvQuote(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function formatJson(reader: DuckDBResultReader): string {
  const rows = reader.convertRowObjects(toJson);
  return rows.length === 0 ? "[]\n" : `[\n${rows.map((row) => JSON.stringify(row)).join(",\n")}\n]\n`;
}

/** DuckDB's JSON conversion, but with numbers as numbers when exact and string-keyed maps as objects. */
const toJson: DuckDBValueConverter<Json> = (value, type, converter) => {
  if (value === null) return null;
  if (typeof value === "bigint") {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : value.toString();
  }
  if (type.typeId === DuckDBTypeId.DECIMAL) return decimalJson(value);
  if (value instanceof DuckDBMapValue && type instanceof DuckDBMapType) {
    if (type.keyType.typeId === DuckDBTypeId.VARCHAR) {
      return Object.fromEntries(
        value.entries.map((entry) => [String(entry.key), converter(entry.value, type.valueType, converter)]),
      );
    }
  }
  return JsonDuckDBValueConverter(value, type, converter);
};

/** A decimal as a JSON number when that prints the same digits (0.734000 -> 0.734), else its exact text. */
function decimalJson(value: DuckDBValue): Json {
  const number = doubleFromDecimalValue(value);
  const exact = String(value);
  const digits = exact.includes(".") ? exact.replace(/0+$/, "").replace(/\.$/, "") : exact;
  return String(number) === digits ? number : exact;
}
