/**
 * The search results page (`/homes/for_sale/{zip}_rb/…`) and the async search API body: the same
 * `searchPageState` data, with server-rendered cards for the first few results on the HTML page.
 * @module
 */
import { BUILD_ID, htmlDocument, nextDataScript, pxSensor, userSessionScript } from "./html_shell.ts";
import { searchSlugPath } from "./listing_urls.ts";
import { escapeHtml, toJsonText } from "./next_data.ts";
import { pagePadding } from "./page_padding.ts";
import { realCard, reportedTotalPages } from "./real_variants.ts";
import { type CardStyle, mapMarker, resultCard } from "./search_cards.ts";
import { RESULTS_PER_PAGE, type SearchItem, type SearchOutcome } from "./search_engine.ts";
import { type MapBounds, zipBounds, type ZipInfo } from "./zip_info.ts";

/** Cards rendered as HTML; the rest of a page's cards exist only in `__NEXT_DATA__` (as on the site). */
export const SSR_CARDS = 9;

/** Inputs of the search renderers. */
export interface SearchPageInput {
  outcome: SearchOutcome;
  /** Facts of `outcome.zips`, same order. */
  infos: ZipInfo[];
  origin: string;
  /** The request carried a `searchQueryState`, so follow-up URLs must carry it too. */
  explicitState: boolean;
  /** Serve the real page variants (`realVariants`): real building cards, map-style cards, odd totals. */
  variants?: boolean;
}

/** What the JSON API was asked for. */
export interface ApiRequestInfo {
  wants: Record<string, unknown> | null;
  requestId: number;
}

function boundsFor(input: SearchPageInput): MapBounds | null {
  if (input.outcome.query.bounds) return input.outcome.query.bounds;
  return input.infos.length > 0 ? zipBounds(input.infos[0]) : null;
}

/** `searchPageState.queryState`: the normalized state the server actually used. */
export function queryStateFor(
  input: SearchPageInput,
  page = input.outcome.query.page,
): Record<string, unknown> {
  const { query } = input.outcome;
  const state: Record<string, unknown> = {
    pagination: page > 1 ? { currentPage: page } : {},
    usersSearchTerm: input.infos.length > 0 ? input.infos[0].zip : "",
    isMapVisible: true,
    isListVisible: true,
    mapBounds: boundsFor(input),
    regionSelection: input.infos.map((info) => ({ regionId: info.regionId, regionType: 7 })),
    filterState: query.filterState,
  };
  if (query.mapZoom !== null) state.mapZoom = query.mapZoom;
  if (query.category !== "cat1") state.category = query.category;
  return state;
}

/** Relative URL of page `page` of the same search. */
export function searchPageUrl(input: SearchPageInput, page: number): string {
  const base = input.infos.length > 0
    ? searchSlugPath(input.infos[0], page)
    : page >= 2
    ? `/homes/for_sale/${page}_p/`
    : "/homes/for_sale/";
  if (!input.explicitState) return base;
  return `${base}?searchQueryState=${encodeURIComponent(JSON.stringify(queryStateFor(input, page)))}`;
}

function searchList(input: SearchPageInput): Record<string, unknown> {
  const { outcome } = input;
  const totalPages = input.variants
    ? reportedTotalPages(outcome.totalPages, outcome.totalResultCount)
    : outcome.totalPages;
  const list: Record<string, unknown> = {
    totalPages,
    totalResultCount: outcome.totalResultCount,
    resultsPerPage: RESULTS_PER_PAGE,
  };
  if (outcome.query.page < totalPages) {
    list.pagination = { nextUrl: searchPageUrl(input, outcome.query.page + 1) };
  }
  list.listResultsTitle = outcome.query.mode === "sold" ? "Recently Sold Homes" : "Homes For Sale";
  list.zeroResultsFilters = {};
  return list;
}

function cardOf(input: SearchPageInput, item: SearchItem, style: CardStyle): Record<string, unknown> {
  const card = resultCard(item, style);
  return input.variants ? realCard(card) : card;
}

function categoryTotals(outcome: SearchOutcome) {
  return {
    cat1: { totalResultCount: outcome.query.category === "cat1" ? outcome.totalResultCount : 0 },
    cat2: { totalResultCount: outcome.query.category === "cat2" ? outcome.totalResultCount : 0 },
  };
}

function pageTitle(input: SearchPageInput): string {
  const { outcome } = input;
  const count = outcome.totalResultCount.toLocaleString("en-US");
  const place = input.infos.length > 0 ? `${input.infos[0].zip} Real Estate - ` : "";
  if (outcome.query.mode === "sold") return `${place}${count} Recently Sold Homes | Zillow`;
  return `${place}${count} Homes For Sale | Zillow`;
}

function cardDom(item: SearchItem, origin: string): string {
  const card = resultCard(item, { origin, absoluteShare: 0 });
  const id = String(card.zpid);
  const facts: Array<[string, string]> = item.kind === "listing"
    ? [
      [item.listing.bedrooms === null ? "--" : String(item.listing.bedrooms), "bds"],
      [item.listing.bathrooms === null ? "--" : String(item.listing.bathrooms), "ba"],
      [item.listing.livingArea === null ? "--" : item.listing.livingArea.toLocaleString("en-US"), "sqft"],
    ]
    : [[String(item.units.length), "units"]];
  const details = facts.map(([value, unit]) => `<li><b>${value}</b> <abbr>${unit}</abbr></li>`).join("");
  const status = escapeHtml(String(card.statusText));
  return `<li class="ListItem-c11n-8-109-3__sc-13rwu5a-0"><article data-test="property-card" id="zpid_${id}" ` +
    `class="StyledPropertyCard-c11n-8-109-3__sc-jvwq6q-0"><a data-test="property-card-link" href="${
      escapeHtml(String(card.detailUrl))
    }" class="StyledPropertyCardDataArea-anchor"><address data-test="property-card-addr">${
      escapeHtml(String(card.address))
    }</address></a><div class="StyledPropertyCardDataArea-price"><span data-test="property-card-price">${
      escapeHtml(String(card.price))
    }</span></div><ul data-testid="property-card-details">${details}</ul><div class="StyledPropertyCardDataArea-status">${status}</div>` +
    `</article></li>`;
}

