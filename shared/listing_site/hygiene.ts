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
  | { kind: "building"; url: string }
  /** Padding from outside the query ("relaxed: true"). */
  | { kind: "relaxed" }
  /** A listing of another ZIP. */
  | { kind: "otherZip" }
  /** No numeric zpid and not an expandable building. */
  | { kind: "nonNumeric" }
  /** A sold, rental or other non-sale row. */
  | { kind: "notForSale" };

const BUILDING_PATH = /^\/(?:b|apartments)\//;

function cardZip(card: JsonObject): string | null {
  return toText(card.addressZipcode) ?? toText(pick(card, "hdpData.homeInfo.zipcode"));
}

function buildingPath(card: JsonObject): string | null {
  const href = toText(card.detailUrl);
  let path: string;
  try {
    path = sitePath(href ?? "");
  } catch {
    return null; // no readable link: nothing to expand
  }
  return card.isBuilding === true || BUILDING_PATH.test(path) ? path : null;
}

/** Sorts one card of a search of `zip`. Building cards are recognized by flag or by their `/b/` link. */
export function classifyCard(card: JsonObject, zip: string): CardVerdict {
  if (card.relaxed === true) return { kind: "relaxed" };
  if (cardZip(card)?.slice(0, 5) !== zip) return { kind: "otherZip" };
  const zpid = normalizeZpid(card.zpid ?? pick(card, "hdpData.homeInfo.zpid"));
  if (!zpid) {
    const path = buildingPath(card);
    return path ? { kind: "building", url: path } : { kind: "nonNumeric" };
  }
  const statusType = toText(card.statusType) ?? "FOR_SALE";
  return statusType === "FOR_SALE" ? { kind: "listing", zpid } : { kind: "notForSale" };
}
