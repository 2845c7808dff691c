/**
 * Shared set-up for the simulator's tests: a fixed moment, a registry-backed search runner and the
 * browser-like headers a production scraper sends.
 * @module
 */
import { createMarketRegistry, type MarketRegistry } from "./market_registry.ts";
import { DEFAULT_ORIGIN, type SearchPageInput } from "./pages.ts";
import { runSearch } from "./search_engine.ts";
import { buildSearchQuery, parseSearchPath } from "./search_query.ts";

/** The moment most tests look at the market. */
export const TEST_AT = new Date("2026-03-01T12:00:00Z");

/** Headers of a desktop Chrome, as the scraper sends them. */
export const BROWSER_HEADERS = {
  "user-agent":
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
  "accept-language": "en-US,en;q=0.9",
};

/** A registry with one default expected count. */
export function testRegistry(seed: string, defaultExpected: number): MarketRegistry {
  return createMarketRegistry({ seed, defaultExpected });
}

/** The renderer input for a search path plus optional query state, at `TEST_AT` unless told otherwise. */
export function searchInputFor(
  registry: MarketRegistry,
  path: string,
  state: Record<string, unknown> = {},
  at = TEST_AT,
): SearchPageInput {
  const query = buildSearchQuery(parseSearchPath(path), state, registry.zipForRegion);
  const outcome = runSearch(query, {
    at,
    marketFor: registry.marketFor,
    zipsInBounds: registry.zipsInBounds,
    neighboursOf: registry.neighboursOf,
  });
  return {
    outcome,
    infos: query.zips.map(registry.infoFor),
    origin: DEFAULT_ORIGIN,
    explicitState: Object.keys(state).length > 0,
  };
}
