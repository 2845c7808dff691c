/**
 * Loads the SQL files of this folder and fills their `{{name}}` placeholders with values quoted as DuckDB
 * literals (strings doubled-quote escaped; structs of column types built from a record), so no caller
 * splices raw text into SQL.
 * @module
 */

/** A value a placeholder can take: a string or number literal, a list, or a struct. */
export type SqlValue =
  | string
  | number
  | { list: readonly SqlValue[] }
  | { struct: Readonly<Record<string, SqlValue>> }
  /** A struct of column names to type names, as `read_json(columns = ...)` takes it. */
  | { columns: Readonly<Record<string, string>> };

function literal(value: SqlValue): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot use "${value}" in SQL: not finite`);
    return String(value);
  }
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  if ("list" in value) return `[${value.list.map(literal).join(", ")}]`;
  const fields = Object.entries("struct" in value ? value.struct : value.columns).map(([name, field]) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`Cannot use field name "${name}" in SQL`);
    return `${literal(name)}: ${literal(field)}`;
  });
  return `{${fields.join(", ")}}`;
}

/** Reads `sql/<name>.sql` and fills its placeholders; throws if one is missing or unknown. */
export async function loadSql(name: string, params: Record<string, SqlValue> = {}): Promise<string> {
  const text = await Deno.readTextFile(new URL(`../../../sql/${name}.sql`, import.meta.url));
  return fillSql(text, params, name);
}

/** Fills `{{name}}` placeholders of `text` (exported for tests). */
export function fillSql(text: string, params: Record<string, SqlValue>, name = "sql"): string {
  const used = new Set<string>();
  const filled = text.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    if (!(key in params)) throw new RangeError(`Cannot fill ${name}.sql: no value for "{{${key}}}"`);
    used.add(key);
    return literal(params[key]);
  });
  const unused = Object.keys(params).filter((k) => !used.has(k));
  if (unused.length > 0) {
    throw new RangeError(`Cannot fill ${name}.sql: unknown parameters ${unused.join(", ")}`);
  }
  return filled;
}
