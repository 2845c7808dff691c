/**
 * The ZIP table format (`us_zipcodes.csv`, and what the importer writes) and the small facts every ZIP row
 * derives from: the 50 states plus DC, their Census regions, and market tiers from expected listings.
 * Pure: the shell reads the file and hands the text in.
 *
 * Columns, in order: zipcode,state,city,county,latitude,longitude,population_estimate,expected_listings,
 * market_tier,geographic_region. `county`, `latitude`, `longitude` and `population_estimate` may be empty.
 * @module
 */
import type { z } from "zod";
import { MarketTierSchema } from "../../shared/schemas/zipcode_assignments.ts";
import { type ZipRecord, ZipRecordSchema } from "../../shared/schemas/zip_universe.ts";
import { formatCsv, parseCsv } from "./csv.ts";

/** The header of a ZIP table. */
export const ZIP_TABLE_COLUMNS = [
  "zipcode",
  "state",
  "city",
  "county",
  "latitude",
  "longitude",
  "population_estimate",
  "expected_listings",
  "market_tier",
  "geographic_region",
] as const;

type MarketTier = z.infer<typeof MarketTierSchema>;

/** Census regions of the 50 states and DC (the four-region split of the US Census Bureau). */
export const STATE_REGIONS: Readonly<Record<string, string>> = {
  CT: "Northeast",
  ME: "Northeast",
  MA: "Northeast",
  NH: "Northeast",
  RI: "Northeast",
  VT: "Northeast",
  NJ: "Northeast",
  NY: "Northeast",
  PA: "Northeast",
  IL: "Midwest",
  IN: "Midwest",
  MI: "Midwest",
  OH: "Midwest",
  WI: "Midwest",
  IA: "Midwest",
  KS: "Midwest",
  MN: "Midwest",
  MO: "Midwest",
  NE: "Midwest",
  ND: "Midwest",
  SD: "Midwest",
  DE: "South",
  DC: "South",
  FL: "South",
  GA: "South",
  MD: "South",
  NC: "South",
  SC: "South",
  VA: "South",
  WV: "South",
  AL: "South",
  KY: "South",
  MS: "South",
  TN: "South",
  AR: "South",
  LA: "South",
  OK: "South",
  TX: "South",
  AZ: "West",
  CO: "West",
  ID: "West",
  MT: "West",
  NV: "West",
  NM: "West",
  UT: "West",
  WY: "West",
  AK: "West",
  CA: "West",
  HI: "West",
  OR: "West",
  WA: "West",
};

/** Full state names to their postal codes, for files that spell states out. */
export const STATE_CODES_BY_NAME: Readonly<Record<string, string>> = {
  "alabama": "AL",
  "alaska": "AK",
  "arizona": "AZ",
  "arkansas": "AR",
  "california": "CA",
  "colorado": "CO",
  "connecticut": "CT",
  "delaware": "DE",
  "district of columbia": "DC",
  "florida": "FL",
  "georgia": "GA",
  "hawaii": "HI",
  "idaho": "ID",
  "illinois": "IL",
  "indiana": "IN",
  "iowa": "IA",
  "kansas": "KS",
  "kentucky": "KY",
  "louisiana": "LA",
  "maine": "ME",
  "maryland": "MD",
  "massachusetts": "MA",
  "michigan": "MI",
  "minnesota": "MN",
  "mississippi": "MS",
  "missouri": "MO",
  "montana": "MT",
  "nebraska": "NE",
  "nevada": "NV",
  "new hampshire": "NH",
  "new jersey": "NJ",
  "new mexico": "NM",
  "new york": "NY",
  "north carolina": "NC",
  "north dakota": "ND",
  "ohio": "OH",
  "oklahoma": "OK",
  "oregon": "OR",
  "pennsylvania": "PA",
  "rhode island": "RI",
  "south carolina": "SC",
  "south dakota": "SD",
  "tennessee": "TN",
  "texas": "TX",
  "utah": "UT",
  "vermont": "VT",
  "virginia": "VA",
  "washington": "WA",
  "west virginia": "WV",
  "wisconsin": "WI",
  "wyoming": "WY",
};

/** The postal code of a state given by code or full name (any case), or null outside the 50 states + DC. */
export function normalizeState(value: string): string | null {
  const trimmed = value.trim();
  const upper = trimmed.toUpperCase();
  if (Object.hasOwn(STATE_REGIONS, upper)) return upper;
  return STATE_CODES_BY_NAME[trimmed.toLowerCase()] ?? null;
}

