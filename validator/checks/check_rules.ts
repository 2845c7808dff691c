/**
 * The rules of the validator's data checks in one place: which checks exist, which of them zero a miner
 * and in what priority order, the plausibility bounds, and which listing columns are required or optional.
 *
 * Fatal checks (a failure scores the miner 0 for the epoch; `zeroReason` names the first in this order):
 *
 * 1. `deadline`   the checks finished within the time limit (a file that stalls DuckDB is the miner's);
 * 2. `files`      every manifest file exists, is within MAX_MINER_FILE_BYTES, is Parquet, decodes to at most
 *                 MAX_DECODED_ROW_BYTES per row (no compression bomb) and reads whole;
 * 3. `schema`     every file has exactly the listing columns, in order, with the LISTING_SQL_TYPES types;
 * 4. `row_counts` every file holds exactly the rows the signed manifest claims (and in total at most
 *                 `maxRows`, checked from the footers before any data is read);
 * 5. `listings`   the upload holds at least one listing;
 * 6. `stamp`      every row carries the epoch id, the epoch nonce and the miner's own hotkey (copied or
 *                 pre-scraped data cannot);
 * 7. `zipcodes`   every file's partition ZIP is assigned, every row's zipcode equals it, and every address
 *                 ends in that ZIP (padding a ZIP with neighbours' listings fails);
 * 8. `scraped_at` every scrape time lies in the epoch [start, end);
 * 9. `values`     required columns are non-null, zpids are 1-12 digits, the URL names the row's zpid,
 *                 source and enums are valid (the spot checks key on zpid and URL), and every number is
 *                 finite and within the listing schema's range (no NaN, no infinity, no negative count);
 * 10. `duplicates` no zpid appears twice in the miner's upload (repeats inflate volume).
 *
 * Every fatal rule is one an honest miner meets by construction (the miner's own writer and hygiene), so
 * zero tolerance costs honest miners nothing. Quality checks only lower the score and never zero:
 *
 * - `completeness`  share of non-null optional cells (fixed point 0..1e6);
 * - `plausibility`  share of rows whose present values are plausible (fixed point 0..1e6): price, bedrooms,
 *                   bathrooms, living area, coordinates near the ZIP centre (when known), state.
 *
 * A listing can be legitimately odd (a $5k lot, a 30-bedroom estate), so plausibility is a quality signal
 * and the spot checks judge truth.
 * @module
 */
import { SCALE } from "../../shared/fixed_point.ts";
import {
  HomeTypeSchema,
  LISTING_COLUMNS,
  ListingRecordSchema,
  ListingStatusSchema,
} from "../../shared/schemas/listing.ts";

/** The fatal checks in priority order: `zeroReason` is the first of these that failed. */
export const FATAL_CHECKS = [
  "deadline",
  "files",
  "schema",
  "row_counts",
  "listings",
  "stamp",
  "zipcodes",
  "scraped_at",
  "values",
  "duplicates",
] as const;

/** The checks that only lower the quality score. */
export const QUALITY_CHECKS = ["completeness", "plausibility"] as const;

/** The name of one check. */
export type CheckName = typeof FATAL_CHECKS[number] | typeof QUALITY_CHECKS[number];

/** Plausibility bounds (inclusive) of the quality check, after RESI's tier 2 where it had one. */
export const PLAUSIBILITY = {
  priceMin: 10_000,
  priceMax: 50_000_000,
  /** Bedrooms and bathrooms each lie in [0, roomsMax]. */
  roomsMax: 20,
  livingAreaMin: 100,
  livingAreaMax: 100_000,
  /**
   * Latitude and longitude may each differ from the ZIP centre by at most this many degrees (about 100 km;
   * large rural ZIPs stay inside). Plain subtraction keeps the verdict identical on every machine.
   */
  nearDegrees: 1,
} as const;

/** Completeness below this share flags the check (the score uses the share itself). */
export const COMPLETENESS_FLOOR = SCALE / 2;

/** Rows above this total (by the footers) are refused before reading: 100x the default epoch target. */
export const DEFAULT_MAX_ROWS = 1_000_000;

/**
 * Bytes one row's column chunks may decode to (by the footers, before any page is decompressed): an honest
 * row decodes to about 1-2 KB, so a file over this is a compression bomb and is refused unread.
 */
export const MAX_DECODED_ROW_BYTES = 65_536;

/** Time limit of one miner's checks. */
export const DEFAULT_TIMEOUT_MS = 120_000;

function isNullable(column: keyof typeof ListingRecordSchema.shape): boolean {
  return ListingRecordSchema.shape[column].safeParse(null).success;
}

/** Columns that must be non-null on every row. */
export const REQUIRED_COLUMNS: readonly string[] = LISTING_COLUMNS.filter((c) => !isNullable(c));

/** Columns that may be null; their fill rate is the completeness score. */
export const OPTIONAL_COLUMNS: readonly string[] = LISTING_COLUMNS.filter((c) => isNullable(c));

/** Allowed `listing_status` values. */
export const LISTING_STATUSES: readonly string[] = ListingStatusSchema.options;

/** Allowed `home_type` values. */
export const HOME_TYPES: readonly string[] = HomeTypeSchema.options;
