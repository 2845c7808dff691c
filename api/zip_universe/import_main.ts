/**
 * Imports an operator's ZIP CSV (Zillow Research layout, see `import_csv.ts`) on top of the default table:
 *
 *     deno task zipcodes:import <csv> [--only-imported] [--out <table.csv> | --json]
 *
 * By default the merged table is stored in the API's KV (KV_PATH, as `deno task api` uses it; on Deno
 * Deploy point KV_PATH at the database's connect URL) and replaces the universe from the next epoch plan
 * on. With `--out` it is written as a CSV in the `us_zipcodes.csv` format instead; with `--json` printed as
 * JSON lines. A summary and the first errors go to stderr. `--only-imported` keeps only the ZIPs the file
 * lists. Exits 1 when no row could be imported.
 * @module
 */
import { parseAdminConfig } from "../config.ts";
import { openApiKv } from "../open_kv.ts";
import { saveUniverse } from "../stores/universe.ts";
import { loadDefaultTableRows } from "./default_table.ts";
import { mergeZipImport, parseZipImport } from "./import_csv.ts";
import { formatZipTable } from "./zip_table.ts";

const SHOWN_ERRORS = 20;

function parseArgs(
  args: string[],
): { input: string; out: string | null; json: boolean; onlyImported: boolean } {
  let input: string | null = null;
  let out: string | null = null;
  let onlyImported = false;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out") {
      out = args[++i] ?? null;
      if (out === null) throw new TypeError(`Cannot parse "--out": expected a path after it`);
    } else if (args[i] === "--only-imported") onlyImported = true;
    else if (args[i] === "--json") json = true;
    else if (args[i].startsWith("--")) {
      throw new TypeError(`Cannot parse option "${args[i]}": unknown option`);
    } else if (input === null) input = args[i];
    else throw new TypeError(`Cannot parse argument "${args[i]}": expected one CSV path`);
  }
  if (input === null) {
    throw new TypeError(
      "Usage: deno task zipcodes:import <csv> [--only-imported] [--out <table.csv> | --json]",
    );
  }
  return { input, out, json, onlyImported };
}

async function main(args: string[]): Promise<number> {
  const { input, out, json, onlyImported } = parseArgs(args);
  const base = await loadDefaultTableRows();
  const { rows, errors } = parseZipImport(await Deno.readTextFile(input), base);
  const merged = mergeZipImport(base, rows, { onlyImported });

  const bySource = Object.groupBy(rows, (r) => r.expectedFrom);
  const sources = Object.entries(bySource).map(([source, xs]) => `${source} ${xs?.length ?? 0}`).join(", ");
  console.error(`${input}: imported ${rows.length} ZIPs (expected listings from: ${sources || "none"})`);
  console.error(`skipped ${errors.length} bad rows; the merged table holds ${merged.length} ZIPs`);
  for (const e of errors.slice(0, SHOWN_ERRORS)) console.error(`  row ${e.row}: ${e.message}`);
  if (errors.length > SHOWN_ERRORS) console.error(`  ... and ${errors.length - SHOWN_ERRORS} more`);

  if (out !== null) {
    await Deno.writeTextFile(out, formatZipTable(merged));
    console.error(`wrote ${out}`);
  } else if (json) {
    let bytes = new TextEncoder().encode(merged.map((r) => JSON.stringify(r.record) + "\n").join(""));
    // write() may take only part of a large buffer.
    while (bytes.length > 0) bytes = bytes.subarray(await Deno.stdout.write(bytes));
  } else if (rows.length > 0) {
    const { KV_PATH } = parseAdminConfig(Deno.env.toObject());
    const kv = await openApiKv(KV_PATH);
    try {
      const meta = await saveUniverse(kv, merged.map((r) => r.record), { nowMs: Date.now(), source: input });
      console.error(`stored ${meta.records} ZIPs in ${KV_PATH}; the next epoch plan uses them`);
    } finally {
      kv.close();
    }
  }
  return rows.length === 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
