/**
 * Writes listing records to a Parquet file with native DuckDB (`sql/write_listings.sql`): the rows go to a
 * temporary NDJSON file, DuckDB casts every column to its declared type and writes zstd Parquet, and the
 * result's SHA-256, size and row count come back for the manifest. The output appears atomically (written
 * to a temporary name, then renamed), so a crash never leaves a half-written file under the final name.
 * @module
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { createHash } from "node:crypto";
import { LISTING_COLUMNS, LISTING_SQL_TYPES, type ListingRecord } from "../../schemas/listing.ts";
import { loadSql } from "./sql_file.ts";

/** What was written. */
export interface WrittenFile {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** Writes `records` to `path` (replacing it). */
export async function writeListingsParquet(
  records: readonly ListingRecord[],
  path: string,
): Promise<WrittenFile> {
  const ndjson = `${path}.rows.ndjson`;
  const partial = `${path}.partial`;
  // Each row is serialised in schema order so the NDJSON mirrors the Parquet layout.
  const lines = records.map((r) => JSON.stringify(Object.fromEntries(LISTING_COLUMNS.map((c) => [c, r[c]]))));
  await Deno.writeTextFile(ndjson, lines.join("\n") + (lines.length > 0 ? "\n" : ""));
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    if (records.length === 0) {
      // read_json cannot infer zero rows; an empty table with the declared types is written instead.
      const cols = LISTING_COLUMNS.map((c) => `NULL::${LISTING_SQL_TYPES[c]} AS ${c}`).join(", ");
      await connection.run(
        `COPY (SELECT ${cols} LIMIT 0) TO '${partial.replaceAll("'", "''")}' (FORMAT parquet)`,
      );
    } else {
      await connection.run(
        await loadSql("write_listings", {
          input: ndjson,
          output: partial,
          columns: { columns: LISTING_SQL_TYPES },
        }),
      );
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
    await Deno.remove(ndjson).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
  const bytes = await Deno.readFile(partial);
  await Deno.rename(partial, path);
  return {
    path,
    rows: records.length,
    bytes: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}
