/**
 * Crawls every for-sale listing of one ZIP (listing-site-anatomy §1.5-1.8). Page 1 of the ZIP's search
 * gives its region id and total. A query shows at most 20 pages of 41 (820 results), so a ZIP over the
 * cap is split into contiguous price bands, each halved at the median price of its first page until it
 * fits. Real answers' `totalPages` disagrees with their `totalResultCount` (3 pages for 7,406 results,
 * 1 page for 91), so every band is paged until its total is reached, a page adds nothing new, or page 20
 * (then split further); a disagreement between total and cards is reported through `onWarning`. Building
 * and community cards are expanded through their page; relaxed, other-ZIP and pseudo-id cards are
 * dropped; listings are de-duplicated by zpid; detail pages are optionally merged in. A search page that
 * stays blocked after the fetcher's retries fails the crawl (`CrawlError`); a building page that fails
 * (blocked, gone, or a layout the parser does not know: no real one was ever parsed) is counted in
 * `buildingsFailed` and skipped; a failed detail page only leaves its record search-only.
 * @module
 */
import type { PageFetcher, PageRequest, PageResponse } from "../../shared/ports.ts";
import { type ListingRecord, ListingRecordSchema } from "../../shared/schemas/listing.ts";
import {
  classifyCard,
  classifyPage,
  isObject,
  isUnitForSale,
  type JsonObject,
  type ListingFields,
  mergeDetail,
  normalizeBuildingUnit,
  normalizeDetailProperty,
  normalizeSearchCard,
  normalizeZpid,
  PageParseError,
  type PageVerdict,
  parseBuildingPage,
  parseDetailPage,
  parsePrice,
  parseSearchApi,
  parseSearchPage,
  pick,
  type PriceBand,
  searchApiRequest,
  searchPageUrl,
  type SearchResults,
  type SearchSpec,
  siteUrl,
  toText,
} from "../../shared/listing_site/mod.ts";
import type { Clock } from "../../shared/ports.ts";
import { type DetailMode, wantsDetail } from "./detail_mode.ts";

/** Counters reported after every request and once at the end. */
export interface CrawlProgress {
  pages: number;
  listings: number;
  requests: number;
  /** Building or community pages skipped because they failed. */
  buildingsFailed: number;
}

/** Options of `crawlZip`. */
export interface CrawlOptions {
  fetcher: PageFetcher;
  /** Origin the crawler fetches through; links the site prints on its own origin are rewritten onto it. */
  baseUrl: string;
  detail: DetailMode;
  /** Stamps `scraped_at` (the time each listing's page was read). */
  clock: Clock;
  epochId: string;
  nonce: string;
  minerHotkey: string;
  onProgress?: (progress: CrawlProgress) => void;
  /** Told what the crawl could not reconcile (a skipped building page, a total the cards disagree with). */
  onWarning?: (message: string) => void;
  /** Checked before every request; once aborted the crawl throws `ScrapeAbortedError`. */
  signal?: AbortSignal;
  /** Search pages after page 1 through the HTML pages (default) or the JSON API (needs an impersonating fetcher). */
  searchRoute?: "html" | "api";
  /** Pages the site serves per query (default 20). */
  maxPages?: number;
  /** Results one query can reach; a larger total is split into price bands (default 820). */
  cap?: number;
  /** Detail pages in flight at once (default 4); the fetcher paces them. */
  detailConcurrency?: number;
}

/** What a crawl did. */
export interface CrawlStats {
  /** `totalResultCount` of the unfiltered page 1, for a coverage figure. */
  reported: number;
  pages: number;
  requests: number;
  /** Queries paged: 1 when the ZIP fit under the cap, else the number of price bands. */
  bands: number;
  buildings: number;
  /** Building or community pages that failed and were skipped (their units are missing). */
  buildingsFailed: number;
  /** Bands whose cards did not add up to their page's `totalResultCount`. */
  totalMismatches: number;
  dropped: {
    relaxed: number;
    otherZip: number;
    nonNumeric: number;
    notForSale: number;
    /** Rows whose fields could not be normalized into a valid record. */
    invalid: number;
  };
  detailFetched: number;
  detailFailed: number;
}

