/**
 * The site's routes behind the defences: search pages, the search API, detail, building and home pages,
 * and the responses for blocked and rate-limited requests.
 * @module
 */
import type { Outcome, RouteKind, Verdict } from "./hostility.ts";
import { findListing, isForSale, listingsAt, type SimListing } from "./inventory.ts";
import { detailPath } from "./listing_urls.ts";
import { escapeHtml } from "./next_data.ts";
import type { MarketRegistry } from "./market_registry.ts";
import {
  renderBlockJson,
  renderBlockPage,
  renderBuildingPage,
  renderDetailPage,
  renderNotFoundPage,
  renderRateLimitPage,
  renderSearchApi,
  renderSearchPage,
  type SearchPageInput,
} from "./pages.ts";
import { communityPosition } from "./real_variants.ts";
import { runSearch } from "./search_engine.ts";
import { buildSearchQuery, parseQueryStateText, parseSearchPath, type SearchPath } from "./search_query.ts";
import { decodeZpid } from "./zpid_codec.ts";

/** A route's response and how it ended, for the stats. */
export interface RouteResult {
  response: Response;
  outcome: Outcome;
}

/** What a route needs: the markets, the printed origin, the market time and the passing verdict. */
export interface RouteContext {
  registry: MarketRegistry;
  origin: string;
  at: Date;
  verdict: Verdict & { kind: "pass" };
  /** Serve the real page variants (`realVariants`). */
  variants?: boolean;
}

const HTML = "text/html; charset=utf-8";
const EDGE_HEADERS = { server: "CloudFront", "x-cache": "Miss from cloudfront" };

/** The route family of a request, for defences and stats. */
export function routeOf(method: string, path: string): RouteKind {
  if (path === "/") return "home";
  if (path === "/async-create-search-page-state" || path === "/search/GetSearchPageState.htm") return "api";
  if (path.startsWith("/homedetails/")) return "detail";
  if (path.startsWith("/b/") || path.startsWith("/community/")) return "building";
  if (method === "GET" && parseSearchPath(path)) return "search";
  return "other";
}

function html(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": HTML, ...EDGE_HEADERS, ...headers } });
}

function notFound(): RouteResult {
  return { response: html(renderNotFoundPage(), 404), outcome: "notFound" };
}

function badRequest(message: string, asJson: boolean): RouteResult {
  const response = asJson
    ? new Response(JSON.stringify({ error: message }), {
      status: 400,
      headers: { "content-type": "application/json" },
    })
    : html(
      `<!DOCTYPE html><html><head><title>Bad Request</title></head><body>${
        escapeHtml(message)
      }</body></html>`,
      400,
    );
  return { response, outcome: "error" };
}

function searchInput(
  context: RouteContext,
  path: SearchPath | null,
  state: Record<string, unknown>,
  explicit: boolean,
): SearchPageInput {
  const { registry } = context;
  const query = buildSearchQuery(path, state, registry.zipForRegion);
  const outcome = runSearch(query, {
    at: context.at,
    marketFor: registry.marketFor,
    zipsInBounds: registry.zipsInBounds,
    neighboursOf: registry.neighboursOf,
  });
  return {
    outcome,
    infos: outcome.query.zips.map(registry.infoFor),
    origin: context.origin,
    explicitState: explicit,
    variants: context.variants,
  };
}

function serveSearchPage(url: URL, context: RouteContext): RouteResult {
  const path = parseSearchPath(url.pathname)!;
  const stateText = url.searchParams.get("searchQueryState");
  let state: Record<string, unknown>;
  try {
    state = parseQueryStateText(stateText);
  } catch (error) {
    return badRequest(`Invalid searchQueryState: ${(error as Error).message}`, false);
  }
  const input = searchInput(context, path, state, stateText !== null);
  if (input.outcome.zips.length === 0 && !input.outcome.query.bounds) return notFound();
  return { response: html(renderSearchPage(input)), outcome: "ok" };
}

async function serveSearchApi(request: Request, url: URL, context: RouteContext): Promise<RouteResult> {
  let state: Record<string, unknown>;
  let wants: Record<string, unknown> | null = null;
  let requestId = 1;
  try {
    if (request.method === "PUT" || request.method === "POST") {
      const body = await request.json();
      const raw = body?.searchQueryState;
      state = typeof raw === "string" ? parseQueryStateText(raw) : raw ?? {};
      wants = typeof body?.wants === "object" ? body.wants : null;
      requestId = Number(body?.requestId) || 1;
    } else if (request.method === "GET") {
      state = parseQueryStateText(url.searchParams.get("searchQueryState"));
      wants = url.searchParams.has("wants") ? JSON.parse(url.searchParams.get("wants")!) : null;
      requestId = Number(url.searchParams.get("requestId")) || 1;
    } else {
      return badRequest(`Method ${request.method} is not allowed`, true);
    }
  } catch (error) {
    return badRequest(`Invalid request body: ${(error as Error).message}`, true);
  }
  const input = searchInput(context, null, state, true);
  const body = renderSearchApi(input, { wants, requestId });
  return {
    response: new Response(body, { headers: { "content-type": "application/json", ...EDGE_HEADERS } }),
    outcome: "ok",
  };
}

