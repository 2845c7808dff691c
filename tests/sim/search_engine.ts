/**
 * Runs a `SearchQuery` against ZIP markets the way the site's list search behaves: filter, group
 * building units into one card, sort, then cut 41 results per page and stop at page 20, padding a short
 * last page with "relaxed" listings from neighbouring ZIPs.
 * @module
 */
import { type MarketStatus } from "./lifecycle.ts";
import { listingsAt, type SimListing, type ZipMarket } from "./inventory.ts";
import type { NumberRange, SearchQuery } from "./search_query.ts";
import type { Building } from "./zip_profile.ts";
import { isInBounds, type MapBounds } from "./zip_info.ts";
import { DAY_MS } from "./zpid_codec.ts";

/** Results per page, fixed on the real site. */
export const RESULTS_PER_PAGE = 41;
/** Pages past this are never served, so one query reaches at most 820 results. */
export const MAX_PAGES = 20;
/** `mapResults` holds at most this many markers for the whole query. */
export const MAP_RESULTS_CAP = 500;
/** Most relaxed listings padded onto a short last page. */
export const MAX_RELAXED = 6;

/** One card of a result page. */
export type SearchItem =
  | { kind: "listing"; listing: SimListing; relaxed: boolean }
  | { kind: "building"; building: Building; zip: string; units: SimListing[] };

/** A search's answer: the requested page plus the totals the page reports. */
export interface SearchOutcome {
  query: SearchQuery;
  /** The ZIPs searched (region ZIPs, or those under the map bounds). */
  zips: string[];
  totalResultCount: number;
  totalPages: number;
  /** Cards of the requested page; relaxed ones come last and are not counted in the total. */
  items: SearchItem[];
  /** Every matching card, capped at 500 and with a few gaps, as the API's `mapResults`. */
  mapItems: SearchItem[];
}

/** What `runSearch` needs from its caller. */
export interface SearchContext {
  at: Date;
  marketFor(zip: string): ZipMarket;
  /** ZIPs a bounds-only search should look at. */
  zipsInBounds(bounds: MapBounds): string[];
  /** ZIPs whose listings may pad a short result page. */
  neighboursOf(zip: string): string[];
}

const DOZ_DAYS: Record<string, number> = { "6m": 182, "12m": 365, "24m": 730, "36m": 1095 };

function inRange(value: number | null, range: NumberRange | undefined): boolean {
  if (!range) return true;
  if (value === null) return false;
  return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
}

function statusesFor(query: SearchQuery): Set<MarketStatus> {
  if (query.mode === "sold") return new Set(["SOLD"]);
  if (query.mode === "rent") return new Set();
  const statuses = new Set<MarketStatus>(["FOR_SALE", "CONTINGENT"]);
  if (query.includePending) statuses.add("PENDING");
  return statuses;
}

function matches(listing: SimListing, query: SearchQuery, atMs: number): boolean {
  const { ranges } = query;
  if (query.bounds && !isInBounds(query.bounds, listing.latitude, listing.longitude)) return false;
  if (query.excludedTypes.has(listing.homeType)) return false;
  if (query.mode === "forSale" && query.excludedSources.has(listing.source)) return false;
  if (!inRange(listing.price, ranges.price)) return false;
  if (ranges.beds && !inRange(listing.bedrooms, ranges.beds)) return false;
  if (ranges.baths && !inRange(listing.bathrooms, ranges.baths)) return false;
  if (ranges.sqft && !inRange(listing.livingArea, ranges.sqft)) return false;
  if (ranges.lot && !inRange(listing.lotSqft, ranges.lot)) return false;
  if (ranges.built && !inRange(listing.yearBuilt, ranges.built)) return false;
  if (ranges.hoa && !inRange(listing.monthlyHoaFee ?? 0, ranges.hoa)) return false;
  if (query.daysOnZillow !== null) {
    const days = DOZ_DAYS[query.daysOnZillow] ?? Number(query.daysOnZillow);
    const sinceMs = query.mode === "sold" ? listing.soldAtMs ?? 0 : listing.listedAtMs;
    if (Number.isFinite(days) && atMs - sinceMs > days * DAY_MS) return false;
  }
  return true;
}

