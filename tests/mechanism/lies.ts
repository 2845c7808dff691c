/**
 * The row-level lies of the mechanism simulator, each a concrete tampering of a real-looking claim, judged by
 * the REAL comparison (`shared/listing_site/compare.ts`) against the page the validator re-fetches. The
 * simulator then only needs, per lie, "does a conclusive spot check of such a row say invalid?" and the
 * completeness each claim earns under the real completeness rule.
 * @module
 */
import { compareListing, SCORED_COLUMNS } from "../../shared/listing_site/compare.ts";
import type { ListingFields } from "../../shared/listing_site/normalize.ts";
import type { ListingRecord } from "../../shared/schemas/listing.ts";
import { sampleListing } from "../fixtures/listings.ts";

/** What a dishonest row does. */
export type LieKind =
  | "filler"
  | "price"
  | "baths"
  | "home_type"
  | "street"
  | "nan"
  | "padding"
  | "padding_unlisted"
  | "restamp";

/** The tampering kinds a "tamperer" cycles through. */
export const TAMPERINGS: readonly LieKind[] = ["price", "baths", "home_type", "street", "nan"];

const STAMP = {
  epochId: "2025-10-01T16-00-00",
  nonce: "n".repeat(32),
  minerHotkey: "5miner",
  zipcode: "77001",
  scrapedAt: "2025-10-01T17:00:00.000Z",
};
/** The miner's receipt of the part holding the row (the restamper claims a later scrape). */
export const RECEIPT_AT = "2025-10-01T17:30:00.000Z";

/** Columns only the detail page shows: an honest miner at a realistic request budget leaves them null. */
const DETAIL_ONLY = {
  zip4: "1234",
  days_on_zillow: 30,
  listed_date: "2025-09-01",
  zestimate: 262_000,
  rent_zestimate: 1_900,
  tax_assessed_value: 241_000,
  mls_id: "MLS-7",
  photo_url: "https://photos.example/7.jpg",
} as const;

/** The listing as the source shows it on its detail page. */
export const TRUTH: ListingRecord = sampleListing(7, STAMP, DETAIL_ONLY);

function fields(record: ListingRecord): ListingFields {
  const { epoch_id: _e, nonce: _n, miner_hotkey: _m, scraped_at: _s, ...rest } = record;
  return rest;
}

/** What an honest search-page scrape claims: the detail-only columns left null. */
export const HONEST: ListingRecord = {
  ...TRUTH,
  ...Object.fromEntries(Object.keys(DETAIL_ONLY).map((k) => [k, null])),
};

function tampered(kind: LieKind): { claim: ListingRecord; fresh: ListingFields } {
  const fresh = fields(TRUTH);
  switch (kind) {
    case "filler":
      return {
        claim: {
          ...HONEST,
          zip4: "9999",
          days_on_zillow: 3,
          listed_date: "2025-09-28",
          zestimate: 400_000,
          rent_zestimate: 3_000,
          tax_assessed_value: 390_000,
          mls_id: "MLS-FAKE",
          photo_url: "https://photos.example/fake.jpg",
        },
        fresh,
      };
    case "price":
      return {
        claim: { ...HONEST, price: Math.round(HONEST.price! * 1.095) },
        fresh: {
          ...fresh,
          price_history: [...fresh.price_history!, {
            date: "2025-10-01",
            event: "Price change",
            price: null,
          }],
        },
      };
    case "baths":
      return { claim: { ...HONEST, bathrooms: HONEST.bathrooms! + 0.5 }, fresh };
    case "home_type":
      return { claim: { ...HONEST, home_type: "OTHER" }, fresh };
    case "street":
      return { claim: { ...HONEST, address_full: `107 Invented Blvd, Houston, TX 77001` }, fresh };
    case "nan":
      return { claim: { ...HONEST, living_area_sqft: NaN, lot_size_sqft: NaN }, fresh };
    case "padding":
      return {
        claim: HONEST,
        fresh: {
          ...fresh,
          listing_status: "PENDING",
          price_history: [...fresh.price_history!, {
            date: "2025-09-20",
            event: "Pending sale",
            price: null,
          }],
        },
      };
    case "padding_unlisted":
      // A real home that was never listed (a valuation page), claimed for sale.
      return { claim: HONEST, fresh: { ...fresh, listing_status: "OFF_MARKET", price_history: [] } };
    case "restamp":
      return { claim: { ...HONEST, scraped_at: "2025-10-01T17:45:00.000Z" }, fresh };
  }
}

/** Whether a conclusive spot check of a row with lie `kind` comes back invalid (the real comparison). */
export function detectable(kind: LieKind): boolean {
  const { claim, fresh } = tampered(kind);
  return compareListing(claim, fresh, { notAfter: RECEIPT_AT }).outcome === "invalid";
}

/** The completeness (fixed point) a miner whose every row is `record` earns under the real rule. */
export function completenessOf(record: ListingRecord): number {
  const filled = SCORED_COLUMNS.filter((c) => {
    const v = record[c as keyof ListingRecord];
    return v !== null && v !== undefined;
  }).length;
  return Math.floor((filled * 1_000_000) / SCORED_COLUMNS.length);
}

/** The completeness of the filler's claims. */
export function fillerCompleteness(): number {
  return completenessOf(tampered("filler").claim);
}
