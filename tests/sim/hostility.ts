/**
 * The simulated site's defences, per client (one client = one proxy exit): added latency, PerimeterX
 * blocks at a rate (optionally sticky for a cool-down), 429 past a per-minute budget, detail pages that
 * vanish, and an optional browser-header check. Decisions come from one PRNG stream per client, so a
 * given sequence of requests always meets the same blocks.
 * @module
 */
import { createPrng, type Prng } from "../../shared/prng.ts";
import type { BlockIds } from "./pages.ts";
import { drawHex } from "./random_draws.ts";

/** Route families, for per-route block rates and stats. */
export type RouteKind = "home" | "search" | "api" | "detail" | "building" | "other";

/** Knobs; every one defaults to "off". */
export interface HostilityOptions {
  /** Mean added latency per request; each request waits uniformly 0.5× to 1.5× this. */
  latencyMs?: number;
  /** Chance (0..1) that a request is blocked by the bot wall. */
  blockRate?: number;
  /** Per-route override of `blockRate` (the real site blocks detail pages and the API far more). */
  blockRateByRoute?: Partial<Record<RouteKind, number>>;
  /** Once blocked, the client stays blocked this long (0: each request is drawn afresh). */
  blockCooldownMs?: number;
  /** Requests a client may make per sliding minute before getting 429 (0: unlimited). */
  rateLimitPerMinute?: number;
  /** Chance (0..1) that a detail page answers 404 although the listing exists. */
  vanishRate?: number;
  /** Block requests without a browser user-agent, and API calls without an `origin` header. */
  strictHeaders?: boolean;
  /**
   * Serve the page variants seen in real captures (real_variants.ts): building cards without zpid or
   * ZIP, community links, map-style cards, totals that disagree with the page count, off-market pages
   * with the Zestimate as price, detail properties without `hdpUrl`.
   */
  realVariants?: boolean;
}

/** What happens to one request. */
export type Verdict =
  | { kind: "pass"; latencyMs: number; vanish: boolean }
  | { kind: "rateLimited"; latencyMs: number; retryAfterS: number }
  | { kind: "blocked"; latencyMs: number; variant: "page" | "redirect" | "json"; ids: BlockIds };

/** How a request ended, for the stats. */
export type Outcome = "ok" | "blocked" | "rateLimited" | "vanished" | "notFound" | "error";

/** Counters of one client. */
export interface ClientStats {
  requests: number;
  ok: number;
  blocked: number;
  rateLimited: number;
  vanished: number;
  notFound: number;
  errors: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  firstSeen: string;
  lastSeen: string;
}

/** The defences of one simulated site. */
export interface Hostility {
  judge(clientId: string, route: RouteKind, nowMs: number, headers: Headers): Verdict;
  record(clientId: string, route: RouteKind, status: number, outcome: Outcome, nowMs: number): void;
  stats(): Record<string, ClientStats>;
  reset(): void;
}

interface ClientState {
  prng: Prng;
  accepted: number[];
  blockedUntilMs: number;
  stats: ClientStats;
}

const WINDOW_MS = 60_000;
const BROWSER_AGENT = /Mozilla\/5\.0 \(.+\).*(Chrome|Firefox|Safari)\//;

function blockIds(prng: Prng): BlockIds {
  const hex = drawHex(prng, 32);
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${
    hex.slice(20, 32)
  }`;
  return { uuid, vid: drawHex(prng, 32) };
}

function emptyStats(nowMs: number): ClientStats {
  const seen = new Date(nowMs).toISOString();
  return {
    requests: 0,
    ok: 0,
    blocked: 0,
    rateLimited: 0,
    vanished: 0,
    notFound: 0,
    errors: 0,
    byRoute: {},
    byStatus: {},
    firstSeen: seen,
    lastSeen: seen,
  };
}

/** Builds the defences; `seed` keys every client's decision stream. */
export function createHostility(seed: string, options: HostilityOptions): Hostility {
  const clients = new Map<string, ClientState>();

  function client(clientId: string, nowMs: number): ClientState {
    let state = clients.get(clientId);
    if (!state) {
      state = {
        prng: createPrng(`${seed}|hostility|${clientId}`),
        accepted: [],
        blockedUntilMs: 0,
        stats: emptyStats(nowMs),
      };
      clients.set(clientId, state);
    }
    return state;
  }

  function looksLikeBrowser(route: RouteKind, headers: Headers): boolean {
    if (!BROWSER_AGENT.test(headers.get("user-agent") ?? "")) return false;
    return route !== "api" || headers.has("origin");
  }

  function judge(clientId: string, route: RouteKind, nowMs: number, headers: Headers): Verdict {
    const state = client(clientId, nowMs);
    // Four draws per request whatever the outcome, so one decision never shifts the next ones.
    const [blockDraw, variantDraw, vanishDraw, latencyDraw] = [0, 0, 0, 0].map(() => state.prng.nextFloat());
    const latencyMs = Math.round((options.latencyMs ?? 0) * (0.5 + latencyDraw));
    const limit = options.rateLimitPerMinute ?? 0;
    state.accepted = state.accepted.filter((timeMs) => timeMs > nowMs - WINDOW_MS);
    if (limit > 0 && state.accepted.length >= limit) {
      const retryAfterS = Math.max(1, Math.ceil((state.accepted[0] + WINDOW_MS - nowMs) / 1000));
      return { kind: "rateLimited", latencyMs, retryAfterS };
    }
    state.accepted.push(nowMs);
    const rate = options.blockRateByRoute?.[route] ?? options.blockRate ?? 0;
    const sticky = state.blockedUntilMs > nowMs;
    const strictFail = options.strictHeaders === true && !looksLikeBrowser(route, headers);
    if (sticky || strictFail || blockDraw < rate) {
      if (!sticky) state.blockedUntilMs = nowMs + (options.blockCooldownMs ?? 0);
      const variant = route === "api"
        ? "json"
        : route === "detail" && variantDraw < 0.3
        ? "redirect"
        : "page";
      return { kind: "blocked", latencyMs, variant, ids: blockIds(state.prng) };
    }
    return { kind: "pass", latencyMs, vanish: route === "detail" && vanishDraw < (options.vanishRate ?? 0) };
  }

  function record(clientId: string, route: RouteKind, status: number, outcome: Outcome, nowMs: number): void {
    const { stats } = client(clientId, nowMs);
    stats.requests++;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    stats.lastSeen = new Date(nowMs).toISOString();
    if (outcome === "ok") stats.ok++;
    else if (outcome === "blocked") stats.blocked++;
    else if (outcome === "rateLimited") stats.rateLimited++;
    else if (outcome === "vanished") stats.vanished++;
    else if (outcome === "notFound") stats.notFound++;
    else stats.errors++;
  }

  function stats(): Record<string, ClientStats> {
    return Object.fromEntries([...clients].map(([id, state]) => [id, structuredClone(state.stats)]));
  }

  return { judge, record, stats, reset: () => clients.clear() };
}
