/**
 * Search requests as the site accepts them: URL paths (`/homes/for_sale/{zip}_rb/{N}_p/`, the canonical
 * `/{city}-{st}-{zip}/` slug, `_price`/`_beds` path filters) and the `searchQueryState` JSON with both the
 * short (URL) and long (old API) filter vocabularies, normalized into one `SearchQuery`.
 * @module
 */
import type { HomeType, ListingSource } from "./listing_facts.ts";
import type { MapBounds } from "./zip_info.ts";

/** Result set: the for-sale default, recently sold, or rentals (which the simulator never has). */
export type SearchMode = "forSale" | "sold" | "rent";

/** An inclusive numeric range; either end may be open. */
export interface NumberRange {
  min?: number;
  max?: number;
}

/** Range filters, by their short names. */
export type RangeFilter = "price" | "beds" | "baths" | "sqft" | "lot" | "built" | "hoa";

/** A normalized search. */
export interface SearchQuery {
  /** ZIPs named by the region selection, the path or the search term; empty means "map bounds only". */
  zips: string[];
  bounds: MapBounds | null;
  page: number;
  mode: SearchMode;
  includePending: boolean;
  sort: string;
  ranges: Partial<Record<RangeFilter, NumberRange>>;
  excludedTypes: Set<HomeType>;
  excludedSources: Set<ListingSource>;
  /** Listed (or sold) within: "1", "7", "30", "90", "6m", "12m", "24m", "36m". */
  daysOnZillow: string | null;
  category: "cat1" | "cat2";
  mapZoom: number | null;
  /** The filter state in short keys, echoed back in `queryState`. */
  filterState: Record<string, unknown>;
}

/** What a search URL path says, before any `searchQueryState` is applied. */
export interface SearchPath {
  zip: string | null;
  regionId: number | null;
  page: number | null;
  mode: SearchMode;
  filterState: Record<string, unknown>;
}

/** Maps a regionId to its ZIP (the server knows table ZIPs and the derived bijection). */
export type RegionResolver = (regionId: number) => string | null;

/** Default sort of the site's for-sale search. */
export const DEFAULT_SORT = "globalrelevanceex";