function paginationNav(input: SearchPageInput): string {
  const { page } = input.outcome.query;
  const { totalPages } = input.outcome;
  const links: string[] = [];
  if (page > 1) {
    links.push(
      `<li><a rel="prev" title="Previous page" href="${
        escapeHtml(searchPageUrl(input, page - 1))
      }">&lt;</a></li>`,
    );
  }
  for (let n = Math.max(1, page - 3); n <= Math.min(totalPages, page + 3); n++) {
    const current = n === page ? ' aria-current="page"' : "";
    links.push(
      `<li><a title="Page ${n}" href="${escapeHtml(searchPageUrl(input, n))}"${current}>${n}</a></li>`,
    );
  }
  if (page < totalPages) {
    links.push(
      `<li><a rel="next" title="Next page" href="${
        escapeHtml(searchPageUrl(input, page + 1))
      }">&gt;</a></li>`,
    );
  }
  return `<nav role="navigation" aria-label="Pagination" data-testid="search-pagination"><ul>${
    links.join("")
  }</ul></nav>`;
}

/** The search results HTML page (`/homes/for_sale/{zip}_rb/…`). */
export function renderSearchPage(input: SearchPageInput): string {
  const { outcome, origin } = input;
  const style = { origin, absoluteShare: 0.5 };
  const listResults = outcome.items.map((item) => cardOf(input, item, style));
  const regionInfo = input.infos.map((info) => ({
    regionType: 7,
    regionId: info.regionId,
    regionName: info.zip,
    displayName: `${info.zip} ${info.city}, ${info.state}`,
  }));
  const data = {
    props: {
      pageProps: {
        searchPageState: {
          queryState: queryStateFor(input),
          cat1: {
            searchResults: { listResults, mapResults: [] },
            searchList: searchList(input),
          },
          categoryTotals: categoryTotals(outcome),
          regionState: { regionInfo, regionBounds: boundsFor(input) },
        },
      },
    },
    page: "/search/GenericSearchPage",
    query: {},
    buildId: BUILD_ID,
  };
  const ssr = outcome.items.slice(0, SSR_CARDS).map((item) => cardDom(item, origin)).join("");
  const placeholders = outcome.items.slice(SSR_CARDS).map(() =>
    '<li class="ListItem-c11n-8-109-3__sc-13rwu5a-0"><div data-renderstrat="timeout" class="StyledCard-c11n-8-109-3__sc-rmiu6p-0"></div></li>'
  ).join("");
  const padding = pagePadding("search", 180_000, 260_000);
  const canonical = input.infos.length > 0
    ? `<link rel="canonical" href="${origin}${searchSlugPath(input.infos[0], outcome.query.page)}"/>`
    : "";
  const body = `<div id="__next"><header class="site-header"><a href="/">Zillow</a></header><h1>${
    escapeHtml(pageTitle(input).replace(" | Zillow", ""))
  }</h1><ul id="grid-search-results">${ssr}${placeholders}</ul>${paginationNav(input)}</div>${
    nextDataScript(data)
  }${userSessionScript()}${pxSensor()}${padding.body}`;
  return htmlDocument(pageTitle(input), `${canonical}${padding.head}`, body);
}

/** The async search API body (`PUT /async-create-search-page-state`), compact JSON. */
export function renderSearchApi(input: SearchPageInput, request: ApiRequestInfo): string {
  const { outcome, origin } = input;
  const style = { origin, absoluteShare: 0.1 };
  const wanted = request.wants && Array.isArray(request.wants[outcome.query.category])
    ? request.wants[outcome.query.category] as unknown[]
    : ["listResults", "mapResults"];
  const searchResults: Record<string, unknown> = {};
  if (wanted.includes("listResults")) {
    searchResults.listResults = outcome.items.map((item) => cardOf(input, item, style));
  }
  if (wanted.includes("mapResults")) {
    searchResults.mapResults = outcome.mapItems.map((item) => mapMarker(item, style));
  }
  const info = input.infos[0];
  const body: Record<string, unknown> = {
    user: { isLoggedIn: false, hasHousingConnectorPermission: false, savedSearchCount: 0 },
    mapState: { customRegionPolygonWkt: null, schoolPolygonWkt: null, isCurrentLocationSearch: false },
    regionState: {
      regionInfo: input.infos.map((zip) => ({ regionType: 7, regionId: zip.regionId, regionName: zip.zip })),
      regionBounds: boundsFor(input),
    },
    searchPageSeoObject: info ? { baseUrl: searchSlugPath(info, 1), windowTitle: pageTitle(input) } : {},
    requestId: request.requestId,
    [outcome.query.category]: { searchResults, searchList: searchList(input) },
    categoryTotals: categoryTotals(outcome),
  };
  return toJsonText(body);
}
