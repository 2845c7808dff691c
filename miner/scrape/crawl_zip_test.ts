import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/assert.ts";
import { fixtureFetcher } from "../../tests/fixtures/listing_site/fixtures.ts";
import {
  frozenMarket,
  inventoryTruth,
  SIM_AT,
  SIM_BASE,
  simFetcher,
} from "../../tests/fixtures/listing_site/sim_fetcher.ts";
import type { MarketHandlerOptions } from "../../tests/sim/server.ts";
import type { PageFetcher } from "../../shared/ports.ts";
import { type ListingRecord, ListingRecordSchema } from "../../shared/schemas/listing.ts";
import {
  CrawlError,
  type CrawlOptions,
  type CrawlProgress,
  crawlZip,
  ScrapeAbortedError,
  splitBand,
} from "./crawl_zip.ts";
import { type DetailMode, parseDetailMode, wantsDetail } from "./detail_mode.ts";

const PROTOCOL = {
  epochId: "2026-03-01T12-00-00",
  nonce: "376ce532f42cf2a5376ce532f42cf2a5",
  minerHotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
};
const BIG = { zip: "77001", expected: 1500 };
const SMALL = { zip: "77002", expected: 250 };

function market(options: Partial<MarketHandlerOptions> = {}) {
  return frozenMarket({ seed: "crawl-zip-test", zips: [BIG, SMALL], ...options });
}

function crawlOptions(
  fetcher: PageFetcher,
  detail: DetailMode,
  extra: Partial<CrawlOptions> = {},
): CrawlOptions {
  return { fetcher, baseUrl: SIM_BASE, detail, clock: { now: () => SIM_AT }, ...PROTOCOL, ...extra };
}

function assertValidRows(records: ListingRecord[], zip: string): void {
  for (const record of records) {
    ListingRecordSchema.parse(record);
    assertEquals(
      [record.epoch_id, record.nonce, record.miner_hotkey, record.zipcode, record.scraped_at],
      [PROTOCOL.epochId, PROTOCOL.nonce, PROTOCOL.minerHotkey, zip, SIM_AT.toISOString()],
    );
  }
  assertEquals(new Set(records.map((record) => record.zpid)).size, records.length, "one row per zpid");
}

// Facts every row must get right from search pages alone; building units (from the building page)
// cannot tell CONDO from APARTMENT nor CONTINGENT from FOR_SALE.
const SEARCH_FACTS = ["url", "street", "unit", "city", "state", "price", "latitude", "longitude", "bedrooms"];
const CARD_FACTS = [
  "listing_status",
  "home_type",
  "bathrooms",
  "living_area_sqft",
  "zestimate",
  "broker_name",
];
const DETAIL_FACTS = [
  "zip4",
  "year_built",
  "mls_id",
  "lot_size_sqft",
  "listed_date",
  "days_on_zillow",
  "price_history",
];

function assertAgrees(
  records: ListingRecord[],
  truth: Map<string, Record<string, unknown>>,
  keys: string[],
): void {
  for (const record of records) {
    const expected = truth.get(record.zpid)!;
    for (const key of keys) {
      assertEquals(record[key as keyof ListingRecord], expected[key], `${record.zpid}: ${key}`);
    }
  }
}

Deno.test("crawlZip() splits an over-cap ZIP into price bands and finds exactly the for-sale truth", async () => {
  const handler = market();
  const truth = await inventoryTruth(handler, BIG.zip);
  const fetcher = simFetcher(handler);
  const progress: CrawlProgress[] = [];
  const { records, stats } = await crawlZip(
    BIG.zip,
    crawlOptions(fetcher, "none", { onProgress: (counts) => progress.push(counts) }),
  );
  assert(truth.listings.length > 1400, `the ZIP holds ${truth.listings.length} listings`);
  assertEquals(records.map((r) => r.zpid).sort(), truth.listings.map((l) => l.zpid).sort());
  assertValidRows(records, BIG.zip);
  assert(stats.reported > 820, `page 1 reported ${stats.reported}`);
  assert(stats.bands >= 2, `${stats.bands} bands`);
  assertEquals(stats.buildings, truth.buildings.length);
  assertEquals(stats.requests, fetcher.requests.length);
  assertEquals(stats.requests, stats.pages + stats.buildings);
  assertEquals(progress.map((counts) => counts.requests), [
    ...Array.from({ length: stats.requests }, (_, i) => i + 1),
    stats.requests,
  ]);
  assertEquals(progress.at(-1), {
    pages: stats.pages,
    listings: records.length,
    requests: stats.requests,
    buildingsFailed: 0,
  });
  assert(stats.dropped.relaxed > 0, "short last pages carried relaxed padding");
  assertEquals([stats.dropped.otherZip, stats.dropped.nonNumeric, stats.dropped.invalid], [0, 0, 0]);
  assertEquals([stats.detailFetched, stats.detailFailed], [0, 0]);
  assert(records.every((record) => !record.detail_enriched));
  const byZpid = new Map(truth.listings.map((listing) => [listing.zpid, listing]));
  assertAgrees(records, byZpid, SEARCH_FACTS);
  const units = new Set(truth.buildings.flatMap((building) => building.units));
  assertAgrees(records.filter((record) => !units.has(record.zpid)), byZpid, CARD_FACTS);
});

