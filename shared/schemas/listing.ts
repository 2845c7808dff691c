/**
 * The canonical listing record: one row of a miner's Parquet file (snake_case column names), built from
 * the listing site's search and detail pages (listing-site-anatomy section 4.1). Every row also carries the
 * protocol columns `epoch_id`, `nonce`, `miner_hotkey`, `zipcode` and `scraped_at`, which validators check.
 * @module
 */
import { z } from "zod";
import { EpochIdSchema, HotkeySchema, IsoTimeSchema, NonceSchema, ZipcodeSchema } from "./common.ts";

/** Listing states after normalisation. */
export const ListingStatusSchema = z.enum([
  "FOR_SALE",
  "COMING_SOON",
  "PENDING",
  "CONTINGENT",
  "SOLD",
  "OFF_MARKET",
  "OTHER",
]);

/**
 * The statuses the subnet buys: a listing counts for volume, speed and calibration only when it is for
 * sale at scrape time. The site's for-sale variants (new construction, foreclosure, auction, by owner) all
 * carry its `FOR_SALE` home status and normalise to `FOR_SALE` (`listing_site/normalize.ts`); a contingent
 * or pending home is under contract and coming-soon is not yet on sale. Other statuses may be reported
 * (they are compared like any row) but earn nothing.
 */
export const FOR_SALE_STATUSES: readonly z.infer<typeof ListingStatusSchema>[] = ["FOR_SALE"];

/** Home types after normalisation. */
export const HomeTypeSchema = z.enum([
  "SINGLE_FAMILY",
  "CONDO",
  "TOWNHOUSE",
  "MULTI_FAMILY",
  "MANUFACTURED",
  "LOT",
  "APARTMENT",
  "COOPERATIVE",
  "OTHER",
]);

/** One price-history event. */
export const PriceEventSchema = z.object({
  date: z.iso.date(),
  event: z.string(),
  price: z.number().int().nullable(),
});

const int = z.number().int();

/** One listing row. */
export const ListingRecordSchema = z.object({
  // Protocol columns.
  epoch_id: EpochIdSchema,
  nonce: NonceSchema,
  miner_hotkey: HotkeySchema,
  zipcode: ZipcodeSchema,
  scraped_at: IsoTimeSchema,
  // Identity.
  zpid: z.string().regex(/^\d{1,12}$/, "expected a numeric zpid"),
  source: z.literal("zillow"),
  url: z.url(),
  address_full: z.string(),
  street: z.string(),
  unit: z.string().nullable(),
  city: z.string(),
  state: z.string().length(2),
  zip4: z.string().regex(/^\d{4}$/).nullable(),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  // Listing facts.
  price: int.nonnegative().nullable(),
  listing_status: ListingStatusSchema,
  home_type: HomeTypeSchema,
  bedrooms: int.nonnegative().nullable(),
  bathrooms: z.number().nonnegative().nullable(),
  living_area_sqft: int.nonnegative().nullable(),
  lot_size_sqft: int.nonnegative().nullable(),
  year_built: int.nullable(),
  days_on_zillow: int.nonnegative().nullable(),
  listed_date: z.iso.date().nullable(),
  zestimate: int.nullable(),
  rent_zestimate: int.nullable(),
  tax_assessed_value: z.number().nullable(),
  mls_id: z.string().nullable(),
  broker_name: z.string().nullable(),
  photo_url: z.string().nullable(),
  photo_count: int.nonnegative().nullable(),
  price_history: z.array(PriceEventSchema).nullable(),
  /** True when the detail page was fetched and merged into the search-page facts. */
  detail_enriched: z.boolean(),
});
export type ListingRecord = z.infer<typeof ListingRecordSchema>;

/** Column names in schema order: the Parquet schema and the SQL checks use exactly these. */
export const LISTING_COLUMNS = Object.keys(ListingRecordSchema.shape) as (keyof ListingRecord)[];

/**
 * The DuckDB/Parquet type of every column, in schema order: what the miner writes and what the validator's
 * SQL checks read. Times are TIMESTAMP WITH TIME ZONE (UTC), dates DATE, money BIGINT.
 */
export const LISTING_SQL_TYPES: Readonly<Record<keyof ListingRecord, string>> = {
  epoch_id: "VARCHAR",
  nonce: "VARCHAR",
  miner_hotkey: "VARCHAR",
  zipcode: "VARCHAR",
  scraped_at: "TIMESTAMPTZ",
  zpid: "VARCHAR",
  source: "VARCHAR",
  url: "VARCHAR",
  address_full: "VARCHAR",
  street: "VARCHAR",
  unit: "VARCHAR",
  city: "VARCHAR",
  state: "VARCHAR",
  zip4: "VARCHAR",
  latitude: "DOUBLE",
  longitude: "DOUBLE",
  price: "BIGINT",
  listing_status: "VARCHAR",
  home_type: "VARCHAR",
  bedrooms: "INTEGER",
  bathrooms: "DOUBLE",
  living_area_sqft: "INTEGER",
  lot_size_sqft: "BIGINT",
  year_built: "INTEGER",
  days_on_zillow: "INTEGER",
  listed_date: "DATE",
  zestimate: "BIGINT",
  rent_zestimate: "BIGINT",
  tax_assessed_value: "DOUBLE",
  mls_id: "VARCHAR",
  broker_name: "VARCHAR",
  photo_url: "VARCHAR",
  photo_count: "INTEGER",
  price_history: "STRUCT(date DATE, event VARCHAR, price BIGINT)[]",
  detail_enriched: "BOOLEAN",
};
