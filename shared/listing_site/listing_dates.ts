/**
 * When a listing started and what its price means, from a detail property's history and status. Real
 * off-market pages (`homeStatus` OTHER, `hdpTypeDimension` Zestimate or NoZestimate) print the home's
 * value estimate in `price`, and keep the history of past listing phases: neither is a current asking
 * price or listing date (issue #16, items 4 and 5).
 * @module
 */
import type { ListingRecord } from "../schemas/listing.ts";
import { type JsonObject, toText } from "./page_json.ts";

type PriceEvent = NonNullable<ListingRecord["price_history"]>[number];

// Events that end a for-sale phase; a later "Listed for sale" starts a new one.
const PHASE_END = /^(listing removed|listed for rent|sold|rental removed|listing expired)$/i;
const LISTED = /^listed for sale$/i;
// hdpTypeDimension values of pages that show a valuation, not a listing.
const VALUATION_PAGES = new Set(["ZESTIMATE", "NOZESTIMATE", "OFFMARKET", "OTHER"]);

function letters(value: string): string {
  return value.toUpperCase().replace(/[^A-Z]/g, "");
}

/** Whether a detail property is a valuation page (no listing): its `price` is an estimate. */
export function isValuationPage(property: JsonObject): boolean {
  const dimension = toText(property.hdpTypeDimension);
  if (dimension !== null) return VALUATION_PAGES.has(letters(dimension));
  const status = toText(property.homeStatus);
  return status !== null && ["OTHER", "OFFMARKET"].includes(letters(status));
}

/**
 * The start of the listing phase a page shows. A listing page (for sale, pending, sold) dates it by
 * `datePostedString`, else by the newest "Listed for sale" line (a relist resets it). An off-market
 * (valuation) page shows no phase once an event ended the last one (removal, rental, sale): its
 * `datePostedString` and "Listed for sale" lines then belong to the past.
 */
export function listedDateOf(
  property: JsonObject,
  history: PriceEvent[] | null,
  posted: string | null,
): string | null {
  const valuation = isValuationPage(property);
  if (posted && !valuation) return posted;
  const events = [...(history ?? [])].sort((a, b) => a.date.localeCompare(b.date));
  let start: string | null = null;
  for (const event of events) {
    if (LISTED.test(event.event)) start = event.date;
    else if (valuation && PHASE_END.test(event.event)) start = null;
  }
  return start;
}
