/**
 * Reads an operator's own ZIP CSV, shaped like Zillow Research's ZIP files: RegionID, SizeRank, RegionName
 * (the ZIP; spreadsheets drop leading zeros, so 1-5 digits are padded), RegionType, StateName, State, City,
 * Metro, CountyName, then any number of date columns (ignored). One optional column carries real counts:
 * `expected_listings`, `ExpectedListings` or `inventory` (first present wins; header names match in any
 * case). Quoted fields, a byte-order mark and CRLF are fine. Pure: text in, rows and errors out.
 *
 * Each row's expected listings come from, in order:
 * 1. its expected-listings column, when non-empty (a non-negative number, rounded half up);
 * 2. the base table's estimate for the same ZIP;
 * 3. its SizeRank r (0 = the largest ZIP): the expected listings of the base table's ZIP at the same rank,
 *    i.e. the (r+1)-th largest estimate (ties by ZIP; the smallest when r runs past the end);
 * 4. otherwise the rural baseline of the default table (`RURAL_BASELINE_POPULATION` residents).
 * City, county and state come from the row when non-empty, else from the base table; latitude and longitude
 * come from the base table. Bad rows are reported by record number (the header is record 1) and skipped.
 * @module
 */
import type { ZipRecord } from "../../shared/schemas/zip_universe.ts";
import { parseCsv } from "./csv.ts";
import { expectedListingsFor, RURAL_BASELINE_POPULATION } from "./estimate_universe.ts";
import { marketTierFor, normalizeState, regionForState, type ZipTableRow } from "./zip_table.ts";

/** Header names accepted for the expected-listings column, by precedence. */
export const EXPECTED_COLUMNS = ["expected_listings", "ExpectedListings", "inventory"] as const;

/** Where an imported row's expected listings came from (steps 1-4 of the module doc). */
export type ExpectedSource = "column" | "table" | "size-rank" | "baseline";

/** One imported ZIP. */
export interface ImportedZip {
  /** Record number in the file (the header is 1). */
  row: number;
  record: ZipRecord;
  expectedFrom: ExpectedSource;
}

/** A row that could not be imported. */
export interface ImportError {
  row: number;
  message: string;
}

/** The outcome of an import: good rows and row-numbered errors; the file as a whole never throws. */
export interface ImportResult {
  rows: ImportedZip[];
  errors: ImportError[];
}

function columnIndex(header: readonly string[], name: string): number {
  const lower = name.toLowerCase();
  return header.findIndex((h) => h.trim().toLowerCase() === lower);
}

/** Base-table expected listings by size rank: largest first, ties by ZIP. */
function rankedEstimates(base: readonly ZipTableRow[]): number[] {
  return base
    .map((r) => r.record)
    .sort((a, b) => b.expectedListings - a.expectedListings || (a.zipcode < b.zipcode ? -1 : 1))
    .map((r) => r.expectedListings);
}

/** Where each column is (-1 when absent); the expected-listings column is the first of `EXPECTED_COLUMNS`. */
function columnsOf(header: readonly string[]) {
  return {
    zip: columnIndex(header, "RegionName"),
    type: columnIndex(header, "RegionType"),
    sizeRank: columnIndex(header, "SizeRank"),
    state: columnIndex(header, "State"),
    stateName: columnIndex(header, "StateName"),
    city: columnIndex(header, "City"),
    county: columnIndex(header, "CountyName"),
    expected: EXPECTED_COLUMNS.map((name) => columnIndex(header, name)).find((i) => i >= 0) ?? -1,
  };
}

/** A row's expected listings and their source (steps 1-4 of the module doc), or why the column is bad. */
function expectedOf(
  rawExpected: string,
  sizeRank: string,
  known: ZipRecord | undefined,
  base: readonly ZipTableRow[],
  ranked: () => number[],
): { expectedListings: number; expectedFrom: ExpectedSource } | { error: string } {
  if (rawExpected !== "") {
    const n = Number(rawExpected);
    if (!Number.isFinite(n) || n < 0) {
      return { error: `Cannot import expected listings "${rawExpected}": expected a non-negative number` };
    }
    return { expectedListings: Math.floor(n + 0.5), expectedFrom: "column" };
  }
  if (known) return { expectedListings: known.expectedListings, expectedFrom: "table" };
  if (/^\d+$/.test(sizeRank) && base.length > 0) {
    const estimates = ranked();
    return {
      expectedListings: estimates[Math.min(Number(sizeRank), estimates.length - 1)],
      expectedFrom: "size-rank",
    };
  }
  return { expectedListings: expectedListingsFor(RURAL_BASELINE_POPULATION), expectedFrom: "baseline" };
}

