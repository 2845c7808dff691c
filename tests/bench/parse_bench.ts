// Parse throughput of the listing-site readers on full-size simulator pages (search pages about 540 KB,
// detail pages about 410 KB): `deno bench -A tests/bench/parse_bench.ts`. One iteration reads one page, so
// pages per second on one core is 1 / (time per iteration). Target: at least 200 detail pages a second.
import {
  classifyPage,
  normalizeDetailProperty,
  normalizeSearchCard,
  parseDetailPage,
  parseSearchApi,
  parseSearchPage,
  readDomCards,
  zpidFromUrl,
} from "../../shared/listing_site/mod.ts";
import type { PageResponse } from "../../shared/ports.ts";
import {
  frozenMarket,
  inventoryTruth,
  SIM_AT,
  SIM_BASE,
  simFetcher,
} from "../fixtures/listing_site/sim_fetcher.ts";

const ZIP = "77001";
const handler = frozenMarket({ seed: "parse-bench", zips: [{ zip: ZIP, expected: 1500 }] });
const fetcher = simFetcher(handler, "bench");
const truth = await inventoryTruth(handler, ZIP);

async function page(path: string, kind: "search" | "detail"): Promise<PageResponse> {
  return await fetcher.fetch({ url: SIM_BASE + path, kind });
}

const searches = await Promise.all(
  Array.from({ length: 5 }, (_, i) => page(`/homes/for_sale/${ZIP}_rb/${i + 1}_p/`, "search")),
);
const details = await Promise.all(
  truth.listings.slice(0, 20).map((listing) => page(new URL(String(listing.url)).pathname, "detail")),
);
const api = await fetcher.fetch({
  url: `${SIM_BASE}/async-create-search-page-state`,
  kind: "api",
  method: "PUT",
  body: JSON.stringify({ searchQueryState: { usersSearchTerm: ZIP, pagination: {} } }),
});
const kb = (pages: PageResponse[]) =>
  Math.round(pages.reduce((sum, p) => sum + p.body.length, 0) / pages.length / 1024);
console.log(
  `search pages ${kb(searches)} KB, detail pages ${kb(details)} KB, API body ${kb([api])} KB on average`,
);

let s = 0;
Deno.bench("search page: classify, parse, normalize 41 cards", { group: "search", baseline: true }, () => {
  const response = searches[s++ % searches.length];
  if (classifyPage(response, "search").status !== "ok") throw new Error("not ok");
  for (const card of parseSearchPage(response.body).listResults) {
    if (card.isBuilding !== true) normalizeSearchCard(card, SIM_AT);
  }
});

let d = 0;
Deno.bench("search page: DOM cards (linkedom)", { group: "search" }, () => {
  readDomCards(searches[d++ % searches.length].body);
});

Deno.bench("search API body: parse", { group: "search" }, () => {
  parseSearchApi(api.body);
});

let n = 0;
Deno.bench("detail page: classify, parse, normalize", { group: "detail", baseline: true }, () => {
  const response = details[n++ % details.length];
  if (classifyPage(response, "detail").status !== "ok") throw new Error("not ok");
  normalizeDetailProperty(parseDetailPage(response.body, zpidFromUrl(response.url)!)!);
});

let c = 0;
Deno.bench("detail page: classify only", { group: "detail" }, () => {
  classifyPage(details[c++ % details.length], "detail");
});