// A building becomes one card only when at least two of its units match; a lone unit shows as itself.
function groupBuildings(listings: SimListing[], market: ZipMarket): SearchItem[] {
  const byBuilding = new Map<string, SimListing[]>();
  const items: SearchItem[] = [];
  for (const listing of listings) {
    if (listing.buildingId === null) {
      items.push({ kind: "listing", listing, relaxed: false });
      continue;
    }
    const units = byBuilding.get(listing.buildingId) ?? [];
    units.push(listing);
    byBuilding.set(listing.buildingId, units);
  }
  for (const [buildingId, units] of byBuilding) {
    const building = market.profile.buildings.find((candidate) => candidate.id === buildingId);
    if (building && units.length >= 2) items.push({ kind: "building", building, zip: market.zip, units });
    else for (const listing of units) items.push({ kind: "listing", listing, relaxed: false });
  }
  return items;
}

function leadListing(item: SearchItem): SimListing {
  if (item.kind === "listing") return item.listing;
  return item.units.reduce((low, unit) => (unit.price < low.price ? unit : low));
}

function itemId(item: SearchItem): string {
  return item.kind === "listing" ? item.listing.zpid : item.building.id;
}

function sortKey(item: SearchItem, sort: string): number {
  const lead = leadListing(item);
  switch (sort) {
    case "days":
      return -lead.listedAtMs;
    case "pricea":
      return lead.price;
    case "priced":
      return -lead.price;
    case "beds":
      return -(lead.bedrooms ?? -1);
    case "baths":
      return -(lead.bathrooms ?? -1);
    case "size":
      return -(lead.livingArea ?? -1);
    case "lot":
      return -(lead.lotSqft ?? -1);
    case "zest":
      return -(lead.zestimate ?? -1);
    case "zesta":
      return lead.zestimate ?? Number.MAX_SAFE_INTEGER;
    default:
      return -lead.relevance;
  }
}

function sortItems(items: SearchItem[], sort: string): SearchItem[] {
  const keyed = items.map((item) => ({ item, key: sortKey(item, sort), id: itemId(item) }));
  keyed.sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((entry) => entry.item);
}

function relaxedItems(
  query: SearchQuery,
  context: SearchContext,
  room: number,
  taken: Set<string>,
): SearchItem[] {
  if (room <= 0 || query.zips.length === 0 || query.mode !== "forSale") return [];
  const padding: SearchItem[] = [];
  for (const zip of query.zips) {
    for (const neighbour of context.neighboursOf(zip)) {
      const statuses = statusesFor(query);
      const candidates = listingsAt(context.marketFor(neighbour), context.at, statuses)
        .filter((listing) => !taken.has(listing.zpid) && listing.buildingId === null)
        .sort((a, b) => b.relevance - a.relevance);
      for (const listing of candidates) {
        if (padding.length >= Math.min(room, MAX_RELAXED)) return padding;
        padding.push({ kind: "listing", listing, relaxed: true });
        taken.add(listing.zpid);
      }
    }
  }
  return padding;
}

// Real map markers are incomplete (one report: 84 of 115); drop about one in ten, always the same ones.
function isMapGap(item: SearchItem): boolean {
  return Math.floor(leadListing(item).relevance * 1000) % 10 === 0;
}

/** Answers one search page. */
export function runSearch(query: SearchQuery, context: SearchContext): SearchOutcome {
  const atMs = context.at.getTime();
  const zips = query.zips.length > 0 ? query.zips : query.bounds ? context.zipsInBounds(query.bounds) : [];
  const statuses = statusesFor(query);
  let all: SearchItem[] = [];
  if (query.category === "cat1" && statuses.size > 0) {
    for (const zip of zips) {
      const market = context.marketFor(zip);
      const listings = listingsAt(market, context.at, statuses).filter((listing) =>
        matches(listing, query, atMs)
      );
      all = all.concat(groupBuildings(listings, market));
    }
  }
  all = sortItems(all, query.sort);
  const totalResultCount = all.length;
  // An empty search still has its one (empty) page.
  const totalPages = Math.max(1, Math.min(MAX_PAGES, Math.ceil(totalResultCount / RESULTS_PER_PAGE)));
  const start = (query.page - 1) * RESULTS_PER_PAGE;
  const items = query.page <= MAX_PAGES ? all.slice(start, start + RESULTS_PER_PAGE) : [];
  if (query.page === totalPages) {
    const taken = new Set(all.map(itemId));
    items.push(...relaxedItems(query, context, RESULTS_PER_PAGE - items.length, taken));
  }
  const mapItems = all.filter((item) => !isMapGap(item)).slice(0, MAP_RESULTS_CAP);
  return { query, zips, totalResultCount, totalPages, items, mapItems };
}