/** A crawl's records (one per zpid, in discovery order) and statistics. */
export interface CrawlResult {
  records: ListingRecord[];
  stats: CrawlStats;
}

/** The crawl was aborted through its signal; the miner stops scraping rather than failing the ZIP. */
export class ScrapeAbortedError extends Error {
  override name = "ScrapeAbortedError";
  readonly stopScraping = true;
}

/** A search or building page the crawl needs stayed blocked, missing or broken. */
export class CrawlError extends Error {
  override name = "CrawlError";
  constructor(readonly url: string, readonly verdict: PageVerdict, options?: ErrorOptions) {
    super(`Cannot crawl "${url}": ${verdict.status} (${verdict.reason})`, options);
  }
}

const DEFAULT_MAX_PAGES = 20;
const DEFAULT_CAP = 820;
const DEFAULT_DETAIL_CONCURRENCY = 4;
// An open top band with no priced sample doubles its floor to find a split point.
const OPEN_BAND_STEP = 100_000;

/** Splits a band at the median price of its sample (falling back to the middle), contiguous halves. */
export function splitBand(band: PriceBand, samplePrices: number[]): [PriceBand, PriceBand] {
  const inside = samplePrices.filter((price) => price >= band.min && (band.max === null || price < band.max))
    .sort((a, b) => a - b);
  let cut = inside.length > 0 ? inside[Math.floor((inside.length - 1) / 2)] : null;
  if (cut === null) {
    cut = band.max === null ? band.min * 2 + OPEN_BAND_STEP : Math.floor((band.min + band.max) / 2);
  }
  return [{ min: band.min, max: cut }, { min: cut + 1, max: band.max }];
}

function canSplit(band: PriceBand): boolean {
  return band.max === null || band.max > band.min;
}

/** A non-relaxed card's identity (zpid, else its link), for counting what a page added. */
function cardKey(card: JsonObject): string | null {
  if (card.relaxed === true) return null;
  return normalizeZpid(card.zpid ?? pick(card, "hdpData.homeInfo.zpid")) ?? toText(card.detailUrl);
}

