/**
 * Hostile variants of one miner's honest files for the checks benchmark: the first file is rewritten with
 * DuckDB (or cut short) so that exactly one fatal check must zero the miner. Cached beside the honest ones.
 * @module
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import type { MinerFile } from "../../validator/checks/duckdb_checks.ts";

/** The hostile kinds and the check that must zero each. */
export const HOSTILE_KINDS = {
  nan: "values",
  truncated: "files",
  bomb: "files",
  duplicates: "duplicates",
  nonce: "stamp",
  schema: "schema",
} as const;
export type HostileKind = keyof typeof HOSTILE_KINDS;

const REWRITES: Record<Exclude<HostileKind, "truncated">, (from: string) => string> = {
  nan: (from) =>
    `SELECT * REPLACE (CASE WHEN zpid = (SELECT min(zpid) FROM ${from}) THEN 'NaN'::DOUBLE ELSE latitude END
      AS latitude) FROM ${from}`,
  bomb: (from) => `SELECT * REPLACE (repeat('a', 1048576) || zpid AS street) FROM ${from}`,
  duplicates: (from) => `SELECT * FROM ${from} UNION ALL (SELECT * FROM ${from} LIMIT 10)`,
  nonce: (from) => `SELECT * REPLACE ('ffffffffffffffffffffffffffffffff' AS nonce) FROM ${from}`,
  schema: (from) => `SELECT * EXCLUDE (broker_name) FROM ${from}`,
};

/** `files` with the first one made hostile by `kind`, written under `dir`. */
export async function hostileFiles(files: MinerFile[], kind: HostileKind, dir: string): Promise<MinerFile[]> {
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, `${kind}.parquet`);
  const first = files[0];
  let rows = first.expectedRows;
  if (kind === "truncated") {
    const bytes = await Deno.readFile(first.path);
    await Deno.writeFile(path, bytes.slice(0, Math.floor(bytes.length / 2)));
  } else {
    const instance = await DuckDBInstance.create(":memory:");
    const c = await instance.connect();
    try {
      const from = `read_parquet('${first.path}')`;
      await c.run(`COPY (${REWRITES[kind](from)}) TO '${path}' (FORMAT parquet, COMPRESSION zstd)`);
      const [row] = (await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${path}')`))
        .getRowObjectsJS();
      rows = Number(row.n);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  }
  return [{ ...first, path, expectedRows: rows }, ...files.slice(1)];
}