Deno.test("crawlZip() pages bands through the JSON API with the same result", async () => {
  const handler = market();
  const fetcher = simFetcher(handler);
  const { records, stats } = await crawlZip(BIG.zip, crawlOptions(fetcher, "none", { searchRoute: "api" }));
  const truth = await inventoryTruth(handler, BIG.zip);
  assertEquals(records.map((r) => r.zpid).sort(), truth.listings.map((l) => l.zpid).sort());
  assertEquals(fetcher.requests[0].kind, "search", "page 1 is the HTML page");
  assertEquals(fetcher.requests.filter((request) => request.kind === "api").length, stats.pages - 1);
});

Deno.test("crawlZip() with detail 'all' merges every detail page into its row", async () => {
  const handler = market();
  const truth = await inventoryTruth(handler, SMALL.zip);
  const { records, stats } = await crawlZip(SMALL.zip, crawlOptions(simFetcher(handler), "all"));
  assertEquals(records.map((r) => r.zpid).sort(), truth.listings.map((l) => l.zpid).sort());
  assertValidRows(records, SMALL.zip);
  assertEquals([stats.bands, stats.detailFetched, stats.detailFailed], [1, records.length, 0]);
  assert(records.every((record) => record.detail_enriched));
  const byZpid = new Map(truth.listings.map((listing) => [listing.zpid, listing]));
  assertAgrees(records, byZpid, [...SEARCH_FACTS, ...CARD_FACTS, ...DETAIL_FACTS]);
});

Deno.test("crawlZip() with a percentage enriches the same stable share of listings", async () => {
  const handler = market();
  const runs = [];
  for (let i = 0; i < 2; i++) {
    runs.push(await crawlZip(SMALL.zip, crawlOptions(simFetcher(handler), { percent: 30 })));
  }
  const enriched = runs.map(({ records }) => records.filter((r) => r.detail_enriched).map((r) => r.zpid));
  assertEquals(enriched[0], enriched[1]);
  const share = enriched[0].length / runs[0].records.length;
  assert(share > 0.2 && share < 0.4, `${(share * 100).toFixed(1)}% enriched`);
  assertEquals(runs[0].stats.detailFetched, enriched[0].length);
  assert(runs[0].records.every((r) => r.detail_enriched === wantsDetail(r.zpid, { percent: 30 })));
});

Deno.test("crawlZip() keeps search-only rows for detail pages that are blocked or gone", async () => {
  const handler = market({ blockRateByRoute: { detail: 0.3 }, vanishRate: 0.1 });
  const truth = await inventoryTruth(handler, SMALL.zip);
  const fetcher = simFetcher(handler);
  const { records, stats } = await crawlZip(SMALL.zip, crawlOptions(fetcher, "all"));
  assertEquals(records.map((r) => r.zpid).sort(), truth.listings.map((l) => l.zpid).sort());
  assertValidRows(records, SMALL.zip);
  assert(stats.detailFailed > records.length * 0.25, `${stats.detailFailed} detail pages failed`);
  assertEquals(stats.detailFetched + stats.detailFailed, records.length);
  assertEquals(records.filter((record) => !record.detail_enriched).length, stats.detailFailed);
});

Deno.test("crawlZip() fails with a CrawlError when a search page stays blocked", async () => {
  const fetcher = simFetcher(market({ blockRateByRoute: { search: 1 } }));
  const error = await assertRejects(() => crawlZip(SMALL.zip, crawlOptions(fetcher, "none")), CrawlError);
  assertEquals((error as CrawlError).verdict, { status: "blocked", reason: "x-px-blocked header" });
  assertEquals((error as CrawlError).url, `${SIM_BASE}/homes/for_sale/${SMALL.zip}_rb/`);
});

Deno.test("crawlZip() stops at the next request once its signal aborts", async () => {
  const controller = new AbortController();
  const fetcher = simFetcher(market());
  const crawl = crawlZip(
    BIG.zip,
    crawlOptions(fetcher, "none", {
      signal: controller.signal,
      onProgress: ({ requests }) => requests === 3 && controller.abort(),
    }),
  );
  const error = await assertRejects(() => crawl, ScrapeAbortedError, "Crawl of ZIP 77001 aborted");
  assertEquals((error as ScrapeAbortedError).stopScraping, true);
  assertEquals(fetcher.requests.length, 3);
});

