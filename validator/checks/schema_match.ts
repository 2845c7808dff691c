/**
 * Whether a Parquet file's columns (as DuckDB's DESCRIBE spells them) are exactly the listing schema, in
 * order and with the same types; the first difference is the reason. Pure.
 * @module
 */
const MAX_LISTED = 3;

/** `a, b, c (and 2 more)`. */
export function listNames(names: string[]): string {
  const more = names.length - MAX_LISTED;
  return names.slice(0, MAX_LISTED).join(", ") + (more > 0 ? ` (and ${more} more)` : "");
}

/** The first difference between a file's columns and the expected ones, or null. */
export function schemaProblem(actual: [string, string][], expected: [string, string][]): string | null {
  const want = new Map(expected);
  const have = new Map(actual);
  const missing = expected.filter(([name]) => !have.has(name)).map(([name]) => name);
  if (missing.length > 0) return `missing column ${listNames(missing)}`;
  const extra = actual.filter(([name]) => !want.has(name)).map(([name]) => name);
  if (extra.length > 0) return `unexpected column ${listNames(extra)}`;
  for (const [name, type] of actual) {
    if (want.get(name) !== type) return `column ${name} is ${type}, expected ${want.get(name)}`;
  }
  for (let i = 0; i < expected.length; i++) {
    if (actual[i][0] !== expected[i][0]) {
      return `column ${actual[i][0]} is at position ${i + 1}, expected ${expected[i][0]}`;
    }
  }
  return null;
}