/** Adds the cards' keys to `seen`; how many were new. */
function addKeys(seen: Set<string>, cards: JsonObject[]): number {
  const before = seen.size;
  for (const card of cards) {
    const key = cardKey(card);
    if (key !== null) seen.add(key);
  }
  return seen.size - before;
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function forEachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

// Checked once up front: a bad hotkey or ZIP would otherwise make every row invalid.
function protocolColumns(zip: string, options: CrawlOptions) {
  return ListingRecordSchema.pick({ epoch_id: true, nonce: true, miner_hotkey: true, zipcode: true }).parse({
    epoch_id: options.epochId,
    nonce: options.nonce,
    miner_hotkey: options.minerHotkey,
    zipcode: zip,
  });
}

/** One ZIP's crawl as it runs: its inputs, counters and what it found so far. */
interface Crawl {
  zip: string;
  options: CrawlOptions;
  protocol: ReturnType<typeof protocolColumns>;
  maxPages: number;
  cap: number;
  route: NonNullable<CrawlOptions["searchRoute"]>;
  stats: CrawlStats;
  /** Valid records by zpid. */
  found: Map<string, ListingRecord>;
  /** Building pages the search cards pointed to, expanded after the search. */
  buildingUrls: Set<string>;
}

function emptyStats(): CrawlStats {
  return {
    reported: 0,
    pages: 0,
    requests: 0,
    bands: 0,
    buildings: 0,
    buildingsFailed: 0,
    totalMismatches: 0,
    dropped: { relaxed: 0, otherZip: 0, nonNumeric: 0, notForSale: 0, invalid: 0 },
    detailFetched: 0,
    detailFailed: 0,
  };
}

/** Crawls one ZIP; see the module documentation. */
export async function crawlZip(zip: string, options: CrawlOptions): Promise<CrawlResult> {
  const c: Crawl = {
    zip,
    options,
    protocol: protocolColumns(zip, options),
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
    cap: options.cap ?? DEFAULT_CAP,
    route: options.searchRoute ?? "html",
    stats: emptyStats(),
    found: new Map(),
    buildingUrls: new Set(),
  };
  const rootSpec: SearchSpec = { zip, page: 1, regionId: null, band: null };
  const root = await search(c, rootSpec);
  c.stats.reported = root.totalResultCount;
  const filterState = root.queryState?.filterState;
  const spec: SearchSpec = {
    ...rootSpec,
    regionId: root.regionId,
    filterState: isObject(filterState) ? filterState : undefined,
  };
  if (c.route === "api" && spec.regionId === null) {
    const reason = "page 1 named no regionId, which API searches need";
    throw new CrawlError(searchPageUrl(c.options.baseUrl, rootSpec), { status: "error", reason });
  }
  await crawlBand(c, spec, root);
  for (const path of c.buildingUrls) await expandBuilding(c, path);
  const chosen = [...c.found.values()].filter((record) => wantsDetail(record.zpid, c.options.detail));
  await forEachLimited(
    chosen,
    c.options.detailConcurrency ?? DEFAULT_DETAIL_CONCURRENCY,
    (r) => enrich(c, r),
  );
  report(c); // the final counts: the last page was parsed after the last report
  return { records: [...c.found.values()], stats: c.stats };
}

/** Stamps and validates a row; false when it does not make a valid record. */
function keep(c: Crawl, fields: ListingFields, scrapedAt: Date): boolean {
  const record = ListingRecordSchema.safeParse({
    ...fields,
    ...c.protocol,
    scraped_at: scrapedAt.toISOString(),
  });
  if (record.success) c.found.set(fields.zpid, record.data);
  return record.success;
}

// Normalizing fails on rows the site sent incomplete; those are counted, not fatal.
function normalized<T>(build: () => T): T | null {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof PageParseError)) throw error;
    return null;
  }
}

function add(c: Crawl, build: () => ListingFields, scrapedAt: Date): void {
  const fields = normalized(build);
  if (!fields || !keep(c, fields, scrapedAt)) c.stats.dropped.invalid++;
}

function report(c: Crawl): void {
  const { pages, requests, buildingsFailed } = c.stats;
  c.options.onProgress?.({ pages, listings: c.found.size, requests, buildingsFailed });
}

async function fetchPage(c: Crawl, request: PageRequest): Promise<PageResponse> {
  if (c.options.signal?.aborted) throw new ScrapeAbortedError(`Crawl of ZIP ${c.zip} aborted`);
  const response = await c.options.fetcher.fetch(request);
  c.stats.requests++;
  report(c);
  return response;
}

/** Fetches and parses a page the crawl cannot do without; anything but a parsed page is a `CrawlError`. */
async function fetchParsed<T>(c: Crawl, request: PageRequest, parse: (body: string) => T): Promise<T> {
  const response = await fetchPage(c, request);
  const verdict = classifyPage(response, request.kind);
  if (verdict.status !== "ok") throw new CrawlError(request.url, verdict);
  try {
    return parse(response.body);
  } catch (error) {
    if (!(error instanceof PageParseError)) throw error;
    throw new CrawlError(request.url, { status: "error", reason: error.message }, { cause: error });
  }
}

function collect(c: Crawl, cards: JsonObject[], scrapedAt: Date): void {
  for (const card of cards) {
    const verdict = classifyCard(card, c.zip);
    if (verdict.kind === "building") c.buildingUrls.add(verdict.url);
    else if (verdict.kind !== "listing") c.stats.dropped[verdict.kind]++;
    else if (!c.found.has(verdict.zpid)) add(c, () => normalizeSearchCard(card, scrapedAt), scrapedAt);
  }
}

