/**
 * The market simulator as one pure request handler: routes the site's URL forms to the renderers, runs
 * every request through the per-client defences, and serves `/__sim/*` inspection. No sockets and no
 * ambient clock: time comes from `clock`, so tests drive it directly.
 *
 * Routes (GET unless noted):
 * - search HTML: `/homes/for_sale/{zip}_rb/`, `/homes/{zip}_rb/`, `…/{N}_p/`, `/{city}-{st}-{zip}/[{N}_p/]`,
 *   `/homes/{regionId}_rid/`, `/homes/recently_sold/{zip}_rb/`, path filters `/{min}-{max}_price/`,
 *   `/{min}-{max}_beds/`, and `?searchQueryState=<url-encoded JSON>` on any of them or on `/homes/for_sale/`;
 * - search API: `PUT /async-create-search-page-state` (JSON body `{searchQueryState, wants, requestId}`)
 *   and the legacy `GET /search/GetSearchPageState.htm?searchQueryState=…&wants=…&requestId=…`;
 * - detail: `/homedetails/{any-slug}/{zpid}_zpid/` (301 to the canonical slug, then 200; 404 if unknown);
 * - building: `/b/{slug}/{lat},{lng}_ll/` (the building card's `detailUrl`);
 * - inspection: `/__sim/inventory/{zip}?at=`, `/__sim/listing/{zpid}?at=`, `/__sim/stats`,
 *   `POST /__sim/reset`, `/__sim/health`.
 * @module
 */
import { createHostility, type HostilityOptions, type Outcome, type RouteKind } from "./hostility.ts";
import { handleInspection } from "./inspection.ts";
import { createMarketRegistry, type ZipTableEntry } from "./market_registry.ts";
import { DEFAULT_ORIGIN } from "./pages.ts";
import {
  blockedResponse,
  rateLimitedResponse,
  routeOf,
  routeRequest,
  type RouteResult,
} from "./site_routes.ts";
import type { Clock } from "../../shared/ports.ts";

/** Options of `createMarketHandler`; hostility knobs default to off. */
export interface MarketHandlerOptions extends HostilityOptions {
  /** MARKET_SEED: the whole market is a function of this seed and time. */
  seed: string;
  /** Wall clock, for rate limits and stats (default: the system clock). */
  clock?: Clock;
  /** Maps wall time to market time, to freeze or speed up churn (default: identity). */
  marketTime?: (wall: Date) => Date;
  /** Expected listings for ZIPs missing from `zips` (default 300). */
  defaultExpected?: number;
  zips?: ZipTableEntry[];
  /** Share of condos grouped in building cards (default 0.35; 0 disables). */
  buildingShare?: number;
  /** Origin printed in absolute URLs (default "https://www.zillow.com"). */
  origin?: string;
  /** Waits out the added latency (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** Called once per request, after the response is built. */
  onRequest?: (entry: RequestLogEntry) => void;
}

/** Where a request came in, when the caller serves several ports (one port = one proxy exit). */
export interface ConnectionInfo {
  localPort?: number;
}

/** One request's log line. */
export interface RequestLogEntry {
  time: string;
  client: string;
  method: string;
  path: string;
  route: RouteKind | "inspection";
  status: number;
  outcome: Outcome | "inspection";
  latencyMs: number;
}

/** The handler: a fetch-style function, usable with `Deno.serve` or called directly in tests. */
export type MarketHandler = (request: Request, connection?: ConnectionInfo) => Promise<Response>;

/**
 * Identifies the client (proxy exit): the `x-sim-client` header, else the username of a
 * `proxy-authorization` header (a sticky proxy session), else the local port, else "anonymous".
 */
export function clientIdOf(request: Request, connection?: ConnectionInfo): string {
  const header = request.headers.get("x-sim-client");
  if (header) return header;
  const proxyAuth = request.headers.get("proxy-authorization");
  const basic = proxyAuth?.match(/^Basic\s+(.+)$/i);
  if (basic) {
    try {
      return `proxy:${atob(basic[1]).split(":")[0]}`;
    } catch {
      // An undecodable header identifies nobody; fall through to the port.
    }
  }
  return connection?.localPort ? `port:${connection.localPort}` : "anonymous";
}

/** Builds the simulator's request handler. */
export function createMarketHandler(options: MarketHandlerOptions): MarketHandler {
  const clock = options.clock ?? { now: () => new Date() };
  const marketTime = options.marketTime ?? ((wall: Date) => wall);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const origin = options.origin ?? DEFAULT_ORIGIN;
  const registry = createMarketRegistry({
    seed: options.seed,
    defaultExpected: options.defaultExpected ?? 300,
    zips: options.zips,
    buildingShare: options.buildingShare,
  });
  const hostility = createHostility(options.seed, options);
  const inspection = { registry, hostility, origin, marketNow: () => marketTime(clock.now()) };

  return async function marketHandler(request: Request, connection?: ConnectionInfo): Promise<Response> {
    const url = new URL(request.url);
    const wall = clock.now();
    const client = clientIdOf(request, connection);
    const log = (
      routeKind: RequestLogEntry["route"],
      status: number,
      outcome: RequestLogEntry["outcome"],
      latencyMs: number,
    ) =>
      options.onRequest?.({
        time: wall.toISOString(),
        client,
        method: request.method,
        path: url.pathname + url.search,
        route: routeKind,
        status,
        outcome,
        latencyMs,
      });

    const inspected = handleInspection(request, url, inspection);
    if (inspected) {
      log("inspection", inspected.status, "inspection", 0);
      return inspected;
    }
    const routeKind = routeOf(request.method, url.pathname);
    const verdict = hostility.judge(client, routeKind, wall.getTime(), request.headers);
    let result: RouteResult;
    if (verdict.kind === "rateLimited") {
      result = { response: rateLimitedResponse(verdict.retryAfterS), outcome: "rateLimited" };
    } else if (verdict.kind === "blocked") {
      result = { response: blockedResponse(verdict, url), outcome: "blocked" };
    } else {
      result = await routeRequest(request, url, routeKind, {
        registry,
        origin,
        at: marketTime(wall),
        verdict,
        variants: options.realVariants === true,
      });
    }
    if (verdict.latencyMs > 0) await sleep(verdict.latencyMs);
    hostility.record(client, routeKind, result.response.status, result.outcome, wall.getTime());
    log(routeKind, result.response.status, result.outcome, verdict.latencyMs);
    return result.response;
  };
}
