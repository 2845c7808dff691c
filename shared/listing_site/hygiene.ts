/**
 * Result hygiene (anatomy §1.7), the same for the miner and the validator: which search cards are
 * listings of the searched ZIP, which are building cards to expand through their building page, and
 * why the rest are dropped.
 * @module
 */
import { type JsonObject, pick, toText } from "./page_json.ts";
import { normalizeZpid } from "./normalize.ts";
import { sitePath } from "./urls.ts";

/** What to do with a search card. */
export type CardVerdict =
  | { kind: "listing"; zpid: string }
  /** A building (`/b/…`) or new-construction community (`/community/…_plid/`) to expand. */
  | { kind: "building"; url: string; collection: "building" | "community" }
  /** Padding from outside the query ("relaxed: true"). */
  | { kind: "relaxed" }
  /** A listing of another ZIP. */
  | { kind: "otherZip" }
  /** No numeric zpid and not an expandable building. */
  | { kind: "nonNumeric" }
  /** A sold, rental or other non-sale row. */
  | { kind: "notForSale" };

const BUILDING_PATH = /^\/(?:b|apartments)\//;
const COMMUNITY_PATH = /^\/community\/[^/]+\/\d+_plid\/?/;

function cardZip(card: JsonObject): string | null {
  return toText(card.addressZipcode) ?? toText(pick(card, "hdpData.homeInfo.zipcode"));
}

function collectionOf(card: JsonObject): CardVerdict | null {
  const href = toText(card.detailUrl);
  let path: string;
  try {
    path = sitePath(href ?? "");
  } catch {
    return null; // no readable link: nothing to expand
  }
  if (COMMUNITY_PATH.test(path)) return { kind: "building", url: path, collection: "community" };
  if (card.isBuilding === true || BUILDING_PATH.test(path)) {
    return { kind: "building", url: path, collection: "building" };
  }
  return null;
}

// Unit statuses of a building page that are no sale (public scrapers read `listingType` FOR_RENT and
// OTHER there; no real building page was parsed here).
const NOT_FOR_SALE_UNIT = /^(FOR_?RENT|OTHER|OFF_?MARKET|SOLD|RECENTLY_?SOLD)$/i;

/** Whether a building page's unit is for sale: its `homeStatus` or `listingType`, when given, says so. */
export function isUnitForSale(unit: JsonObject): boolean {
  const status = toText(unit.homeStatus) ?? toText(unit.listingType);
  return status === null || !NOT_FOR_SALE_UNIT.test(status);
}

/**
 * Sorts one card of a search of `zip`. Building and community cards are recognized by flag or link before
 * the ZIP is checked: real ones carry no zpid and no ZIP (their address ends at the state), so the
 * ZIP of their units is checked on the building page instead.
 */
export function classifyCard(card: JsonObject, zip: string): CardVerdict {
  if (card.relaxed === true) return { kind: "relaxed" };
  const zpid = normalizeZpid(card.zpid ?? pick(card, "hdpData.homeInfo.zpid"));
  const cardZipcode = cardZip(card)?.slice(0, 5) ?? null;
  if (!zpid && (cardZipcode === null || cardZipcode === zip)) {
    return collectionOf(card) ?? { kind: "nonNumeric" };
  }
  if (cardZipcode !== zip) return { kind: "otherZip" };
  if (!zpid) return { kind: "nonNumeric" };
  const statusType = toText(card.statusType) ?? "FOR_SALE";
  return statusType === "FOR_SALE" ? { kind: "listing", zpid } : { kind: "notForSale" };
}