function nearbyHomes(listing: SimListing, context: RouteContext): SimListing[] {
  const others = listingsAt(
    context.registry.marketFor(listing.zip),
    context.at,
    new Set(["FOR_SALE", "CONTINGENT"]),
  )
    .filter((other) => other.zpid !== listing.zpid);
  const distance = (other: SimListing) =>
    (other.latitude - listing.latitude) ** 2 + (other.longitude - listing.longitude) ** 2;
  return others.sort((a, b) => distance(a) - distance(b) || (a.zpid < b.zpid ? -1 : 1)).slice(0, 10);
}

function serveDetail(url: URL, context: RouteContext): RouteResult {
  const match = url.pathname.match(/^\/homedetails\/(?:[^/]+\/)?(\d+)_zpid\/?$/);
  if (!match) return notFound();
  const origin = decodeZpid(match[1]);
  const listing = origin ? findListing(context.registry.marketFor(origin.zip), match[1], context.at) : null;
  if (!listing) return notFound();
  if (context.verdict.vanish) return { response: html(renderNotFoundPage(), 404), outcome: "vanished" };
  // Any slug resolves; the site answers a non-canonical one with a redirect to the canonical URL.
  const canonical = detailPath(listing);
  if (url.pathname !== canonical) {
    return {
      response: new Response(null, { status: 301, headers: { location: canonical, ...EDGE_HEADERS } }),
      outcome: "ok",
    };
  }
  const market = context.registry.marketFor(listing.zip);
  const body = renderDetailPage(listing, {
    schools: market.profile.schools,
    nearby: nearbyHomes(listing, context),
    origin: context.origin,
    variants: context.variants,
  });
  return { response: html(body), outcome: "ok" };
}

function serveBuilding(url: URL, context: RouteContext): RouteResult {
  const match = url.pathname.match(/^\/b\/[^/]+\/(-?\d+\.\d+),(-?\d+\.\d+)_ll\/?$/);
  const position = match ? [Number(match[1]), Number(match[2])] : communityPosition(url.pathname);
  if (!position) return notFound();
  const found = context.registry.findBuilding(position[0], position[1]);
  if (!found) return notFound();
  const units = listingsAt(found.market, context.at, new Set(["FOR_SALE", "CONTINGENT"]))
    .filter((listing) => listing.buildingId === found.building.id && isForSale(listing));
  const body = renderBuildingPage(found.building, units, found.market.profile.info, context.origin);
  return { response: html(body), outcome: "ok" };
}

function serveHome(): RouteResult {
  const body =
    `<!DOCTYPE html><html lang="en"><head><title>Zillow: Real Estate, Apartments, Mortgages &amp; Home Values</title></head>` +
    `<body><div id="__next"><form action="/homes/" method="get"><input name="searchQueryState" type="hidden"/></form></div></body></html>`;
  return { response: html(body), outcome: "ok" };
}

/** The bot wall's answer: a 403 page, a 302 to the captcha page, or (API) the 403 JSON descriptor. */
export function blockedResponse(verdict: Verdict & { kind: "blocked" }, url: URL): Response {
  const headers = { "x-px-blocked": "1", ...EDGE_HEADERS };
  if (verdict.variant === "json") {
    return new Response(renderBlockJson(verdict.ids), {
      status: 403,
      headers: { "content-type": "application/json", ...headers },
    });
  }
  if (verdict.variant === "redirect") {
    const target = `/captchaPerimeterX/?url=${
      encodeURIComponent(url.pathname)
    }&uuid=${verdict.ids.uuid}&vid=`;
    return new Response(null, { status: 302, headers: { location: target, ...EDGE_HEADERS } });
  }
  return html(renderBlockPage(verdict.ids), 403, headers);
}

/** Serves a request that passed the defences. */
export async function routeRequest(
  request: Request,
  url: URL,
  routeKind: RouteKind,
  context: RouteContext,
): Promise<RouteResult> {
  if (url.pathname === "/captchaPerimeterX/") {
    const uuid = url.searchParams.get("uuid") ?? "00000000-0000-4000-a000-000000000000";
    return {
      response: html(renderBlockPage({ uuid, vid: "" }), 403, { "x-px-blocked": "1" }),
      outcome: "blocked",
    };
  }
  switch (routeKind) {
    case "home":
      return serveHome();
    case "api":
      return await serveSearchApi(request, url, context);
    case "detail":
      return serveDetail(url, context);
    case "building":
      return serveBuilding(url, context);
    case "search":
      return serveSearchPage(url, context);
    default:
      return notFound();
  }
}

/** The 429 answer, with the seconds until the client's budget frees up. */
export function rateLimitedResponse(retryAfterS: number): Response {
  return html(renderRateLimitPage(), 429, { "retry-after": String(retryAfterS) });
}