// Long (legacy API) filter names to the short names used in URLs and SSR state.
const LONG_TO_SHORT: Record<string, string> = {
  sortSelection: "sort",
  isAllHomes: "ah",
  isForSaleByAgent: "fsba",
  isForSaleByOwner: "fsbo",
  isNewConstruction: "nc",
  isComingSoon: "cmsn",
  isAuction: "auc",
  isForSaleForeclosure: "fore",
  isPreMarketForeclosure: "pmf",
  isPreMarketPreForeclosure: "pf",
  isPendingListingsSelected: "pnd",
  isRecentlySold: "rs",
  isForRent: "fr",
  isSingleFamily: "sf",
  isTownhouse: "tow",
  isMultiFamily: "mf",
  isCondo: "con",
  isLotLand: "land",
  isApartment: "apa",
  isManufactured: "manu",
  isApartmentOrCondo: "apco",
  monthlyPayment: "mp",
  lotSize: "lot",
};
const TYPE_TOGGLES: Record<string, HomeType[]> = {
  sf: ["SINGLE_FAMILY"],
  tow: ["TOWNHOUSE"],
  mf: ["MULTI_FAMILY"],
  con: ["CONDO"],
  land: ["LOT"],
  apa: ["APARTMENT"],
  manu: ["MANUFACTURED"],
  apco: ["APARTMENT", "CONDO"],
};
const SOURCE_TOGGLES: Record<string, ListingSource> = {
  fsba: "FSBA",
  fsbo: "FSBO",
  nc: "NEW_CONSTRUCTION",
  auc: "AUCTION",
  fore: "FORECLOSURE",
};
const RANGE_FILTERS: RangeFilter[] = ["price", "beds", "baths", "sqft", "lot", "built", "hoa"];
const MODE_SEGMENTS: Record<string, SearchMode> = {
  for_sale: "forSale",
  recently_sold: "sold",
  sold: "sold",
  for_rent: "rent",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function rangeSegment(text: string): Record<string, number> {
  const [low, high] = text.split("-");
  const range: Record<string, number> = {};
  if (low) range.min = Number(low);
  if (high) range.max = Number(high);
  return range;
}

/** Parses a search path; null when the path is not a search route. */
export function parseSearchPath(pathname: string): SearchPath | null {
  const segments = pathname.split("/").filter((segment) => segment.length > 0);
  const result: SearchPath = { zip: null, regionId: null, page: null, mode: "forSale", filterState: {} };
  let rest: string[];
  const canonical = segments[0]?.match(/^[a-z0-9-]+-[a-z]{2}-(\d{5})$/);
  if (canonical) {
    result.zip = canonical[1];
    rest = segments.slice(1);
  } else if (segments[0] === "homes") {
    rest = segments.slice(1);
    if (rest[0] && MODE_SEGMENTS[rest[0]]) result.mode = MODE_SEGMENTS[rest.shift()!];
  } else {
    return null;
  }
  for (const segment of rest) {
    let match: RegExpMatchArray | null;
    if ((match = segment.match(/^(\d{5})_rb$/))) result.zip = match[1];
    else if ((match = segment.match(/^(\d+)_rid$/))) result.regionId = Number(match[1]);
    else if ((match = segment.match(/^(\d+)_p$/))) result.page = Number(match[1]);
    else if ((match = segment.match(/^(\d*-\d*)_price$/))) result.filterState.price = rangeSegment(match[1]);
    else if ((match = segment.match(/^(\d*-\d*)_beds$/))) result.filterState.beds = rangeSegment(match[1]);
    else return null;
  }
  return result;
}

/** Rewrites a filter state to short keys; values keep their `{value}` or `{min,max}` shape. */
export function normalizeFilterState(filterState: unknown): Record<string, unknown> {
  const normalized: Record<string, unknown> = {};
  if (!isRecord(filterState)) return normalized;
  for (const [key, value] of Object.entries(filterState)) normalized[LONG_TO_SHORT[key] ?? key] = value;
  return normalized;
}

function toggle(filterState: Record<string, unknown>, key: string): boolean | undefined {
  const entry = filterState[key];
  if (!isRecord(entry)) return undefined;
  if (entry.value === true || entry.value === "true") return true;
  if (entry.value === false || entry.value === "false") return false;
  return undefined;
}

function parseBounds(value: unknown): MapBounds | null {
  if (!isRecord(value)) return null;
  const bounds = {
    west: toNumber(value.west),
    east: toNumber(value.east),
    south: toNumber(value.south),
    north: toNumber(value.north),
  };
  if (Object.values(bounds).some((side) => side === undefined)) return null;
  return bounds as MapBounds;
}

function regionZips(state: Record<string, unknown>, resolveRegion: RegionResolver): string[] {
  const selection = Array.isArray(state.regionSelection) ? state.regionSelection : [];
  const zips: string[] = [];
  for (const region of selection) {
    if (!isRecord(region)) continue;
    const regionId = toNumber(region.regionId);
    // Only ZIP regions (type 7) exist here; a county or city id selects nothing.
    if (regionId === undefined || (region.regionType !== undefined && Number(region.regionType) !== 7)) {
      continue;
    }
    const zip = resolveRegion(regionId);
    if (zip && !zips.includes(zip)) zips.push(zip);
  }
  return zips;
}

/** Parses `searchQueryState` text; throws a SyntaxError on malformed JSON, like the real site's 400. */
export function parseQueryStateText(text: string | null): Record<string, unknown> {
  if (text === null || text === "") return {};
  const value = JSON.parse(text);
  if (!isRecord(value)) throw new SyntaxError("Cannot parse searchQueryState: expected a JSON object");
  return value;
}

/** Builds the normalized query from a path (may be null for the API) and a query state object. */
export function buildSearchQuery(
  path: SearchPath | null,
  state: Record<string, unknown>,
  resolveRegion: RegionResolver,
): SearchQuery {
  const filterState = { ...(path?.filterState ?? {}), ...normalizeFilterState(state.filterState) };
  let zips = regionZips(state, resolveRegion);
  if (zips.length === 0 && path?.zip) zips = [path.zip];
  if (zips.length === 0 && path?.regionId !== null && path?.regionId !== undefined) {
    const zip = resolveRegion(path.regionId);
    if (zip) zips = [zip];
  }
  const term = typeof state.usersSearchTerm === "string" ? state.usersSearchTerm.trim() : "";
  if (zips.length === 0 && /^\d{5}$/.test(term)) zips = [term];
  const pagination = isRecord(state.pagination) ? state.pagination : {};
  const page = path?.page ?? toNumber(pagination.currentPage) ?? 1;
  let mode = path?.mode ?? "forSale";
  if (toggle(filterState, "rs") === true) mode = "sold";
  if (toggle(filterState, "fr") === true) mode = "rent";
  const ranges: Partial<Record<RangeFilter, NumberRange>> = {};
  for (const name of RANGE_FILTERS) {
    const entry = filterState[name];
    if (!isRecord(entry)) continue;
    const range = { min: toNumber(entry.min), max: toNumber(entry.max) };
    if (range.min !== undefined || range.max !== undefined) ranges[name] = range;
  }
  const excludedTypes = new Set<HomeType>();
  for (const [key, types] of Object.entries(TYPE_TOGGLES)) {
    if (toggle(filterState, key) === false) { for (const type of types) excludedTypes.add(type); }
  }
  const excludedSources = new Set<ListingSource>();
  for (const [key, source] of Object.entries(SOURCE_TOGGLES)) {
    if (toggle(filterState, key) === false) excludedSources.add(source);
  }
  const sortEntry = filterState.sort;
  const dozEntry = filterState.doz;
  return {
    zips,
    bounds: parseBounds(state.mapBounds),
    page: Math.max(1, Math.floor(page)),
    mode,
    includePending: toggle(filterState, "pnd") === true,
    sort: isRecord(sortEntry) && typeof sortEntry.value === "string" ? sortEntry.value : DEFAULT_SORT,
    ranges,
    excludedTypes,
    excludedSources,
    daysOnZillow: isRecord(dozEntry) && dozEntry.value !== undefined ? String(dozEntry.value) : null,
    category: state.category === "cat2" ? "cat2" : "cat1",
    mapZoom: toNumber(state.mapZoom) ?? null,
    filterState: Object.keys(filterState).length > 0 ? filterState : { sort: { value: DEFAULT_SORT } },
  };
}
