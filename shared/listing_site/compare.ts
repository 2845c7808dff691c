/**
 * A spot check's verdict: a miner's claimed listing against the listing re-fetched from the source hours
 * later (anatomy section 4.2). Identity fields must match, physical fields must match within tolerance,
 * volatile fields only need to be plausible. A value the miner left null is incomplete, not wrong; a value
 * the source no longer shows is neutral.
 *
 * - identity: zpid and ZIP exact, state exact, city case- and space-insensitive, street normalised (case,
 *   punctuation, suffixes, directions, unit markers) with an exact house number and equal or contained
 *   street-name tokens, units equal when both present;
 * - physical: bedrooms and year built exact, bathrooms within 0.5, living area within max(2 %, 25 sqft), lot
 *   within max(2 %, 250 sqft), home type exact after synonyms (CONDO / APARTMENT / COOPERATIVE may differ),
 *   coordinates within 1e-4 degrees or 50 m;
 * - volatile: price within 10 %, or changed by a price-history event dated on or after the claim's day;
 *   status transitions only as the site allows them; a claim of a home the history shows sold before the
 *   claim's time is stale.
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
  const xs = x.body.slice(1).join(" ");
  const ys = y.body.slice(1).join(" ");
  if (!(xs === ys || xs.includes(ys) || ys.includes(xs))) return false;
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
export function compareListing(claim: ListingRecord, fresh: ListingFields): ComparisonVerdict {
  const reasons: string[] = [];
  const notes: string[] = [];
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
  if (
    claim.unit && fresh.unit &&
    splitUnit(streetTokens(`# ${claim.unit}`)).unit !== splitUnit(streetTokens(`# ${fresh.unit}`)).unit
  ) {
    reasons.push(`unit ${claim.unit} is ${fresh.unit}`);
  }

  if (both("bedrooms") && claim.bedrooms !== fresh.bedrooms) {
    reasons.push(`bedrooms ${claim.bedrooms} are ${fresh.bedrooms}`);
  }
  if (both("bathrooms") && Math.abs(claim.bathrooms! - fresh.bathrooms!) > 0.5) {
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
    } else if (claim.home_type !== "OTHER" && fresh.home_type !== "OTHER") {
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

  const claimDay = claim.scraped_at.slice(0, 10);
  const history = fresh.price_history ?? [];
  if (both("price") && !within(claim.price!, fresh.price!, 10, 0)) {
    const explained = history.some((e) => e.date >= claimDay && e.price !== null);
    if (!explained) reasons.push(`price ${claim.price} is ${fresh.price} with no change since ${claimDay}`);
  }
  if (!(ALLOWED_TRANSITIONS[claim.listing_status] ?? []).includes(fresh.listing_status)) {
    reasons.push(`status ${claim.listing_status} cannot become ${fresh.listing_status}`);
  }
  const soldBefore = history.find((e) => /sold/i.test(e.event) && e.date < claimDay);
  const relisted = soldBefore &&
    history.some((e) => /listed/i.test(e.event) && e.date > soldBefore.date && e.date <= claimDay);
  if (claim.listing_status === "FOR_SALE" && soldBefore && !relisted) {
    reasons.push(`claimed for sale on ${claimDay} but sold on ${soldBefore.date}`);
  }
  return { outcome: reasons.length === 0 ? "valid" : "invalid", reasons, notes };
}
