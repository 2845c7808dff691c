/**
 * A spot check's verdict: a miner's claimed listing against the listing re-fetched from the source hours
 * later (anatomy section 4.2). Every column that can raise a miner's score is compared here, exact where
 * the source is exact, with a tolerance only where the source legitimately differs between its own pages
 * or over the hours between scrape and check (`SCORED_COLUMNS` is the completeness rule's column list: a
 * column this comparison cannot verify earns nothing). A value the miner left null is incomplete, not
 * wrong; a value the source no longer shows is neutral. NaN or an infinite number never passes.
 *
 * - identity (exact): zpid, ZIP, state; city case- and space-insensitive; the street normalised (case,
 *   punctuation, suffixes, directions, unit markers) with equal tokens (house number, name, suffix), and
 *   the street part of `address_full` the same street; units equal when both present;
 * - physical (exact): bedrooms, bathrooms, year built, home type (only CONDO / APARTMENT / COOPERATIVE may
 *   differ: the source types one unit differently on different pages; a claimed OTHER for a typed home is
 *   wrong), zip4, MLS id, broker (case- and space-insensitive), tax assessed value;
 * - measured: living area within max(2 %, 25 sqft) and lot within max(2 %, 250 sqft) (card and detail
 *   page round differently); coordinates within 1e-4 degrees or 50 m (geocoder updates);
 * - volatile: price exactly one the listing had as of `scraped_at`: the price in effect on the claim's day
 *   per its own history, any price set on that day, or today's price (a change after the scrape shows
 *   as today's price; the history's dates are not always on the cards' clock); Zestimate and rent
 *   Zestimate within 10 % (recomputed daily); days on market within [-1, +2] days while the status is
 *   unchanged (the card derives it from an age; a delisted home's page keeps counting); photo count within max(2, 10 %);
 * - not verified, so not scored: the listed date (the card's and the detail page's disagree by months),
 *   the photo URL (CDN addresses vary) and the price history itself;
 * - status: transitions only as the site allows them, and a FOR_SALE claim is invalid when the history
 *   shows the home sold, pending, contingent or off the market before the claim's day with no relisting
 *   since, or the site shows it not for sale without such an event dated on or after the claim's day (a
 *   status claim contradicted at `scraped_at`); an `OTHER` status on the page is neutral;
 * - time: `scraped_at` no later than the receipt of the part that delivered the row (`notAfter`).
 * @module
 */
import type { ListingRecord } from "../schemas/listing.ts";
import type { ListingFields } from "./normalize.ts";

/** The verdict of one comparison. */
export interface ComparisonVerdict {
  outcome: "valid" | "invalid";
  /** Every mismatch that made it invalid. */
  reasons: string[];
  /** Tolerated differences worth recording (e.g. a condo typed as an apartment). */
  notes: string[];
}

const SUFFIXES: Record<string, string> = {
  street: "st",
  avenue: "ave",
  road: "rd",
  drive: "dr",
  boulevard: "blvd",
  lane: "ln",
  court: "ct",
  place: "pl",
  terrace: "ter",
  circle: "cir",
  parkway: "pkwy",
  highway: "hwy",
  square: "sq",
  trail: "trl",
  way: "way",
};
const DIRECTIONS: Record<string, string> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};
const UNIT_MARKERS = new Set(["apt", "unit", "ste", "suite", "#", "no", "bldg"]);
const AMBIGUOUS_UNIT_TYPES = new Set(["APARTMENT", "CONDO", "COOPERATIVE"]);
const ALLOWED_TRANSITIONS: Record<string, readonly string[]> = {
  FOR_SALE: ["FOR_SALE", "CONTINGENT", "PENDING", "SOLD", "OFF_MARKET", "OTHER"],
  COMING_SOON: ["COMING_SOON", "FOR_SALE", "PENDING", "CONTINGENT", "OFF_MARKET"],
  CONTINGENT: ["CONTINGENT", "PENDING", "FOR_SALE", "SOLD", "OFF_MARKET"],
  PENDING: ["PENDING", "FOR_SALE", "CONTINGENT", "SOLD", "OFF_MARKET"],
  SOLD: ["SOLD", "FOR_SALE", "OFF_MARKET"],
  OFF_MARKET: ["OFF_MARKET", "FOR_SALE", "COMING_SOON"],
  OTHER: ["OTHER", "FOR_SALE", "PENDING", "CONTINGENT", "SOLD", "OFF_MARKET", "COMING_SOON"],
};

/** The optional columns the comparison verifies: the only ones that count for completeness. */
export const SCORED_COLUMNS: readonly string[] = [
  "unit",
  "zip4",
  "latitude",
  "longitude",
  "price",
  "bedrooms",
  "bathrooms",
  "living_area_sqft",
  "lot_size_sqft",
  "year_built",
  "days_on_zillow",
  "zestimate",
  "rent_zestimate",
  "tax_assessed_value",
  "mls_id",
  "broker_name",
  "photo_count",
];

/** Options of `compareListing`. */
export interface CompareOptions {
  /** The server receipt (ISO) of the part holding the row: a later `scraped_at` is invalid. */
  notAfter?: string;
}