Deno.test("crawlZip() refuses bad protocol fields before fetching anything", async () => {
  const fetcher = simFetcher(market());
  await assertRejects(() => crawlZip(SMALL.zip, { ...crawlOptions(fetcher, "none"), minerHotkey: "5abc" }));
  await assertRejects(() => crawlZip("7700", crawlOptions(fetcher, "none")));
  assertEquals(fetcher.requests.length, 0);
});

Deno.test("crawlZip() applies result hygiene and counts every drop on the edge-case pages", async () => {
  const site = "https://www.zillow.com";
  const detail = (slug: string, zpid: string) =>
    `${site}/homedetails/${slug}-Fairbrook-GA-30301/${zpid}_zpid/`;
  const fetcher = fixtureFetcher({
    [`${site}/homes/for_sale/30301_rb/`]: "search_mixed",
    [`${site}/homes/for_sale/30301_rb/2_p/`]: "search_page_two",
    [`${site}/b/the-mill-lofts-fairbrook-ga/33.75010,-84.39020_ll/`]: "building",
    [detail("14-Orchard-Way", "200000101")]: "detail_variant",
    [detail("88-Mill-Rd-4B", "200000102")]: "detail_script_escape",
    [detail("0-Quarry-Rd", "200000103")]: "detail_page_props",
    [detail("7-Birch-Ave", "200000107")]: "detail_apollo",
    [detail("402-Creek-Bend", "200000109")]: "detail_no_match",
  });
  const warnings: string[] = [];
  const { records, stats } = await crawlZip("30301", {
    ...crawlOptions(fetcher, "all", { onWarning: (message) => warnings.push(message) }),
    baseUrl: site,
  });
  assertEquals(records.map((record) => record.zpid), [
    "200000101",
    "200000102",
    "200000103",
    "200000107",
    "200000109",
    "200000201",
    "200000202",
  ]);
  assertValidRows(records, "30301");
  assertEquals(stats.dropped, { relaxed: 2, otherZip: 1, nonNumeric: 1, notForSale: 1, invalid: 0 });
  assertEquals([stats.pages, stats.bands, stats.buildings, stats.reported], [2, 1, 1, 9]);
  // The community card's page is missing: skipped and reported, the crawl goes on.
  assertEquals(stats.buildingsFailed, 1);
  assertEquals(warnings, [
    "ZIP 30301: skipped building page /community/meadow-park/29384756_plid/: status 404",
  ]);
  // 109 has no property on its page; the building units' detail pages are missing (404).
  assertEquals([stats.detailFetched, stats.detailFailed], [4, 3]);
  assertEquals(records.map((record) => record.detail_enriched), [
    true,
    true,
    true,
    true,
    false,
    false,
    false,
  ]);
  assertEquals(records[0].listed_date, "2026-01-20");
  assertEquals(records[3].listing_status, "PENDING");
});

Deno.test("wantsDetail() and parseDetailMode() pick a stable share of zpids", () => {
  const zpids = Array.from({ length: 4000 }, (_, i) => String(10_000_000_000 + i * 7919));
  const picked = zpids.filter((zpid) => wantsDetail(zpid, { percent: 25 })).length;
  assert(Math.abs(picked / zpids.length - 0.25) < 0.03, `${picked} of ${zpids.length}`);
  assert(zpids.every((zpid) => wantsDetail(zpid, "all") && !wantsDetail(zpid, "none")));
  assert(zpids.every((zpid) => wantsDetail(zpid, { percent: 100 }) && !wantsDetail(zpid, { percent: 0 })));
  assertEquals([parseDetailMode("all"), parseDetailMode("none"), parseDetailMode("25%")], [
    "all",
    "none",
    { percent: 25 },
  ]);
  assertThrows(() => parseDetailMode("120%"), TypeError, 'Cannot parse detail mode "120%"');
  assertThrows(() => parseDetailMode("some"), TypeError);
});

Deno.test("splitBand() cuts at the sample's median, contiguously, with fallbacks", () => {
  assertEquals(splitBand({ min: 0, max: null }, [100, 500, 300, 200, 900_000]), [
    { min: 0, max: 300 },
    { min: 301, max: null },
  ]);
  assertEquals(splitBand({ min: 0, max: 1000 }, [1000, 1000]), [{ min: 0, max: 500 }, {
    min: 501,
    max: 1000,
  }]);
  assertEquals(splitBand({ min: 400_000, max: null }, []), [
    { min: 400_000, max: 900_000 },
    { min: 900_001, max: null },
  ]);
  assertEquals(splitBand({ min: 7, max: 8 }, [7, 8]), [{ min: 7, max: 7 }, { min: 8, max: 8 }]);
});
