/**
 * Reads back, from a miner's downloaded files, the rows it claimed for the sampled listings
 * (`sql/select_claims.sql`), as canonical records the spot checker compares with the source, and every
 * row's copy key for copy detection (`sql/select_row_keys.sql`, `shared/copies.ts`).
 * @module
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { LISTING_SQL_TYPES, type ListingRecord } from "../shared/schemas/listing.ts";
import { loadSql } from "../shared/adapters/duckdb/sql_file.ts";

const NUMERIC = new Set(["BIGINT", "INTEGER", "DOUBLE"]);

/** The claimed rows of `zpids` (those present), keyed by zpid. */
export async function readClaims(
  files: readonly string[],
  zpids: readonly string[],
): Promise<Map<string, ListingRecord>> {
  const out = new Map<string, ListingRecord>();
  if (files.length === 0 || zpids.length === 0) return out;
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const sql = await loadSql("select_claims", { files: { list: [...files] }, zpids: { list: [...zpids] } });
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    for (const row of rows) {
      const record: Record<string, unknown> = {};
      for (const [column, type] of Object.entries(LISTING_SQL_TYPES)) {
        const value = row[column] ?? null;
        record[column] = value === null
          ? null
          : column === "price_history"
          ? JSON.parse(String(value))
          : NUMERIC.has(type)
          ? Number(value)
          : value;
      }
      out.set(String(row.zpid), record as unknown as ListingRecord);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return out;
}

/** Every row's copy key (`zpid|scraped_at`) in a miner's files (`sql/select_row_keys.sql`). */
export async function readRowKeys(files: readonly string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const sql = await loadSql("select_row_keys", { files: { list: [...files] } });
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson() as { row_key: string | null }[];
    return rows.flatMap((r) => (r.row_key === null ? [] : [r.row_key]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