/** Street tokens after normalisation: lower case, no punctuation, suffixes and directions abbreviated. */
export function streetTokens(street: string): string[] {
  return street.toLowerCase().replace(/#/g, " # ").replace(/[.,']/g, " ").split(/\s+/).filter(Boolean)
    .map((t) => SUFFIXES[t] ?? DIRECTIONS[t] ?? t);
}

function splitUnit(tokens: string[]): { body: string[]; unit: string | null } {
  const i = tokens.findIndex((t) => UNIT_MARKERS.has(t));
  if (i < 0) return { body: tokens, unit: null };
  return { body: tokens.slice(0, i), unit: tokens.slice(i + 1).join("") || null };
}

function sameStreet(a: string, b: string): boolean {
  const x = splitUnit(streetTokens(a));
  const y = splitUnit(streetTokens(b));
  if (x.body[0] !== y.body[0]) return false; // the house number
  if (x.body.slice(1).join(" ") !== y.body.slice(1).join(" ")) return false;
  return x.unit === null || y.unit === null || x.unit === y.unit;
}

function metres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

function within(a: number, b: number, percent: number, absolute: number): boolean {
  return Math.abs(a - b) <= Math.max((Math.max(Math.abs(a), Math.abs(b)) * percent) / 100, absolute);
}

/** Compares `claim` with the freshly fetched `fresh` listing. */
export function compareListing(
  claim: ListingRecord,
  fresh: ListingFields,
  options: CompareOptions = {},
): ComparisonVerdict {
  const reasons: string[] = [];
  const notes: string[] = [];
  for (const [column, value] of Object.entries(claim)) {
    if (typeof value === "number" && !Number.isFinite(value)) reasons.push(`${column} is not a number`);
  }
  if (options.notAfter !== undefined && Date.parse(claim.scraped_at) > Date.parse(options.notAfter)) {
    reasons.push(`scraped_at ${claim.scraped_at} is after the part's receipt ${options.notAfter}`);
  }
  const both = <K extends keyof ListingFields>(k: K) =>
    claim[k] !== null && claim[k] !== undefined && fresh[k] !== null && fresh[k] !== undefined;

  if (claim.zpid !== fresh.zpid) reasons.push(`zpid ${claim.zpid} is ${fresh.zpid}`);
  if (claim.zipcode !== fresh.zipcode) reasons.push(`ZIP ${claim.zipcode} is ${fresh.zipcode}`);
  if (claim.state.toUpperCase() !== fresh.state.toUpperCase()) {
    reasons.push(`state ${claim.state} is ${fresh.state}`);
  }
  const city = (s: string) => s.toLowerCase().replace(/\s+/g, "");
  if (city(claim.city) !== city(fresh.city)) reasons.push(`city ${claim.city} is ${fresh.city}`);
  if (!sameStreet(claim.street, fresh.street)) reasons.push(`street "${claim.street}" is "${fresh.street}"`);
  const fullStreet = claim.address_full.split(",")[0] ?? "";
  if (!sameStreet(fullStreet, fresh.street)) {
    reasons.push(`address "${claim.address_full}" is not on "${fresh.street}"`);
  }
  if (
    claim.unit && fresh.unit &&
    splitUnit(streetTokens(`# ${claim.unit}`)).unit !== splitUnit(streetTokens(`# ${fresh.unit}`)).unit
  ) {
    reasons.push(`unit ${claim.unit} is ${fresh.unit}`);
  }

  if (both("bedrooms") && claim.bedrooms !== fresh.bedrooms) {
    reasons.push(`bedrooms ${claim.bedrooms} are ${fresh.bedrooms}`);
  }
  if (both("bathrooms") && claim.bathrooms !== fresh.bathrooms) {
    reasons.push(`bathrooms ${claim.bathrooms} are ${fresh.bathrooms}`);
  }
  if (both("living_area_sqft") && !within(claim.living_area_sqft!, fresh.living_area_sqft!, 2, 25)) {
    reasons.push(`living area ${claim.living_area_sqft} is ${fresh.living_area_sqft}`);
  }
  if (both("lot_size_sqft") && !within(claim.lot_size_sqft!, fresh.lot_size_sqft!, 2, 250)) {
    reasons.push(`lot ${claim.lot_size_sqft} is ${fresh.lot_size_sqft}`);
  }
  if (both("year_built") && claim.year_built !== fresh.year_built) {
    reasons.push(`built ${claim.year_built} is ${fresh.year_built}`);
  }
  if (claim.home_type !== fresh.home_type) {
    if (AMBIGUOUS_UNIT_TYPES.has(claim.home_type) && AMBIGUOUS_UNIT_TYPES.has(fresh.home_type)) {
      notes.push(`home type ${claim.home_type} shown as ${fresh.home_type}`);
    } else if (fresh.home_type !== "OTHER") {
      reasons.push(`home type ${claim.home_type} is ${fresh.home_type}`);
    }
  }
  if (both("latitude") && both("longitude")) {
    const close = Math.abs(claim.latitude! - fresh.latitude!) <= 1e-4 &&
      Math.abs(claim.longitude! - fresh.longitude!) <= 1e-4;
    if (!close && metres(claim.latitude!, claim.longitude!, fresh.latitude!, fresh.longitude!) > 50) {
      reasons.push(`location ${claim.latitude},${claim.longitude} is ${fresh.latitude},${fresh.longitude}`);
    }
  }

  reasons.push(...detailMismatches(claim, fresh), ...volatileMismatches(claim, fresh));
  return { outcome: reasons.length === 0 ? "valid" : "invalid", reasons, notes };
}

const loose = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();

/** Columns only the detail page shows in full: exact, or within the stated tolerance. */
function detailMismatches(claim: ListingRecord, fresh: ListingFields): string[] {
  const out: string[] = [];
  const both = <K extends keyof ListingFields>(k: K) =>
    claim[k] !== null && claim[k] !== undefined && fresh[k] !== null && fresh[k] !== undefined;
  if (both("zip4") && claim.zip4 !== fresh.zip4) out.push(`zip4 ${claim.zip4} is ${fresh.zip4}`);
  if (both("mls_id") && loose(claim.mls_id!) !== loose(fresh.mls_id!)) {
    out.push(`MLS id ${claim.mls_id} is ${fresh.mls_id}`);
  }
  if (both("broker_name") && loose(claim.broker_name!) !== loose(fresh.broker_name!)) {
    out.push(`broker ${claim.broker_name} is ${fresh.broker_name}`);
  }
  if (both("tax_assessed_value") && claim.tax_assessed_value !== fresh.tax_assessed_value) {
    out.push(`tax assessed ${claim.tax_assessed_value} is ${fresh.tax_assessed_value}`);
  }
  if (both("zestimate") && !within(claim.zestimate!, fresh.zestimate!, 10, 0)) {
    out.push(`Zestimate ${claim.zestimate} is ${fresh.zestimate}`);
  }
  if (both("rent_zestimate") && !within(claim.rent_zestimate!, fresh.rent_zestimate!, 10, 0)) {
    out.push(`rent Zestimate ${claim.rent_zestimate} is ${fresh.rent_zestimate}`);
  }
  // A home that left the market since the scrape keeps counting days on its valuation page: only a
  // listing still in the claimed status says how long it had been on the market then.
  if (both("days_on_zillow") && claim.listing_status === fresh.listing_status) {
    const d = fresh.days_on_zillow! - claim.days_on_zillow!;
    if (d < -1 || d > 2) out.push(`days on market ${claim.days_on_zillow} is ${fresh.days_on_zillow}`);
  }
  if (both("photo_count") && !within(claim.photo_count!, fresh.photo_count!, 10, 2)) {
    out.push(`photo count ${claim.photo_count} is ${fresh.photo_count}`);
  }
  return out;
}

const OFF_SALE_EVENT = /sold|pending|contingent|off market|removed|delisted/i;

/** Price and status as of `scraped_at`, per the listing's own history. */
function volatileMismatches(claim: ListingRecord, fresh: ListingFields): string[] {
  const out: string[] = [];
  const claimDay = claim.scraped_at.slice(0, 10);
  const history = [...(fresh.price_history ?? [])].sort((
    a,
    b,
  ) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (claim.price !== null && claim.price !== undefined && Number.isFinite(claim.price)) {
    const priced = history.filter((e) => e.price !== null);
    const asOf = new Set<number>();
    const before = priced.filter((e) => e.date <= claimDay).at(-1);
    if (before) asOf.add(before.price!);
    for (const e of priced) if (e.date === claimDay) asOf.add(e.price!);
    if (fresh.price !== null) asOf.add(fresh.price);
    // A history that starts after the claim's day cannot say what the price was then: neutral.
    const unknowable = !before && priced.some((e) => e.date > claimDay);
    if (!unknowable && asOf.size > 0 && ![...asOf].some((p) => Math.abs(p - claim.price!) < 1)) {
      out.push(`price ${claim.price} was ${[...asOf].join(" or ")} on ${claimDay}`);
    }
  }
  if (!(ALLOWED_TRANSITIONS[claim.listing_status] ?? []).includes(fresh.listing_status)) {
    out.push(`status ${claim.listing_status} cannot become ${fresh.listing_status}`);
  }
  if (claim.listing_status === "FOR_SALE") {
    const off = history.filter((e) => OFF_SALE_EVENT.test(e.event) && e.date < claimDay).at(-1);
    const relisted = off &&
      history.some((e) => /listed|back on market/i.test(e.event) && e.date > off.date && e.date <= claimDay);
    // No longer for sale: the site records the change as a dated event; without one on or after the
    // claim's day the home was not for sale then (a real off-market home padded in as for sale).
    const changedSince = history.some((e) => OFF_SALE_EVENT.test(e.event) && e.date >= claimDay);
    if (off && !relisted) out.push(`claimed for sale on ${claimDay} but "${off.event}" on ${off.date}`);
    else if (!["FOR_SALE", "OTHER"].includes(fresh.listing_status) && !changedSince) {
      out.push(`claimed for sale on ${claimDay} but ${fresh.listing_status} with no change dated since`);
    }
  }
  return out;
}
