/**
 * The `/__sim/*` endpoints tests use to read the ground truth and the server's counters. They bypass
 * every defence and are never counted in the stats.
 * @module
 */
import { findListing, isForSale, listingsAt } from "./inventory.ts";
import { buildingPath } from "./listing_urls.ts";
import { toListingRecord } from "./listing_record.ts";
import type { Hostility } from "./hostility.ts";
import type { MarketRegistry } from "./market_registry.ts";
import { decodeZpid } from "./zpid_codec.ts";

/** What the inspection routes need. */
export interface InspectionContext {
  registry: MarketRegistry;
  hostility: Hostility;
  origin: string;
  /** Current market time. */
  marketNow(): Date;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function atParam(url: URL, context: InspectionContext): Date | null {
  const text = url.searchParams.get("at");
  if (text === null) return context.marketNow();
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The truth for one ZIP: every listing the default for-sale search should return, plus pending ones. */
function inventoryTruth(zip: string, at: Date, context: InspectionContext): Response {
  const market = context.registry.marketFor(zip);
  const listings = listingsAt(market, at, new Set(["FOR_SALE", "CONTINGENT", "PENDING"]))
    .sort((a, b) => (a.zpid < b.zpid ? -1 : 1));
  const forSale = listings.filter(isForSale);
  const pending = listings.filter((listing) => listing.status === "PENDING");
  const buildings = market.profile.buildings.map((building) => ({
    id: building.id,
    name: building.name,
    url: context.origin + buildingPath(building, market.profile.info),
    units: forSale.filter((listing) => listing.buildingId === building.id).map((listing) => listing.zpid),
  })).filter((building) => building.units.length > 0);
  return json({
    zip,
    at: at.toISOString(),
    seed: context.registry.seed,
    expected: market.expected,
    info: market.profile.info,
    counts: {
      forSale: forSale.length,
      contingent: forSale.filter((listing) => listing.status === "CONTINGENT").length,
      pending: pending.length,
      inBuildings: forSale.filter((listing) => listing.buildingId !== null).length,
    },
    listings: forSale.map((listing) => toListingRecord(listing, context.origin)),
    pending: pending.map((listing) => toListingRecord(listing, context.origin)),
    buildings,
  });
}

/** Answers `/__sim/*`; returns null for any other path. */
export function handleInspection(request: Request, url: URL, context: InspectionContext): Response | null {
  const path = url.pathname;
  if (!path.startsWith("/__sim/")) return null;
  if (path === "/__sim/health") {
    return json({ ok: true, seed: context.registry.seed, marketTime: context.marketNow().toISOString() });
  }
  if (path === "/__sim/stats") {
    const clients = context.hostility.stats();
    const totals = { requests: 0, ok: 0, blocked: 0, rateLimited: 0, vanished: 0, notFound: 0, errors: 0 };
    for (const stats of Object.values(clients)) {
      for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += stats[key];
    }
    return json({ totals, clients });
  }
  if (path === "/__sim/reset" && request.method === "POST") {
    context.hostility.reset();
    return json({ ok: true });
  }
  const at = atParam(url, context);
  if (!at) return json({ error: `Cannot parse "at": expected an ISO-8601 time` }, 400);
  let match = path.match(/^\/__sim\/inventory\/(\d{5})$/);
  if (match) return inventoryTruth(match[1], at, context);
  match = path.match(/^\/__sim\/listing\/(\d+)$/);
  if (match) {
    const origin = decodeZpid(match[1]);
    const listing = origin ? findListing(context.registry.marketFor(origin.zip), match[1], at) : null;
    if (!listing) return json({ error: `No listing "${match[1]}" at ${at.toISOString()}` }, 404);
    return json({ at: at.toISOString(), record: toListingRecord(listing, context.origin) });
  }
  return json({ error: `No inspection route "${path}"` }, 404);
}