async function search(c: Crawl, spec: SearchSpec): Promise<SearchResults> {
  // Page 1 of the unfiltered search is always the HTML page: it is the least blocked and names the region.
  const useApi = c.route === "api" && (spec.band !== null || spec.page > 1);
  const request: PageRequest = useApi
    ? searchApiRequest(c.options.baseUrl, spec)
    : { url: searchPageUrl(c.options.baseUrl, spec), kind: "search" };
  const results = await fetchParsed(c, request, useApi ? parseSearchApi : parseSearchPage);
  c.stats.pages++;
  collect(c, results.listResults, c.options.clock.now());
  return results;
}

/** Pages a band until its total is reached or a page adds nothing new; true when page 20 cut it short. */
async function pageThrough(c: Crawl, spec: SearchSpec, first: SearchResults): Promise<boolean> {
  c.stats.bands++;
  const seen = new Set<string>();
  const total = first.totalResultCount;
  addKeys(seen, first.listResults);
  let page = 1;
  while (seen.size < total && page < c.maxPages) {
    page++;
    if (addKeys(seen, (await search(c, { ...spec, page })).listResults) === 0) break;
  }
  const band = spec.band ? `band ${spec.band.min}-${spec.band.max ?? ""}` : "the ZIP";
  if (seen.size !== total) {
    c.stats.totalMismatches++;
    c.options.onWarning?.(
      `ZIP ${c.zip}, ${band}: the page reports ${total} results (${first.totalPages} pages), its cards ${seen.size}`,
    );
  }
  return page >= c.maxPages && seen.size < total;
}

async function crawlBand(c: Crawl, spec: SearchSpec, first: SearchResults): Promise<void> {
  const band = spec.band ?? { min: 0, max: null };
  const fits = first.totalResultCount <= c.cap || !canSplit(band);
  if (fits && !(await pageThrough(c, spec, first) && canSplit(band))) return;
  const prices = first.listResults.filter((card) => card.relaxed !== true)
    .map((card) => parsePrice(card.unformattedPrice ?? card.price))
    .filter((price): price is number => price !== null);
  for (const half of splitBand(band, prices)) {
    const halfSpec = { ...spec, band: half };
    await crawlBand(c, halfSpec, await search(c, halfSpec));
  }
}

async function expandBuilding(c: Crawl, path: string): Promise<void> {
  const request: PageRequest = { url: siteUrl(c.options.baseUrl, path), kind: "building" };
  let page;
  try {
    page = await fetchParsed(c, request, parseBuildingPage);
  } catch (error) {
    if (!(error instanceof CrawlError)) throw error;
    c.stats.buildingsFailed++;
    c.options.onWarning?.(`ZIP ${c.zip}: skipped building page ${path}: ${error.verdict.reason}`);
    return report(c);
  }
  const scrapedAt = c.options.clock.now();
  c.stats.buildings++;
  for (const unit of page.units) {
    const zpid = normalizeZpid(unit.zpid);
    if (!zpid) c.stats.dropped.nonNumeric++;
    else if (c.found.has(zpid)) continue;
    else if (!isUnitForSale(unit)) c.stats.dropped.notForSale++;
    else if (toText(pick(page.building, "address.zipcode"))?.slice(0, 5) !== c.zip) {
      c.stats.dropped.otherZip++;
    } else add(c, () => normalizeBuildingUnit(unit, page.building), scrapedAt);
  }
}

async function enrich(c: Crawl, record: ListingRecord): Promise<void> {
  const response = await fetchPage(c, { url: siteUrl(c.options.baseUrl, record.url), kind: "detail" });
  const scrapedAt = c.options.clock.now();
  const detail = classifyPage(response, "detail").status === "ok"
    ? normalized(() => {
      const property = parseDetailPage(response.body, record.zpid);
      return property && normalizeDetailProperty(property);
    })
    : null;
  const { epoch_id: _e, nonce: _n, miner_hotkey: _h, scraped_at: _s, ...search } = record;
  if (detail && keep(c, { ...mergeDetail(search, detail), zipcode: c.zip }, scrapedAt)) {
    c.stats.detailFetched++;
  } else c.stats.detailFailed++;
}
