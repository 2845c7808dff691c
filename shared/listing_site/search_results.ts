/**
 * The search state both search routes carry (anatomy §1.4, §2.1): the HTML page nests it under
 * `props.pageProps.searchPageState`, the JSON API returns it as the body. One reader serves both; only
 * `cat1` is read (the site has not been seen filling `cat2` lately, anatomy §7).
 * @module
 */
import {
  isObject,
  type JsonObject,
  PageParseError,
  pick,
  pickObject,
  pickObjects,
  toNumber,
} from "./page_json.ts";

/** One search answer: its cards, totals and the normalized query state the server used. */
export interface SearchResults {
  /** `listResults[]` cards as sent, then any legacy `relaxedResults[]` flagged `relaxed: true`. */
  listResults: JsonObject[];
  /** `mapResults[]` markers for the whole query (often empty on HTML pages). */
  mapResults: JsonObject[];
  totalResultCount: number;
  totalPages: number;
  resultsPerPage: number | null;
  /** Relative URL of the next page, absent on the last page. */
  nextUrl: string | null;
  /** `queryState` (HTML pages only). */
  queryState: JsonObject | null;
  /** The ZIP region's search id (not the ZIP number), from `queryState` or `regionState`. */
  regionId: number | null;
  currentPage: number;
}

// Results per page when a page does not say (fixed on the site).
const RESULTS_PER_PAGE = 41;

function regionIdOf(state: JsonObject): number | null {
  return toNumber(pick(state, "queryState.regionSelection.0.regionId")) ??
    toNumber(pick(state, "regionState.regionInfo.0.regionId"));
}

/** Reads a search state object; `what` names the source in errors. */
export function readSearchResults(state: JsonObject, what: string): SearchResults {
  const results = pickObject(state, "cat1.searchResults");
  if (!results) throw new PageParseError(`Cannot parse ${what}: expected cat1.searchResults`);
  const list = pickObject(state, "cat1.searchList") ?? {};
  const total = toNumber(list.totalResultCount) ??
    toNumber(pick(state, "categoryTotals.cat1.totalResultCount")) ??
    toNumber(results.totalResultCount);
  if (total === null || total < 0) {
    throw new PageParseError(`Cannot parse ${what}: expected a totalResultCount`);
  }
  const perPage = toNumber(list.resultsPerPage);
  const relaxed = pickObjects(results, "relaxedResults").map((card) => ({ ...card, relaxed: true }));
  const queryState = isObject(state.queryState) ? state.queryState : null;
  const nextUrl = pick(list, "pagination.nextUrl");
  return {
    listResults: [...pickObjects(results, "listResults"), ...relaxed],
    mapResults: pickObjects(results, "mapResults"),
    totalResultCount: total,
    totalPages: toNumber(list.totalPages) ?? Math.ceil(total / (perPage ?? RESULTS_PER_PAGE)),
    resultsPerPage: perPage,
    nextUrl: typeof nextUrl === "string" && nextUrl !== "" ? nextUrl : null,
    queryState,
    regionId: regionIdOf(state),
    currentPage: toNumber(pick(queryState, "pagination.currentPage")) ?? 1,
  };
}