/** The Census region of a state code; throws for anything outside the 50 states + DC. */
export function regionForState(state: string): string {
  const region = STATE_REGIONS[state];
  if (region === undefined) {
    throw new RangeError(`Unknown state "${state}": expected one of the 50 states or DC`);
  }
  return region;
}

/** Expected listings at or above which a ZIP is a PREMIUM market: a large, liquid market (~72k+ residents). */
export const PREMIUM_MIN_LISTINGS = 300;
/** Expected listings at or above which a ZIP is a STANDARD market (~24k+ residents); below is EMERGING. */
export const STANDARD_MIN_LISTINGS = 100;

/** The market tier of a ZIP from its expected listings: PREMIUM >= 300, STANDARD >= 100, else EMERGING. */
export function marketTierFor(expectedListings: number): MarketTier {
  if (expectedListings >= PREMIUM_MIN_LISTINGS) return "PREMIUM";
  if (expectedListings >= STANDARD_MIN_LISTINGS) return "STANDARD";
  return "EMERGING";
}

/** A ZIP table row: a ZipRecord plus the population estimate the listings were derived from. */
export interface ZipTableRow {
  record: ZipRecord;
  /** Estimated residents; null when unknown (e.g. a ZIP an operator imported). */
  populationEstimate: number | null;
}

function optionalNumber(text: string, column: string, row: number): number | null {
  if (text.trim() === "") return null;
  const n = Number(text);
  if (!Number.isFinite(n)) {
    throw new SyntaxError(`Cannot parse ZIP table row ${row}: expected a number in ${column}, got "${text}"`);
  }
  return n;
}

/**
 * Parses a ZIP table (see the module doc) into rows whose records pass `ZipRecordSchema`. Every record is
 * active. Throws `SyntaxError` naming the record number (header = 1) on the first bad row, a wrong header,
 * or a repeated ZIP: this reads the committed table, which must be clean.
 */
export function parseZipTable(text: string): ZipTableRow[] {
  const [header, ...records] = parseCsv(text);
  if (header === undefined || header.join(",") !== ZIP_TABLE_COLUMNS.join(",")) {
    throw new SyntaxError(
      `Cannot parse ZIP table header "${header?.join(",") ?? ""}": expected "${ZIP_TABLE_COLUMNS.join(",")}"`,
    );
  }
  const seen = new Set<string>();
  return records.map((fields, i) => {
    const row = i + 2;
    if (fields.length !== ZIP_TABLE_COLUMNS.length) {
      throw new SyntaxError(
        `Cannot parse ZIP table row ${row}: expected ${ZIP_TABLE_COLUMNS.length} fields, got ${fields.length}`,
      );
    }
    const [zipcode, state, city, county, lat, lon, population, expected, tier, region] = fields;
    if (seen.has(zipcode)) {
      throw new SyntaxError(`Cannot parse ZIP table row ${row}: ZIP "${zipcode}" repeats`);
    }
    seen.add(zipcode);
    const parsed = ZipRecordSchema.safeParse({
      zipcode,
      state,
      city,
      county: county === "" ? null : county,
      latitude: optionalNumber(lat, "latitude", row),
      longitude: optionalNumber(lon, "longitude", row),
      expectedListings: optionalNumber(expected, "expected_listings", row),
      marketTier: tier,
      geographicRegion: region,
      active: true,
    });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ");
      throw new SyntaxError(`Cannot parse ZIP table row ${row} (ZIP "${zipcode}"): ${issues}`);
    }
    return {
      record: parsed.data,
      populationEstimate: optionalNumber(population, "population_estimate", row),
    };
  });
}

/** Renders rows as a ZIP table, sorted by zipcode. */
export function formatZipTable(rows: readonly ZipTableRow[]): string {
  const sorted = rows.slice().sort((a, b) =>
    a.record.zipcode < b.record.zipcode ? -1 : a.record.zipcode > b.record.zipcode ? 1 : 0
  );
  return formatCsv([
    ZIP_TABLE_COLUMNS,
    ...sorted.map(({ record: r, populationEstimate }) => [
      r.zipcode,
      r.state,
      r.city,
      r.county,
      r.latitude,
      r.longitude,
      populationEstimate,
      r.expectedListings,
      r.marketTier,
      r.geographicRegion,
    ]),
  ]);
}
