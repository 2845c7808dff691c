/**
 * The built-in ZIP universe: `us_zipcodes.csv` beside this file (built by `build_default_table.ts`), read
 * once per process and validated row by row with `ZipRecordSchema`. The API falls back to it when the
 * operator has imported no table of their own.
 * @module
 */
import type { ZipRecord } from "../../shared/schemas/zip_universe.ts";
import { parseZipTable, type ZipTableRow } from "./zip_table.ts";

/** Where the default table lives. */
export const DEFAULT_TABLE_URL = new URL("./us_zipcodes.csv", import.meta.url);

let rowsPromise: Promise<ZipTableRow[]> | null = null;

/** The default table's rows (records plus population estimates); parsed once, shared by later calls. */
export function loadDefaultTableRows(): Promise<ZipTableRow[]> {
  rowsPromise ??= Deno.readTextFile(DEFAULT_TABLE_URL).then(parseZipTable).catch((error) => {
    rowsPromise = null; // let a later call retry rather than cache the failure
    throw error;
  });
  return rowsPromise;
}

/** The default universe as ZipRecords, sorted by zipcode. Callers must not mutate the records. */
export async function loadDefaultTable(): Promise<ZipRecord[]> {
  return (await loadDefaultTableRows()).map((row) => row.record);
}
