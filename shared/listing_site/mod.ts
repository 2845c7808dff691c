/**
 * The listing site, read without I/O: classify a response (`blocks.ts`), parse search pages, the search
 * API, detail and building pages, apply result hygiene, normalize everything to the canonical record's
 * columns, and build the URLs to fetch. The miner's crawler and the validator's spot checker share it.
 * @module
 */
export * from "./blocks.ts";
export * from "./building_page.ts";
export * from "./detail_page.ts";
export * from "./hygiene.ts";
export * from "./listing_dates.ts";
export * from "./normalize.ts";
export * from "./page_json.ts";
export * from "./search_api.ts";
export * from "./search_page.ts";
export * from "./search_results.ts";
export * from "./urls.ts";
export * from "./compare.ts";
