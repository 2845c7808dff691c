/**
 * URLs of the listing site (anatomy §1.2, §1.3, §2.3). Pages print links relative or absolute on the
 * site's own origin; the crawler always fetches through its configured base URL (the real site, a
 * proxy front or the simulator) and records the canonical public URL.
 * @module
 */
import type { PageRequest } from "../ports.ts";
import { type JsonObject, toText } from "./page_json.ts";

/** The public origin records carry in their `url`. */
export const SITE_ORIGIN = "https://www.zillow.com";

/** An inclusive price range in USD; `max: null` is the open top band. */
export interface PriceBand {
  min: number;
  max: number | null;
}

/** One for-sale search of a ZIP. */
export interface SearchSpec {
  zip: string;
  page: number;
  /** The ZIP's region id from page 1 (it is not the ZIP number), when known. */
  regionId: number | null;
  /** A price band: the search then carries an explicit `searchQueryState`. */
  band: PriceBand | null;
  /** The filter state page 1 reported (its sort), kept for follow-up searches. */
  filterState?: JsonObject;
}

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

/** The path (with query) of a site link, whether printed relative or absolute on any origin. */
export function sitePath(href: string): string {
  if (href.startsWith("/") && !href.startsWith("//")) return href;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new TypeError(`Cannot read link "${href}": expected a path or an absolute URL`);
  }
  return url.pathname + url.search;
}

/** A site link rewritten onto `baseUrl`, the origin the crawler fetches through. */
export function siteUrl(baseUrl: string, href: string): string {
  return trimBase(baseUrl) + sitePath(href);
}

/** A site link as the canonical public URL (`https://www.zillow.com/…`). */
export function canonicalUrl(href: string): string {
  return SITE_ORIGIN + sitePath(href);
}

/** The URL of a zpid's detail page when a page names none; the site resolves it to the canonical slug. */
export function bareDetailUrl(zpid: string): string {
  return canonicalUrl(`/homedetails/${zpid}_zpid/`);
}

/**
 * The street of a detail URL whose slug is `{street}-{city}-{state}-{zip}` (map cards print no street,
 * only "--"), given the city, state and ZIP the card names; null when the slug does not end with them.
 */
export function streetFromSlug(url: string, city: unknown, state: unknown, zipcode: unknown): string | null {
  const slug = sitePath(url).match(/^\/homedetails\/([^/]+)\/\d+_zpid/)?.[1];
  const tail = [toText(city), toText(state), toText(zipcode)];
  if (!slug || tail.some((part) => part === null)) return null;
  const suffix = `-${tail.join("-").replace(/\s+/g, "-")}`.toLowerCase();
  const text = decodeURIComponent(slug);
  if (!text.toLowerCase().endsWith(suffix) || text.length === suffix.length) return null;
  return text.slice(0, -suffix.length).replace(/-/g, " ");
}

/** The zpid in a detail URL (`…/{zpid}_zpid/`), or null. */
export function zpidFromUrl(url: string): string | null {
  return url.match(/\/(\d+)_zpid(?:\/|$|\?)/)?.[1] ?? null;
}

/** A detail page URL; the site resolves any slug and redirects to the canonical one. */
export function detailPageUrl(baseUrl: string, zpid: string, slug = "home"): string {
  return `${trimBase(baseUrl)}/homedetails/${encodeURIComponent(slug)}/${zpid}_zpid/`;
}

/** The explicit `searchQueryState` of a search; `pagination.currentPage` matches the path's page. */
export function searchQueryState(spec: SearchSpec): JsonObject {
  const filterState: JsonObject = { ...spec.filterState };
  if (spec.band) {
    filterState.price = spec.band.max === null
      ? { min: spec.band.min }
      : { min: spec.band.min, max: spec.band.max };
  }
  const state: JsonObject = {
    pagination: spec.page > 1 ? { currentPage: spec.page } : {},
    usersSearchTerm: spec.zip,
    isMapVisible: true,
    isListVisible: true,
    filterState,
  };
  if (spec.regionId !== null) state.regionSelection = [{ regionId: spec.regionId, regionType: 7 }];
  return state;
}

/**
 * The HTML search URL: `/homes/for_sale/{zip}_rb/[{N}_p/]`, plus `?searchQueryState=` for a price band.
 * The region segment stays in the path, so the ZIP holds even if the region id were wrong.
 */
export function searchPageUrl(baseUrl: string, spec: SearchSpec): string {
  const path = `${trimBase(baseUrl)}/homes/for_sale/${spec.zip}_rb/${spec.page > 1 ? `${spec.page}_p/` : ""}`;
  if (!spec.band) return path;
  return `${path}?searchQueryState=${encodeURIComponent(JSON.stringify(searchQueryState(spec)))}`;
}

/** The JSON search API request (`PUT /async-create-search-page-state`) for a search. */
export function searchApiRequest(baseUrl: string, spec: SearchSpec): PageRequest {
  const body = {
    searchQueryState: searchQueryState(spec),
    wants: { cat1: ["listResults", "mapResults"], cat2: ["total"] },
    requestId: spec.page,
    isDebugRequest: false,
  };
  return {
    url: `${trimBase(baseUrl)}/async-create-search-page-state`,
    kind: "api",
    method: "PUT",
    headers: {
      "content-type": "application/json",
      origin: new URL(baseUrl).origin,
      referer: searchPageUrl(baseUrl, { ...spec, page: 1, band: null }),
    },
    body: JSON.stringify(body),
  };
}