/**
 * Parses `text` (see the module doc) against `base`, the table whose estimates and coordinates fill the
 * gaps. Never throws for bad content: a missing RegionName column yields one error for record 1.
 */
export function parseZipImport(text: string, base: readonly ZipTableRow[]): ImportResult {
  const errors: ImportError[] = [];
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    return { rows: [], errors: [{ row: 1, message: (error as Error).message }] };
  }
  const [header, ...body] = records;
  const col = columnsOf(header ?? []);
  if (col.zip < 0) {
    return { rows: [], errors: [{ row: 1, message: `Cannot import a CSV without a "RegionName" column` }] };
  }

  const byZip = new Map(base.map((r) => [r.record.zipcode, r.record]));
  let ranked: number[] | null = null;
  const rankedOf = () => ranked ??= rankedEstimates(base);
  const firstRow = new Map<string, number>();
  const rows: ImportedZip[] = [];

  body.forEach((fields, i) => {
    const row = i + 2;
    const get = (index: number) => (index >= 0 ? (fields[index] ?? "").trim() : "");
    const fail = (message: string) => errors.push({ row, message });

    const type = get(col.type);
    if (type !== "" && type.toLowerCase() !== "zip") {
      return fail(`Cannot import region type "${type}": expected "zip"`);
    }
    const rawZip = get(col.zip);
    if (!/^\d{1,5}$/.test(rawZip)) return fail(`Cannot import ZIP "${rawZip}": expected 1-5 digits`);
    const zipcode = rawZip.padStart(5, "0");
    const seenAt = firstRow.get(zipcode);
    if (seenAt !== undefined) {
      return fail(`Cannot import ZIP "${zipcode}" twice: first seen in row ${seenAt}`);
    }

    const known = byZip.get(zipcode);
    const rawState = get(col.state) || get(col.stateName);
    const state = rawState === "" ? known?.state ?? null : normalizeState(rawState);
    if (state === null) {
      return fail(
        rawState === ""
          ? `Cannot import ZIP "${zipcode}" without a state: it is not in the base table`
          : `Cannot import state "${rawState}": expected one of the 50 states or DC`,
      );
    }

    const expected = expectedOf(get(col.expected), get(col.sizeRank), known, base, rankedOf);
    if ("error" in expected) return fail(expected.error);
    const { expectedListings, expectedFrom } = expected;

    firstRow.set(zipcode, row);
    rows.push({
      row,
      expectedFrom,
      record: {
        zipcode,
        state,
        city: get(col.city) || known?.city || "Unknown",
        county: get(col.county) || known?.county || null,
        latitude: known?.latitude ?? null,
        longitude: known?.longitude ?? null,
        expectedListings,
        marketTier: marketTierFor(expectedListings),
        geographicRegion: regionForState(state),
        active: known?.active ?? true,
      },
    });
  });
  return { rows, errors };
}

/**
 * The table after an import: `base` with each imported ZIP replaced (keeping its population estimate) or
 * added (population unknown), sorted by zipcode. `onlyImported` drops the base ZIPs the file did not list.
 */
export function mergeZipImport(
  base: readonly ZipTableRow[],
  imported: readonly ImportedZip[],
  options: { onlyImported?: boolean } = {},
): ZipTableRow[] {
  const out = new Map<string, ZipTableRow>();
  const populations = new Map(base.map((r) => [r.record.zipcode, r.populationEstimate]));
  if (!options.onlyImported) { for (const r of base) out.set(r.record.zipcode, r); }
  for (const { record } of imported) {
    out.set(record.zipcode, { record, populationEstimate: populations.get(record.zipcode) ?? null });
  }
  return [...out.values()].sort((a, b) =>
    a.record.zipcode < b.record.zipcode ? -1 : a.record.zipcode > b.record.zipcode ? 1 : 0
  );
}
